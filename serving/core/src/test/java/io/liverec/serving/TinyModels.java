package io.liverec.serving;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import io.liverec.serving.inference.Tensor;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/**
 * Small ONNX models with the tensor layout of LiveRec's exports, built in the test (the trainer
 * lives above serving), with a plain-Java forward pass to check them against.
 *
 * <p>Ranker: {@code sparse} int64 [N, 3] and {@code dense} float [N, 4] → embeddings (vocabulary
 * 10, width 4) of the ids, flattened and concatenated with dense → linear [16 → 2] → sigmoid →
 * {@code ctr}, {@code cvr} float [N]. User tower: {@code user_sparse} int64 [N, 2], {@code seq}
 * int64 [N, 5] → embeddings (vocabulary 10, width 3) flattened → linear [21 → 8] → {@code
 * user_vector} float [N, 8].
 */
public final class TinyModels {
  public static final int VOCAB = 10;

  /** A model's weights, drawn from a seed: a different seed is a different version. */
  public record Weights(float[] embedding, int width, float[] w, float[] b, int in, int out) {
    static Weights draw(long seed, int width, int in, int out) {
      Random r = new Random(seed);
      float[] e = new float[VOCAB * width];
      float[] w = new float[in * out];
      float[] b = new float[out];
      for (int i = 0; i < e.length; i++) {
        e[i] = (float) r.nextGaussian();
      }
      for (int i = 0; i < w.length; i++) {
        w[i] = (float) (r.nextGaussian() * 0.5);
      }
      for (int i = 0; i < b.length; i++) {
        b[i] = (float) (r.nextGaussian() * 0.1);
      }
      return new Weights(e, width, w, b, in, out);
    }
  }

  public static Weights rankerWeights(long seed) {
    return Weights.draw(seed, 4, 3 * 4 + 4, 2);
  }

  public static Weights towerWeights(long seed) {
    return Weights.draw(seed, 3, 7 * 3, 8);
  }

  /** Writes the ranker with {@code weights} to {@code file}. */
  public static Path ranker(Path file, Weights weights) {
    GraphProto.Builder g = GraphProto.newBuilder().setName("tiny_ranker");
    g.addInput(port("sparse", TensorProto.DataType.INT64, 3));
    g.addInput(port("dense", TensorProto.DataType.FLOAT, 4));
    g.addInitializer(floats("E", weights.embedding(), VOCAB, weights.width()));
    g.addInitializer(floats("W", weights.w(), weights.in(), weights.out()));
    g.addInitializer(floats("B", weights.b(), weights.out()));
    g.addInitializer(longs("flat", new long[] {0, -1}, 2));
    g.addInitializer(longs("i0", new long[] {0}));
    g.addInitializer(longs("i1", new long[] {1}));
    g.addNode(node("Gather", List.of("E", "sparse"), "emb"));
    g.addNode(node("Reshape", List.of("emb", "flat"), "emb_flat"));
    g.addNode(
        node("Concat", List.of("emb_flat", "dense"), "x").toBuilder()
            .addAttribute(intAttr("axis", 1)));
    g.addNode(node("MatMul", List.of("x", "W"), "xw"));
    g.addNode(node("Add", List.of("xw", "B"), "logits"));
    g.addNode(node("Sigmoid", List.of("logits"), "p"));
    g.addNode(gather("p", "i0", "ctr"));
    g.addNode(gather("p", "i1", "cvr"));
    g.addOutput(port("ctr", TensorProto.DataType.FLOAT, 0));
    g.addOutput(port("cvr", TensorProto.DataType.FLOAT, 0));
    return write(file, g);
  }

