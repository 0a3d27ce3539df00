package io.liverec.pipelines.ranking.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.liverec.api.v1alpha1.ModelSpec;
import io.liverec.api.v1alpha1.TrainingSpec;
import io.liverec.pipelines.features.Batch;
import io.liverec.pipelines.features.FeatureSchema;
import io.liverec.pipelines.ranking.RankerConfig;
import io.liverec.pipelines.ranking.Rankers;
import io.liverec.pipelines.ranking.TfRanker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Ranker speed in one run: training samples/s at batch 1024 for DeepFM (the anchor) and for the
 * full model (KFM + cross + AutoInt, ESMM + MMoE, GradNorm, PCGrad), and batch-1024 forward latency
 * of the full model in TF vs its ONNX export in ONNX Runtime. Settings as key=value arguments:
 * {@code batch}, {@code steps}, {@code warmup}, {@code fields}, {@code vocab}, {@code breakdown}
 * (per-rung training speed), {@code ortThreads}, {@code ortSpinning}, {@code ortProfile} (file
 * prefix).
 */
public final class RankerBenchmark {
  private RankerBenchmark() {}

  /** ONNX Runtime intra-op threads (0 = its default, one per core). */
  private static int ortThreads;

  /**
   * Whether ONNX Runtime worker threads spin while waiting (its default; off here, where its
   * spinning threads compete with TF in the same process).
   */
  private static boolean ortSpinning;

  /** Lazy-Adam (sparse) embedding updates, the default; false = dense Adam. */
  private static boolean sparseUpdates;

  /** Prefix of ONNX Runtime profile files (null = no profiling). */
  private static String ortProfile;

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = new HashMap<>();
    for (String a : args) {
      String[] kv = a.split("=", 2);
      if (kv.length != 2) {
        throw new IllegalArgumentException("expected key=value, got " + a);
      }
      opts.put(kv[0], kv[1]);
    }
    int batch = Integer.parseInt(opts.getOrDefault("batch", "1024"));
    int steps = Integer.parseInt(opts.getOrDefault("steps", "60"));
    int warmup = Integer.parseInt(opts.getOrDefault("warmup", "10"));
    int fields = Integer.parseInt(opts.getOrDefault("fields", "12"));
    long vocab = Long.parseLong(opts.getOrDefault("vocab", "2000"));
    ortThreads = Integer.parseInt(opts.getOrDefault("ortThreads", "0"));
    ortSpinning = Boolean.parseBoolean(opts.getOrDefault("ortSpinning", "false"));
    ortProfile = opts.get("ortProfile");
    sparseUpdates = Boolean.parseBoolean(opts.getOrDefault("sparse", "true"));
    if (opts.containsKey("vocabs")) {
      vocabLadder(opts.get("vocabs"), fields, batch, steps, warmup);
      return;
    }

