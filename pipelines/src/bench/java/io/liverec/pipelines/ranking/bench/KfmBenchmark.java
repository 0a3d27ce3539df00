package io.liverec.pipelines.ranking.bench;

import io.liverec.pipelines.nn.Fields;
import io.liverec.pipelines.nn.GraphRunner;
import io.liverec.pipelines.nn.Init;
import io.liverec.pipelines.nn.TfOps;
import io.liverec.pipelines.ranking.layers.Kfm;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.tensorflow.Operand;

/**
 * KFM forward cost in one run: the factored form of per-field kernels (what {@code kfm} with {@code
 * kfmKernelSharing: field} computes) against its anchor, the quadratic block form ({@link
 * Kfm#term}) on the same kernels and embeddings, at 20 and 60 fields. The anchor gets its block
 * matrix ready-made, so the kernel assembly it would need in a model is not counted (which favours
 * the anchor). Both outputs are compared before timing. Settings as key=value: {@code batch}
 * (1024), {@code dim} (16), {@code fields} (comma list, 20,60), {@code reps} (30), {@code warmup}
 * (5).
 */
public final class KfmBenchmark {
  private KfmBenchmark() {}

  public static void main(String[] args) {
    Map<String, String> opts = new HashMap<>();
    for (String a : args) {
      String[] kv = a.split("=", 2);
      if (kv.length != 2) {
        throw new IllegalArgumentException("expected key=value, got " + a);
      }
      opts.put(kv[0], kv[1]);
    }
    int batch = Integer.parseInt(opts.getOrDefault("batch", "1024"));
    int d = Integer.parseInt(opts.getOrDefault("dim", "16"));
    int reps = Integer.parseInt(opts.getOrDefault("reps", "30"));
    int warmup = Integer.parseInt(opts.getOrDefault("warmup", "5"));
    int[] fieldCounts =
        Arrays.stream(opts.getOrDefault("fields", "20,60").split(","))
            .mapToInt(Integer::parseInt)
            .toArray();
    System.out.printf(
        "KFM forward, per-field kernels, batch %d, dim %d, %d reps after %d warm-up (TF CPU)%n",
        batch, d, reps, warmup);
    System.out.printf(
        "%-7s %14s %14s %8s %12s%n", "fields", "factored ms", "block ms", "ratio", "max |diff|");
    for (int n : fieldCounts) {
      SplittableRandom r = new SplittableRandom(n);
      float[] emb = gaussian(r, batch * n * d, 0.3);
      float[] kernel = gaussian(r, n * d * d, 1.0 / d);
      float[] blocks = blocks(kernel, n, d);
      try (GraphRunner.Built linear =
              GraphRunner.build(
                  Map.of("kfm/kernel", kernel, "emb", emb),
                  ops ->
                      List.of(
                          new Kfm(Kfm.Sharing.FIELD)
                              .apply(ops, "kfm", fields(ops, batch, n, d))
                              .wide()));
          GraphRunner.Built block =
              GraphRunner.build(
                  Map.of("emb", emb, "blocks", blocks),
                  ops ->
                      List.of(
                          Kfm.term(
                              ops,
                              ops.variable("emb", new long[] {batch, n, d}, Init.ZEROS),
                              ops.variable(
                                  "blocks", new long[] {(long) n * d, (long) n * d}, Init.ZEROS),
                              n,
                              d)))) {
        float[] a = linear.evaluate().get(0).data();
        float[] b = block.evaluate().get(0).data();
        double maxDiff = 0;
        for (int i = 0; i < a.length; i++) {
          maxDiff = Math.max(maxDiff, Math.abs(a[i] - b[i]));
        }
        double linearMs = time(linear, reps, warmup);
        double blockMs = time(block, reps, warmup);
        System.out.printf(
            "%-7d %14.3f %14.3f %7.1fx %12.2e%n",
            n, linearMs, blockMs, blockMs / linearMs, maxDiff);
      }
    }
  }

  /** Embeddings as a variable, so TF cannot fold the layer into a constant. */
  private static Fields<Operand<?>> fields(TfOps ops, int batch, int n, int d) {
    Operand<?> e = ops.variable("emb", new long[] {batch, n, d}, Init.ZEROS);
    return new Fields<>(e, n, d, null, 0, ops.reshape(e, -1, (long) n * d), n * d);
  }

  /** Median milliseconds per evaluation. */
  private static double time(GraphRunner.Built graph, int reps, int warmup) {
    for (int i = 0; i < warmup; i++) {
      graph.evaluate();
    }
    double[] ms = new double[reps];
    for (int i = 0; i < reps; i++) {
      long t0 = System.nanoTime();
      graph.evaluate();
      ms[i] = (System.nanoTime() - t0) / 1e6;
    }
    Arrays.sort(ms);
    return ms[reps / 2];
  }

  private static float[] gaussian(SplittableRandom r, int size, double scale) {
    float[] x = new float[size];
    for (int i = 0; i < size; i++) {
      x[i] = (float) (r.nextGaussian() * scale);
    }
    return x;
  }

  /** The block matrix with field i's kernel repeated along block row i. */
  private static float[] blocks(float[] kernel, int n, int d) {
    int nd = n * d;
    float[] k = new float[nd * nd];
    for (int i = 0; i < n; i++) {
      for (int a = 0; a < d; a++) {
        for (int j = 0; j < n; j++) {
          System.arraycopy(kernel, (i * d + a) * d, k, (i * d + a) * nd + j * d, d);
        }
      }
    }
    return k;
  }
}