  /**
   * Writes a ranker with the tensors of {@link #ranker} (so it publishes like one) whose graph uses
   * an operator no runtime implements: it fails when the server loads it.
   */
  public static Path unrunnableRanker(Path file) {
    try {
      ModelProto m = ModelProto.parseFrom(Files.readAllBytes(ranker(file, rankerWeights(0))));
      GraphProto.Builder g = m.getGraph().toBuilder();
      for (NodeProto.Builder n : g.getNodeBuilderList()) {
        if (n.getOpType().equals("Sigmoid")) {
          n.setOpType("LiveRecNoSuchOperator");
        }
      }
      return write(file, g);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes the user tower with {@code weights} to {@code file}. */
  public static Path userTower(Path file, Weights weights) {
    GraphProto.Builder g = GraphProto.newBuilder().setName("tiny_user_tower");
    g.addInput(port("user_sparse", TensorProto.DataType.INT64, 2));
    g.addInput(port("seq", TensorProto.DataType.INT64, 5));
    g.addInitializer(floats("E", weights.embedding(), VOCAB, weights.width()));
    g.addInitializer(floats("W", weights.w(), weights.in(), weights.out()));
    g.addInitializer(floats("B", weights.b(), weights.out()));
    g.addInitializer(longs("flat", new long[] {0, -1}, 2));
    g.addNode(
        node("Concat", List.of("user_sparse", "seq"), "ids").toBuilder()
            .addAttribute(intAttr("axis", 1)));
    g.addNode(node("Gather", List.of("E", "ids"), "emb"));
    g.addNode(node("Reshape", List.of("emb", "flat"), "x"));
    g.addNode(node("MatMul", List.of("x", "W"), "xw"));
    g.addNode(node("Add", List.of("xw", "B"), "user_vector"));
    g.addOutput(port("user_vector", TensorProto.DataType.FLOAT, 8));
    return write(file, g);
  }

  /** The ranker's forward pass in Java: {ctr[], cvr[]}. */
  public static float[][] rankerForward(Weights w, long[] sparse, float[] dense, int rows) {
    float[][] out = new float[2][rows];
    for (int r = 0; r < rows; r++) {
      float[] x = new float[w.in()];
      for (int f = 0; f < 3; f++) {
        System.arraycopy(
            w.embedding(), (int) sparse[r * 3 + f] * w.width(), x, f * w.width(), w.width());
      }
      System.arraycopy(dense, r * 4, x, 12, 4);
      for (int o = 0; o < 2; o++) {
        double z = w.b()[o];
        for (int i = 0; i < w.in(); i++) {
          z += x[i] * w.w()[i * w.out() + o];
        }
        out[o][r] = (float) (1 / (1 + Math.exp(-z)));
      }
    }
    return out;
  }

  /** Random ranker inputs for {@code rows} rows. */
  public static List<Tensor> rankerInputs(long seed, int rows) {
    Random r = new Random(seed);
    long[] sparse = new long[rows * 3];
    float[] dense = new float[rows * 4];
    for (int i = 0; i < sparse.length; i++) {
      sparse[i] = r.nextInt(VOCAB);
    }
    for (int i = 0; i < dense.length; i++) {
      dense[i] = (float) r.nextGaussian();
    }
    return List.of(
        Tensor.ofLongs("sparse", new long[] {rows, 3}, sparse),
        Tensor.ofFloats("dense", new long[] {rows, 4}, dense));
  }

  /** Random user-tower inputs for {@code rows} rows. */
  public static List<Tensor> towerInputs(long seed, int rows) {
    Random r = new Random(seed);
    long[] user = new long[rows * 2];
    long[] seq = new long[rows * 5];
    for (int i = 0; i < user.length; i++) {
      user[i] = r.nextInt(VOCAB);
    }
    for (int i = 0; i < seq.length; i++) {
      seq[i] = r.nextInt(VOCAB);
    }
    return List.of(
        Tensor.ofLongs("user_sparse", new long[] {rows, 2}, user),
        Tensor.ofLongs("seq", new long[] {rows, 5}, seq));
  }

  private static NodeProto gather(String data, String index, String out) {
    // a scalar index on axis 1: [N, 2] -> [N]
    return NodeProto.newBuilder()
        .setOpType("Gather")
        .addInput(data)
        .addInput(index)
        .addOutput(out)
        .setName(out + "_gather")
        .addAttribute(intAttr("axis", 1))
        .build();
  }

  private static Path write(Path file, GraphProto.Builder g) {
    GraphProto.Builder graph = g;
    ModelProto m =
        ModelProto.newBuilder()
            .setIrVersion(8)
            .setProducerName("liverec-test")
            .setGraph(graph)
            .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(13))
            .build();
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      try (OutputStream os = Files.newOutputStream(file)) {
        m.writeTo(os);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  private static NodeProto node(String op, List<String> inputs, String output) {
    return NodeProto.newBuilder()
        .setOpType(op)
        .setName(output + "_" + op)
        .addAllInput(inputs)
        .addOutput(output)
        .build();
  }

  private static AttributeProto intAttr(String name, long v) {
    return AttributeProto.newBuilder()
        .setName(name)
        .setType(AttributeProto.AttributeType.INT)
        .setI(v)
        .build();
  }

  private static TensorProto floats(String name, float[] values, long... dims) {
    TensorProto.Builder t =
        TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT.getNumber());
    for (long d : dims) {
      t.addDims(d);
    }
    for (float v : values) {
      t.addFloatData(v);
    }
    return t.build();
  }

  private static TensorProto longs(String name, long[] values, long... dims) {
    TensorProto.Builder t =
        TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64.getNumber());
    for (long d : dims) {
      t.addDims(d);
    }
    for (long v : values) {
      t.addInt64Data(v);
    }
    return t.build();
  }

  private static ValueInfoProto port(String name, TensorProto.DataType type, int width) {
    TensorShapeProto.Builder shape =
        TensorShapeProto.newBuilder()
            .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("batch"));
    if (width > 0) {
      shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(width));
    }
    return ValueInfoProto.newBuilder()
        .setName(name)
        .setType(
            TypeProto.newBuilder()
                .setTensorType(
                    TypeProto.Tensor.newBuilder().setElemType(type.getNumber()).setShape(shape)))
        .build();
  }

  private TinyModels() {}
}
