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
import java.util.List;
import java.util.Map;

/**
 * Exports the user tower as ONNX by running {@link TwoTowerNet#userTower} through the ranking
 * module's {@link OnnxOps} with the trained values: inputs {@code user_sparse} int64 [N, 3 +
 * profile fields] and {@code seq} int64 [N, L], output {@code user_vector} float [N, outputDim]
 * (unit length); with a room prior {@code [u, 1, 0]/√2}, float [N, outputDim + 2] (unit length, the
 * {@link PriorVectors} query the prior-form room vectors are searched with). The room side is
 * served from the ANN index, so only the user tower runs per request.
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
    int width = config.outputDim();
    if (config.roomPrior()) {
      out = priorQuery(ops, out, width);
      width += 2;
    }
    ops.identity(out, OUTPUT);
    g.addOutput(input(OUTPUT, TensorProto.DataType.FLOAT, width));
    return ModelProto.newBuilder()
        .setIrVersion(IR_VERSION)
        .setProducerName("liverec")
        .setGraph(g)
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OnnxOps.OPSET))
        .build();
  }

  /**
   * {@link PriorVectors#query} of a unit user vector in the graph: {@code [u, 1, 0] / √2}, so the
   * output scores against the prior-form room vectors the index holds. The two constant columns are
   * {@code u · 0 + [1, 0]} (a zero matrix product broadcasts them to the batch).
   */
  private static String priorQuery(OnnxOps ops, String u, int d) {
    float inv = (float) (1 / Math.sqrt(2));
    String scaled = ops.mul(u, ops.constant(new float[] {inv}, 1));
    String zeros = ops.matmul(u, ops.constant(new float[d * 2], d, 2));
    String tail = ops.add(zeros, ops.constant(new float[] {inv, 0}, 1, 2));
    return ops.concat(List.of(scaled, tail), 1);
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
