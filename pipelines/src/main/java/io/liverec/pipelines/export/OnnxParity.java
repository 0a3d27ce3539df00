package io.liverec.pipelines.export;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How far an exported ONNX model strays from the model it was exported from: the largest |Δ|
 * between its outputs in ONNX Runtime and the trained model's outputs on the same rows. A trainer
 * measures it on holdout rows right after export; the parity gate ({@code
 * spec.releaseGates.maxParityError}) bounds it.
 */
public final class OnnxParity {
  private OnnxParity() {}

  /**
   * Max |Δ| over every row and value of every expected output.
   *
   * @param onnx the exported model
   * @param inputs input name → row-major array ({@code long[][]}, {@code float[][]}); inputs the
   *     model does not declare are left out
   * @param expected output name → the trained model's values, flattened row by row
   * @return the largest difference; {@link Double#POSITIVE_INFINITY} when an expected output is
   *     missing from the ONNX model or has another number of values (a broken export)
   */
  public static double maxAbsDiff(
      Path onnx, Map<String, Object> inputs, Map<String, float[]> expected) {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    List<OnnxTensor> tensors = new ArrayList<>();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        OrtSession session = env.createSession(onnx.toString(), options)) {
      Set<String> declared = session.getInputNames();
      Map<String, OnnxTensor> feed = new HashMap<>();
      for (Map.Entry<String, Object> in : inputs.entrySet()) {
        if (declared.contains(in.getKey())) {
          OnnxTensor t = OnnxTensor.createTensor(env, in.getValue());
          tensors.add(t);
          feed.put(in.getKey(), t);
        }
      }
      try (OrtSession.Result result = session.run(feed)) {
        double max = 0;
        for (Map.Entry<String, float[]> e : expected.entrySet()) {
          float[] got = result.get(e.getKey()).map(OnnxParity::flatten).orElse(null);
          if (got == null || got.length != e.getValue().length) {
            return Double.POSITIVE_INFINITY;
          }
          for (int i = 0; i < got.length; i++) {
            max = Math.max(max, Math.abs((double) got[i] - e.getValue()[i]));
          }
        }
        return max;
      }
    } catch (OrtException e) {
      throw new IllegalStateException("running " + onnx + " in ONNX Runtime: " + e.getMessage(), e);
    } finally {
      tensors.forEach(OnnxTensor::close);
    }
  }

  /** The rows of a {@code float[][]} laid end to end. */
  public static float[] flatten(float[][] rows) {
    int n = 0;
    for (float[] r : rows) {
      n += r.length;
    }
    float[] out = new float[n];
    int at = 0;
    for (float[] r : rows) {
      System.arraycopy(r, 0, out, at, r.length);
      at += r.length;
    }
    return out;
  }

  private static float[] flatten(OnnxValue v) {
    try {
      Object value = v.getValue();
      if (value instanceof float[] flat) {
        return flat;
      }
      if (value instanceof float[][] rows) {
        return flatten(rows);
      }
      return null;
    } catch (OrtException e) {
      throw new IllegalStateException("reading an ONNX Runtime output: " + e.getMessage(), e);
    }
  }
}
