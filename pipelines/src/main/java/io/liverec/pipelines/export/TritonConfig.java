package io.liverec.pipelines.export;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumDescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumValueDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Message;
import com.google.protobuf.TextFormat;
import java.util.ArrayList;
import java.util.List;

/**
 * A Triton model configuration ({@code config.pbtxt}), the subset LiveRec generates: backend, max
 * batch size, inputs, outputs (with reshape), dynamic batching, instance group.
 *
 * <p>Text is written and parsed by protobuf's own {@link TextFormat} over a {@link DynamicMessage}
 * whose descriptor is built here with Triton's {@code ModelConfig} field and enum names (no Java
 * Triton proto is published on Maven Central). Only names matter for the text format; fields this
 * subset does not know are skipped when parsing.
 *
 * @param maxBatchSize &gt; 0: dims exclude the batch dimension
 * @param preferredBatchSizes dynamic batching; empty with {@code maxQueueDelayMicros} 0 = none
 */
public record TritonConfig(
    String name,
    String backend,
    int maxBatchSize,
    List<Tensor> inputs,
    List<Tensor> outputs,
    List<Integer> preferredBatchSizes,
    long maxQueueDelayMicros,
    int instanceCount,
    String instanceKind) {

  /**
   * A tensor: Triton data type name ({@code TYPE_FP32}, {@code TYPE_INT64}, …), dims without the
   * batch axis, and an optional reshape (null = none; an empty list reshapes to a scalar per row).
   */
  public record Tensor(String name, String dataType, List<Long> dims, List<Long> reshape) {}

  private static final Descriptor MODEL_CONFIG = descriptor();

  /** The config as {@code config.pbtxt} text. */
  public String toPbtxt() {
    return TextFormat.printer().printToString(toMessage());
  }

  /**
   * Parses {@code config.pbtxt} text.
   *
   * @throws IllegalArgumentException with the parser's line and column on malformed text
   */
  public static TritonConfig parse(String text) {
    DynamicMessage.Builder b = DynamicMessage.newBuilder(MODEL_CONFIG);
    try {
      TextFormat.Parser.newBuilder().setAllowUnknownFields(true).build().merge(text, b);
    } catch (TextFormat.ParseException e) {
      throw new IllegalArgumentException("config.pbtxt: " + e.getMessage(), e);
    }
    Message m = b.build();
    Message batching = (Message) get(m, "dynamic_batching");
    List<Integer> preferred = new ArrayList<>();
    for (Object o : (List<?>) get(batching, "preferred_batch_size")) {
      preferred.add((Integer) o);
    }
    int count = 0;
    String kind = "KIND_AUTO";
    List<?> groups = (List<?>) get(m, "instance_group");
    if (!groups.isEmpty()) {
      Message g = (Message) groups.get(0);
      count = (Integer) get(g, "count");
      kind = ((Descriptors.EnumValueDescriptor) get(g, "kind")).getName();
    }
    return new TritonConfig(
        (String) get(m, "name"),
        (String) get(m, "backend"),
        (Integer) get(m, "max_batch_size"),
        tensors((List<?>) get(m, "input")),
        tensors((List<?>) get(m, "output")),
        preferred,
        (Long) get(batching, "max_queue_delay_microseconds"),
        count,
        kind);
  }

  private static List<Tensor> tensors(List<?> messages) {
    List<Tensor> out = new ArrayList<>();
    for (Object o : messages) {
      Message t = (Message) o;
      List<Long> dims = new ArrayList<>();
      for (Object d : (List<?>) get(t, "dims")) {
        dims.add((Long) d);
      }
      List<Long> reshape = null;
      FieldDescriptor rf = t.getDescriptorForType().findFieldByName("reshape");
      if (t.hasField(rf)) {
        reshape = new ArrayList<>();
        for (Object d : (List<?>) get((Message) t.getField(rf), "shape")) {
          reshape.add((Long) d);
        }
      }
      out.add(
          new Tensor(
              (String) get(t, "name"),
              ((Descriptors.EnumValueDescriptor) get(t, "data_type")).getName(),
              dims,
              reshape));
    }
    return out;
  }

  private static Object get(Message m, String field) {
    return m.getField(m.getDescriptorForType().findFieldByName(field));
  }

  private Message toMessage() {
    DynamicMessage.Builder b = DynamicMessage.newBuilder(MODEL_CONFIG);
    set(b, "name", name);
    set(b, "backend", backend);
    set(b, "max_batch_size", maxBatchSize);
    for (Tensor t : inputs) {
      add(b, "input", tensor(MODEL_CONFIG.findFieldByName("input").getMessageType(), t));
    }
    for (Tensor t : outputs) {
      add(b, "output", tensor(MODEL_CONFIG.findFieldByName("output").getMessageType(), t));
    }
    if (instanceCount > 0) {
      Descriptor gd = MODEL_CONFIG.findFieldByName("instance_group").getMessageType();
      DynamicMessage.Builder g = DynamicMessage.newBuilder(gd);
      set(g, "count", instanceCount);
      set(g, "kind", gd.findFieldByName("kind").getEnumType().findValueByName(instanceKind));
      add(b, "instance_group", g.build());
    }
    if (!preferredBatchSizes.isEmpty() || maxQueueDelayMicros > 0) {
      Descriptor dd = MODEL_CONFIG.findFieldByName("dynamic_batching").getMessageType();
      DynamicMessage.Builder d = DynamicMessage.newBuilder(dd);
      for (int size : preferredBatchSizes) {
        add(d, "preferred_batch_size", size);
      }
      set(d, "max_queue_delay_microseconds", maxQueueDelayMicros);
      set(b, "dynamic_batching", d.build());
    }
    return b.build();
  }

  private static Message tensor(Descriptor td, Tensor t) {
    DynamicMessage.Builder b = DynamicMessage.newBuilder(td);
    set(b, "name", t.name());
    Descriptors.EnumValueDescriptor type =
        td.findFieldByName("data_type").getEnumType().findValueByName(t.dataType());
    if (type == null) {
      throw new IllegalArgumentException("unknown Triton data type " + t.dataType());
    }
    set(b, "data_type", type);
    for (long d : t.dims()) {
      add(b, "dims", d);
    }
    if (t.reshape() != null) {
      Descriptor rd = td.findFieldByName("reshape").getMessageType();
      DynamicMessage.Builder r = DynamicMessage.newBuilder(rd);
      for (long d : t.reshape()) {
        add(r, "shape", d);
      }
      set(b, "reshape", r.build());
    }
    return b.build();
  }

  private static void set(DynamicMessage.Builder b, String field, Object value) {
    b.setField(b.getDescriptorForType().findFieldByName(field), value);
  }

  private static void add(DynamicMessage.Builder b, String field, Object value) {
    b.addRepeatedField(b.getDescriptorForType().findFieldByName(field), value);
  }

  // ---- descriptor: Triton ModelConfig field names (subset) ----

  /**
   * ModelInput or ModelOutput: the same name, data_type, dims and reshape fields, but dims has
   * field number 4 in ModelInput and 3 in ModelOutput.
   */
  private static DescriptorProto tensor(String message, int dimsNumber) {
    return DescriptorProto.newBuilder()
        .setName(message)
        .addField(field("name", 1, FieldDescriptorProto.Type.TYPE_STRING, false, null))
        .addField(field("data_type", 2, FieldDescriptorProto.Type.TYPE_ENUM, false, "DataType"))
        .addField(field("dims", dimsNumber, FieldDescriptorProto.Type.TYPE_INT64, true, null))
        .addField(
            field(
                "reshape", 5, FieldDescriptorProto.Type.TYPE_MESSAGE, false, "ModelTensorReshape"))
        .build();
  }

  private static Descriptor descriptor() {
    EnumDescriptorProto dataType =
        enumType(
            "DataType",
            "TYPE_INVALID",
            "TYPE_BOOL",
            "TYPE_UINT8",
            "TYPE_UINT16",
            "TYPE_UINT32",
            "TYPE_UINT64",
            "TYPE_INT8",
            "TYPE_INT16",
            "TYPE_INT32",
            "TYPE_INT64",
            "TYPE_FP16",
            "TYPE_FP32",
            "TYPE_FP64",
            "TYPE_STRING",
            "TYPE_BF16");
    DescriptorProto reshape =
        DescriptorProto.newBuilder()
            .setName("ModelTensorReshape")
            .addField(field("shape", 1, FieldDescriptorProto.Type.TYPE_INT64, true, null))
            .build();
    DescriptorProto input = tensor("ModelInput", 4);
    DescriptorProto output = tensor("ModelOutput", 3);
    DescriptorProto group =
        DescriptorProto.newBuilder()
            .setName("ModelInstanceGroup")
            .addEnumType(enumType("Kind", "KIND_AUTO", "KIND_GPU", "KIND_CPU", "KIND_MODEL"))
            .addField(field("count", 2, FieldDescriptorProto.Type.TYPE_INT32, false, null))
            .addField(
                field(
                    "kind",
                    4,
                    FieldDescriptorProto.Type.TYPE_ENUM,
                    false,
                    "ModelInstanceGroup.Kind"))
            .build();
    DescriptorProto batching =
        DescriptorProto.newBuilder()
            .setName("ModelDynamicBatching")
            .addField(
                field("preferred_batch_size", 1, FieldDescriptorProto.Type.TYPE_INT32, true, null))
            .addField(
                field(
                    "max_queue_delay_microseconds",
                    2,
                    FieldDescriptorProto.Type.TYPE_UINT64,
                    false,
                    null))
            .build();
    DescriptorProto config =
        DescriptorProto.newBuilder()
            .setName("ModelConfig")
            .addField(field("name", 1, FieldDescriptorProto.Type.TYPE_STRING, false, null))
            .addField(field("platform", 2, FieldDescriptorProto.Type.TYPE_STRING, false, null))
            .addField(field("max_batch_size", 4, FieldDescriptorProto.Type.TYPE_INT32, false, null))
            .addField(field("input", 5, FieldDescriptorProto.Type.TYPE_MESSAGE, true, "ModelInput"))
            .addField(
                field("output", 6, FieldDescriptorProto.Type.TYPE_MESSAGE, true, "ModelOutput"))
            .addField(
                field(
                    "instance_group",
                    7,
                    FieldDescriptorProto.Type.TYPE_MESSAGE,
                    true,
                    "ModelInstanceGroup"))
            .addField(
                field(
                    "dynamic_batching",
                    11,
                    FieldDescriptorProto.Type.TYPE_MESSAGE,
                    false,
                    "ModelDynamicBatching"))
            .addField(field("backend", 17, FieldDescriptorProto.Type.TYPE_STRING, false, null))
            .build();
    FileDescriptorProto file =
        FileDescriptorProto.newBuilder()
            .setName("liverec_triton_model_config.proto")
            .setPackage("inference")
            .setSyntax("proto3")
            .addEnumType(dataType)
            .addMessageType(reshape)
            .addMessageType(input)
            .addMessageType(output)
            .addMessageType(group)
            .addMessageType(batching)
            .addMessageType(config)
            .build();
    try {
      return Descriptors.FileDescriptor.buildFrom(file, new Descriptors.FileDescriptor[0])
          .findMessageTypeByName("ModelConfig");
    } catch (Descriptors.DescriptorValidationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static EnumDescriptorProto enumType(String name, String... values) {
    EnumDescriptorProto.Builder e = EnumDescriptorProto.newBuilder().setName(name);
    for (int i = 0; i < values.length; i++) {
      e.addValue(EnumValueDescriptorProto.newBuilder().setName(values[i]).setNumber(i));
    }
    return e.build();
  }

  private static FieldDescriptorProto field(
      String name, int number, FieldDescriptorProto.Type type, boolean repeated, String typeName) {
    FieldDescriptorProto.Builder f =
        FieldDescriptorProto.newBuilder()
            .setName(name)
            .setNumber(number)
            .setType(type)
            .setLabel(
                repeated
                    ? FieldDescriptorProto.Label.LABEL_REPEATED
                    : FieldDescriptorProto.Label.LABEL_OPTIONAL);
    if (typeName != null) {
      f.setTypeName(typeName);
    }
    return f.build();
  }
}
