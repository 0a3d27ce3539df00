package io.liverec.pipelines.export;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Deliberately broken copies of an exported model, for canary tests: the same graph, tensor names
 * and shapes, so it loads and serves like the original, but with every float weight tensor's
 * elements permuted — the model still produces probabilities, only no longer learnt ones.
 */
public final class OnnxWeights {
  private OnnxWeights() {}

  /**
   * Writes {@code in} to {@code out} with the elements of each float initializer of more than one
   * element shuffled (Fisher–Yates, seeded).
   *
   * @return how many weight tensors were shuffled
   */
  public static int shuffled(Path in, Path out, long seed) throws IOException {
    ModelProto model;
    try (InputStream s = Files.newInputStream(in)) {
      model = ModelProto.parseFrom(s);
    }
    SplittableRandom rng = new SplittableRandom(seed);
    GraphProto.Builder graph = model.getGraph().toBuilder();
    int shuffled = 0;
    for (int i = 0; i < graph.getInitializerCount(); i++) {
      TensorProto t = graph.getInitializer(i);
      if (t.getDataType() != TensorProto.DataType.FLOAT.getNumber()) {
        continue;
      }
      float[] w = floats(t);
      if (w.length < 2) {
        continue;
      }
      for (int j = w.length - 1; j > 0; j--) {
        int k = rng.nextInt(j + 1);
        float x = w[j];
        w[j] = w[k];
        w[k] = x;
      }
      ByteBuffer buf = ByteBuffer.allocate(4 * w.length).order(ByteOrder.LITTLE_ENDIAN);
      buf.asFloatBuffer().put(w);
      graph.setInitializer(
          i, t.toBuilder().clearFloatData().setRawData(ByteString.copyFrom(buf.array())).build());
      shuffled++;
    }
    OnnxExporter.write(model.toBuilder().setGraph(graph).build(), out);
    return shuffled;
  }

  private static float[] floats(TensorProto t) {
    if (!t.getRawData().isEmpty()) {
      ByteBuffer b = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
      float[] w = new float[b.remaining() / 4];
      b.asFloatBuffer().get(w);
      return w;
    }
    float[] w = new float[t.getFloatDataCount()];
    for (int i = 0; i < w.length; i++) {
      w[i] = t.getFloatData(i);
    }
    return w;
  }
}
