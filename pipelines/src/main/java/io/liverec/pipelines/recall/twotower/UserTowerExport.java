package io.liverec.pipelines.recall.twotower;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import io.liverec.pipelines.nn.OnnxOps;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Exports the user tower as ONNX by running {@link TwoTowerNet#userTower} through the ranking
 * module's {@link OnnxOps} with the trained values: inputs {@code user_sparse} int64 [N, 3 +
 * profile fields] and {@code seq} int64 [N, L], output {@code user_vector} float [N, outputDim]
 * (unit length). The room side is served from the ANN index, so only the user tower runs per
 * request.
 */
public final class UserTowerExport {
  public static final String OUTPUT = "user_vector";
  static final long IR_VERSION = 8;

  private UserTowerExport() {}

  public static ModelProto build(TwoTowerConfig config, Map<String, float[]> values) {
    GraphProto.Builder g = GraphProto.newBuilder().setName("liverec_user_tower");
    g.addInput(input("user_sparse", TensorProto.DataType.INT64, config.userSparseWidth()));
    g.addInput(input("seq", TensorProto.DataType.INT64, config.seqLength()));
    OnnxOps ops = new OnnxOps(g, values);
    String out = TwoTowerNet.userTower(ops, config, "user_sparse", "seq");
    ops.identity(out, OUTPUT);
    g.addOutput(input(OUTPUT, TensorProto.DataType.FLOAT, config.outputDim()));
    return ModelProto.newBuilder()
        .setIrVersion(IR_VERSION)
        .setProducerName("liverec")
        .setGraph(g)
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OnnxOps.OPSET))
        .build();
  }

  public static void export(TwoTowerConfig config, Map<String, float[]> values, Path file) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      try (OutputStream os = Files.newOutputStream(file)) {
        build(config, values).writeTo(os);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write ONNX model " + file, e);
    }
  }

  private static ValueInfoProto input(String name, TensorProto.DataType type, int width) {
    TensorShapeProto.Builder shape =
        TensorShapeProto.newBuilder()
            .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("batch"))
            .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(width));
    return ValueInfoProto.newBuilder()
        .setName(name)
        .setType(
            TypeProto.newBuilder()
                .setTensorType(
                    TypeProto.Tensor.newBuilder().setElemType(type.getNumber()).setShape(shape)))
        .build();
  }
}