    List<FeatureSchema.SparseField> sparse = new ArrayList<>();
    for (int f = 0; f < fields; f++) {
      sparse.add(new FeatureSchema.SparseField("f" + f, vocab));
    }
    FeatureSchema schema =
        new FeatureSchema(
            sparse, List.of("d0", "d1", "d2", "d3", "d4", "d5", "d6", "d7"), 20, 5000, 32);
    SplittableRandom random = new SplittableRandom(42);
    List<Batch> batches = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      batches.add(batch(schema, random, batch));
    }
    System.out.printf("embedding updates: %s%n", sparseUpdates ? "sparse (lazy Adam)" : "dense");
    System.out.printf(
        "schema: %d sparse fields x %d ids, 8 dense, seq 20 (vocab 5000), multimodal 32; batch %d; %d steps after %d warm-up%n",
        fields, vocab, batch, steps, warmup);

    ModelSpec deepFm = spec();
    deepFm.interactions = new ArrayList<>(List.of("fm"));
    ModelSpec full = spec();
    full.interactions = new ArrayList<>(List.of("kfm", "cross", "autoint"));
    full.multitask.experts = "mmoe";
    full.multitask.balancing = "gradnorm";
    full.multitask.gradientSurgery = "pcgrad";

    double anchor = trainThroughput("DeepFM+ESMM", deepFm, schema, batches, steps, warmup);
    double fullRate = trainThroughput("full", full, schema, batches, steps, warmup);
    System.out.printf(
        "RESULT train samples/s: DeepFM %.0f, full %.0f, ratio full/DeepFM %.3f%n",
        anchor, fullRate, fullRate / anchor);

    if ("train".equals(opts.get("only"))) {
      return;
    }
    forwardLatency("DeepFM+ESMM", deepFm, schema, batches.get(0), steps, warmup);
    forwardLatency("full", full, schema, batches.get(0), steps, warmup);

    if (Boolean.parseBoolean(opts.getOrDefault("breakdown", "false"))) {
      ModelSpec m = spec();
      m.interactions = new ArrayList<>(List.of("kfm"));
      trainThroughput("DeepKFM", m, schema, batches, steps, warmup);
      m.interactions = new ArrayList<>(List.of("kfm", "cross"));
      trainThroughput("+cross", m, schema, batches, steps, warmup);
      m.interactions = new ArrayList<>(List.of("kfm", "cross", "autoint"));
      trainThroughput("+autoint", m, schema, batches, steps, warmup);
      m.multitask.experts = "mmoe";
      trainThroughput("+mmoe", m, schema, batches, steps, warmup);
      m.multitask.balancing = "gradnorm";
      trainThroughput("+gradnorm", m, schema, batches, steps, warmup);
      m.multitask.balancing = "none";
      m.multitask.gradientSurgery = "pcgrad";
      trainThroughput("+pcgrad (no gradnorm)", m, schema, batches, steps, warmup);
    }
  }

  /**
   * Training step time of DeepFM+ESMM against the embedding table size, one JVM, rounds interleaved
   * (the faster round of each counts): {@code vocabs=small,large} ids per field, {@code fields}
   * fields. Two batch sets: ids spread uniformly over each table (the larger table's batches touch
   * more distinct rows, far apart in memory) and the same ids, drawn from the small range, fed to
   * both tables (only the table size differs: any per-step work over the whole table shows here).
   */
  private static void vocabLadder(String vocabs, int fields, int batch, int steps, int warmup) {
    String[] v = vocabs.split(",");
    long small = Long.parseLong(v[0].trim());
    long large = Long.parseLong(v[1].trim());
    FeatureSchema smallSchema = schema(fields, small);
    FeatureSchema largeSchema = schema(fields, large);
    List<Batch> smallBatches = batches(smallSchema, batch, 42);
    List<Batch> largeBatches = batches(largeSchema, batch, 42);
    ModelSpec deepFm = spec();
    deepFm.interactions = new ArrayList<>(List.of("fm"));
    System.out.printf(
        "DeepFM+ESMM, %d fields: %,d rows vs %,d rows; batch %d; %d steps after %d warm-up;"
            + " embedding updates %s%n",
        fields,
        fields * small,
        fields * large,
        batch,
        steps,
        warmup,
        sparseUpdates ? "sparse (lazy Adam)" : "dense");
    double[] best = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE};
    String[] labels = {
      "small table, its own ids", "large table, ids spread over it", "large table, the small ids"
    };
    for (int round = 1; round <= 2; round++) {
      double[] ms = {
        stepMs(deepFm, smallSchema, smallBatches, steps, warmup),
        stepMs(deepFm, largeSchema, largeBatches, steps, warmup),
        stepMs(deepFm, largeSchema, smallBatches, steps, warmup)
      };
      for (int i = 0; i < 3; i++) {
        best[i] = Math.min(best[i], ms[i]);
        System.out.printf("round %d %-32s %7.2f ms/step%n", round, labels[i], ms[i]);
      }
      System.out.printf("round %d load average %s%n", round, loadAverage());
    }
    System.out.printf(
        "RESULT step time %,d -> %,d rows: ids spread %.2f -> %.2f ms (%.2fx); same ids %.2f ms"
            + " (%.2fx: the table size alone)%n",
        fields * small,
        fields * large,
        best[0],
        best[1],
        best[1] / best[0],
        best[2],
        best[2] / best[0]);
  }

  private static FeatureSchema schema(int fields, long vocab) {
    List<FeatureSchema.SparseField> sparse = new ArrayList<>();
    for (int f = 0; f < fields; f++) {
      sparse.add(new FeatureSchema.SparseField("f" + f, vocab));
    }
    return new FeatureSchema(
        sparse, List.of("d0", "d1", "d2", "d3", "d4", "d5", "d6", "d7"), 20, 5000, 32);
  }

  private static List<Batch> batches(FeatureSchema schema, int batch, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<Batch> batches = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      batches.add(batch(schema, random, batch));
    }
    return batches;
  }

  private static double stepMs(
      ModelSpec spec, FeatureSchema schema, List<Batch> batches, int steps, int warmup) {
    RankerConfig config = RankerConfig.of(spec, new TrainingSpec(), schema);
    try (TfRanker ranker = new TfRanker(config, sparseUpdates)) {
      for (int i = 0; i < warmup; i++) {
        ranker.trainStep(batches.get(i % batches.size()));
      }
      long t0 = System.nanoTime();
      for (int i = 0; i < steps; i++) {
        ranker.trainStep(batches.get(i % batches.size()));
      }
      return (System.nanoTime() - t0) / 1e6 / steps;
    }
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (java.io.IOException e) {
      return "?";
    }
  }

  private static void forwardLatency(
      String label, ModelSpec spec, FeatureSchema schema, Batch b, int steps, int warmup)
      throws Exception {
    try (TfRanker ranker = Rankers.create(spec, new TrainingSpec(), schema)) {
      Path dir = Files.createTempDirectory("liverec-bench-onnx");
      Path onnx = dir.resolve("model.onnx");
      ranker.exportOnnx(onnx);
      double tfMs;
      double ortMs;
      OrtEnvironment env = OrtEnvironment.getEnvironment();
      try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
        if (ortThreads > 0) {
          o.setIntraOpNumThreads(ortThreads);
        }
        if (ortProfile != null) {
          o.enableProfiling(ortProfile + "-" + label);
        }
        if (!ortSpinning) {
          o.addConfigEntry("session.intra_op.allow_spinning", "0");
        }
        OrtSession s = env.createSession(onnx.toString(), o);
        Map<String, OnnxTensor> in = new HashMap<>();
        in.put("sparse", OnnxTensor.createTensor(env, b.sparse()));
        in.put("dense", OnnxTensor.createTensor(env, b.dense()));
        in.put("seq", OnnxTensor.createTensor(env, b.seq()));
        in.put("multimodal", OnnxTensor.createTensor(env, b.multimodal()));
        for (int i = 0; i < warmup; i++) {
          ranker.predict(b);
          s.run(in).close();
        }
        // Interleaved, so load changes on a shared machine hit both alike.
        long tfNanos = 0;
        long ortNanos = 0;
        for (int i = 0; i < steps; i++) {
          long t0 = System.nanoTime();
          ranker.predict(b);
          long t1 = System.nanoTime();
          s.run(in).close();
          long t2 = System.nanoTime();
          tfNanos += t1 - t0;
          ortNanos += t2 - t1;
        }
        tfMs = tfNanos / 1e6 / steps;
        ortMs = ortNanos / 1e6 / steps;
        in.values().forEach(OnnxTensor::close);
        if (ortProfile != null) {
          System.out.println("ONNX Runtime profile: " + s.endProfiling());
        }
        s.close();
      }
      Files.deleteIfExists(onnx);
      Files.deleteIfExists(dir);
      System.out.printf(
          "RESULT %s forward at batch %d: TF %.2f ms, ONNX Runtime %.2f ms, ratio ORT/TF %.3f%n",
          label, b.size(), tfMs, ortMs, ortMs / tfMs);
    }
  }

  private static ModelSpec spec() {
    ModelSpec m = new ModelSpec();
    m.embeddingDim = 16;
    m.hiddenUnits = new ArrayList<>(List.of(64, 32));
    return m;
  }

  private static double trainThroughput(
      String label,
      ModelSpec spec,
      FeatureSchema schema,
      List<Batch> batches,
      int steps,
      int warmup) {
    RankerConfig config = RankerConfig.of(spec, new TrainingSpec(), schema);
    try (TfRanker ranker = new TfRanker(config, sparseUpdates)) {
      for (int i = 0; i < warmup; i++) {
        ranker.trainStep(batches.get(i % batches.size()));
      }
      long t0 = System.nanoTime();
      long samples = 0;
      for (int i = 0; i < steps; i++) {
        Batch b = batches.get(i % batches.size());
        ranker.trainStep(b);
        samples += b.size();
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      double rate = samples / seconds;
      System.out.printf("%s: %.2f ms/step, %.0f samples/s%n", label, seconds * 1e3 / steps, rate);
      return rate;
    }
  }

  private static Batch batch(FeatureSchema s, SplittableRandom r, int n) {
    long[][] sparse = new long[n][s.numSparse()];
    float[][] dense = new float[n][s.denseDim()];
    long[][] seq = new long[n][s.seqLength()];
    float[][] mm = new float[n][s.multimodalDim()];
    float[] click = new float[n];
    float[] conv = new float[n];
    float[] weight = new float[n];
    for (int i = 0; i < n; i++) {
      for (int f = 0; f < s.numSparse(); f++) {
        sparse[i][f] = r.nextLong(s.sparseFields().get(f).vocabSize());
      }
      for (int f = 0; f < s.denseDim(); f++) {
        dense[i][f] = (float) r.nextGaussian();
      }
      int len = r.nextInt(s.seqLength() + 1);
      for (int t = 0; t < len; t++) {
        seq[i][t] = 1 + r.nextLong(s.seqVocab() - 1);
      }
      for (int m = 0; m < s.multimodalDim(); m++) {
        mm[i][m] = (float) r.nextGaussian();
      }
      click[i] = r.nextDouble() < 0.1 ? 1 : 0;
      conv[i] = click[i] > 0 && r.nextDouble() < 0.2 ? 1 : 0;
      weight[i] = 1;
    }
    return new Batch(sparse, dense, seq, mm, click, conv, weight, new long[n]);
  }
}
