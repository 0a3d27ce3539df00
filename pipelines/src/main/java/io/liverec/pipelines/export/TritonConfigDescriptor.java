package io.liverec.pipelines.export;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumDescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumValueDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors;
import com.google.protobuf.Descriptors.Descriptor;

/**
 * The protobuf descriptor {@link TritonConfig} reads and writes {@code config.pbtxt} through: the
 * subset of Triton's {@code ModelConfig} it generates, with Triton's field names, numbers and enum
 * values (only the names matter for the text format).
 */
final class TritonConfigDescriptor {
  private TritonConfigDescriptor() {}

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

  /** The ModelConfig message descriptor. */
  static Descriptor modelConfig() {
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
