package io.liverec.pipelines.export;

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
 * whose descriptor ({@link TritonConfigDescriptor}) is built with Triton's {@code ModelConfig}
 * field and enum names (no Java Triton proto is published on Maven Central). Only names matter for
 * the text format; fields this subset does not know are skipped when parsing.
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

  private static final Descriptor MODEL_CONFIG = TritonConfigDescriptor.modelConfig();

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
}
