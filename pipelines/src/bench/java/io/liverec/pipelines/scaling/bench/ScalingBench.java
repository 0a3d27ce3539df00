package io.liverec.pipelines.scaling.bench;

import io.liverec.api.v1alpha1.Gate;
import io.liverec.api.v1alpha1.TrainingRun;
import io.liverec.pipelines.pipeline.DemoSpecs;
import io.liverec.pipelines.pipeline.TrainerOutput;
import io.liverec.pipelines.recall.train.RecallTrainer;
import io.liverec.pipelines.sampling.DuckDbSampler;
import io.liverec.pipelines.sampling.SamplingOptions;
import io.liverec.pipelines.sampling.SamplingReport;
import io.liverec.pipelines.sim.SimulationReport;
import io.liverec.pipelines.sim.Simulator;
import io.liverec.pipelines.sim.SimulatorConfig;
import io.liverec.pipelines.train.RankingTrainer;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Benchmark (not a test): cost growth of the offline pipeline — Skip-Above sampling, the demo's
 * ranker (DeepFM + ESMM with the room and user feature views: features, train, evaluate on the
 * holdout, ONNX export) and the demo's two-tower (train, evaluate against popularity, export) — at
 * 1×, 2× and 4× simulated days of the same world (same users, rooms and seed), in one JVM and one
 * run. The holdout grows with the log (1, 2, 4 × {@code holdout} days), so every stage's input
 * doubles from one size to the next. Prints wall and process CPU seconds per stage and size, the
 * load average after each stage, and per stage and in total the least-squares slope of log(time)
 * against log(impressions) with its R², beside the intercept of a linear fit (the fixed cost,
 * seconds). A slope of 1 means cost proportional to data; below 1, fixed costs still weigh; above
 * 1, a stage grows faster than its input. "ranker train" is from the start of the run to its last
 * training step (reading samples, fitting the feature transform, the steps); "ranker evaluate +
 * export" the rest.
 *
 * <p>Arguments ({@code key=value}): users (2000), rooms (300), days (training days at 1×, 2),
 * holdout (holdout days at 1×, 1), scales (1,2,4), seed (7), warmup (true: one 1-day-training run
 * first, not reported, so the JIT and native libraries are warm for the 1× run), work
 * (.cache/bench-scaling). Run through {@code scripts/bench-scaling.sh}.
 */
public final class ScalingBench {
  private ScalingBench() {}

  static final String[] STAGES = {
    "sample", "ranker train", "ranker evaluate + export", "two-tower (train, evaluate, export)"
  };

  record Size(int scale, long impressions, long samples, Map<String, double[]> stages) {}

  public static void main(String[] args) throws Exception {
    Map<String, String> a = new LinkedHashMap<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("arguments are key=value, got " + arg);
      }
      a.put(arg.substring(0, eq), arg.substring(eq + 1));
    }
    int users = Integer.parseInt(a.getOrDefault("users", "2000"));
    int rooms = Integer.parseInt(a.getOrDefault("rooms", "300"));
    int trainDays = Integer.parseInt(a.getOrDefault("days", "2"));
    int holdout = Integer.parseInt(a.getOrDefault("holdout", "1"));
    long seed = Long.parseLong(a.getOrDefault("seed", "7"));
    boolean warmup = Boolean.parseBoolean(a.getOrDefault("warmup", "true"));
    Path work = Path.of(a.getOrDefault("work", ".cache/bench-scaling"));
    List<Integer> scales = new ArrayList<>();
    for (String s : a.getOrDefault("scales", "1,2,4").split(",")) {
      scales.add(Integer.parseInt(s.trim()));
    }
    System.out.printf(
        Locale.ROOT,
        "world: %d users x %d rooms, seed %d; 1x = %d training + %d holdout days; scales %s;"
            + " %d cores, load average %s%n",
        users,
        rooms,
        seed,
        trainDays,
        holdout,
        scales,
        Runtime.getRuntime().availableProcessors(),
        loadAverage());
    long t0 = System.nanoTime();
    if (warmup) {
      System.out.println("warm-up: 1 training + 1 holdout day (not reported)");
      run(work, users, rooms, seed, 1, 1, 0);
    }
    List<Size> sizes = new ArrayList<>();
    for (int k : scales) {
      sizes.add(run(work, users, rooms, seed, trainDays * k, holdout * k, k));
    }
    print(sizes);
    System.out.printf(Locale.ROOT, "bench wall time %.1f s%n", (System.nanoTime() - t0) / 1e9);
  }

  private static Size run(
      Path work, int users, int rooms, long seed, int trainDays, int holdoutDays, int scale)
      throws Exception {
    int days = trainDays + holdoutDays;
    Path dir = work.resolve("days-" + days);
    deleteRecursively(dir);
    Path events = dir.resolve("events");
    SimulatorConfig cfg = new SimulatorConfig();
    cfg.users = users;
    cfg.rooms = rooms;
    cfg.days = days;
    cfg.seed = seed;
    double[] sim = new double[3];
    SimulationReport report = timed(sim, () -> new Simulator(cfg).run(events, n -> {}));
    System.out.printf(
        Locale.ROOT,
        "%s %d days: simulated %,d impressions in %.1f s (not part of the pipeline)%n",
        scale == 0 ? "warm-up" : scale + "x",
        days,
        report.impressions(),
        sim[0]);

    Map<String, double[]> stages = new LinkedHashMap<>();
    TrainingRun ranker = rankerRun(events, holdoutDays, seed);
    double[] sample = new double[3];
    SamplingReport sampled =
        timed(
            sample,
            () ->
                new DuckDbSampler()
                    .sample(
                        events,
                        events.resolve("samples"),
                        SamplingOptions.from(ranker.getSpec().data),
                        d -> {}));
    stages.put(STAGES[0], sample);

    long[] lastStep = new long[2];
    RankingTrainer trainer =
        new RankingTrainer(
            RankingTrainer.Options.defaults()
                .withListener(
                    (epoch, step, global) -> {
                      lastStep[0] = System.nanoTime();
                      lastStep[1] = cpuNanos();
                    }));
    long w0 = System.nanoTime();
    long c0 = cpuNanos();
    TrainerOutput r = trainer.train(ranker, dir.resolve("runs").resolve("ranker"));
    long w1 = System.nanoTime();
    long c1 = cpuNanos();
    String load = loadAverage1();
    stages.put(
        STAGES[1], new double[] {(lastStep[0] - w0) / 1e9, (lastStep[1] - c0) / 1e9, load1(load)});
    stages.put(
        STAGES[2], new double[] {(w1 - lastStep[0]) / 1e9, (c1 - lastStep[1]) / 1e9, load1(load)});

    double[] recall = new double[3];
    TrainerOutput tt =
        timed(
            recall,
            () ->
                new RecallTrainer()
                    .train(
                        recallRun(events, holdoutDays, seed),
                        dir.resolve("runs").resolve("recall")));
    stages.put(STAGES[3], recall);

    System.out.printf(
        Locale.ROOT,
        "  %,d samples kept; ranker ctr_auc %.4f; two-tower recall@100 %.4f (popularity %.4f);"
            + " load average %s%n",
        sampled.kept(),
        r.metrics().getOrDefault("ctr_auc", Double.NaN),
        tt.metrics().getOrDefault("recall@100", Double.NaN),
        tt.metrics().getOrDefault("popular.recall@100", Double.NaN),
        loadAverage());
    for (var e : stages.entrySet()) {
      System.out.printf(
          Locale.ROOT,
          "  %-38s %7.1f s wall %7.1f CPU-s  load %.1f%n",
          e.getKey(),
          e.getValue()[0],
          e.getValue()[1],
          e.getValue()[2]);
    }
    deleteRecursively(dir);
    return new Size(scale, report.impressions(), sampled.kept(), stages);
  }

  /** The demo's ranker run (DemoSpecs, as DemoCommand trains it), with the holdout given. */
  static TrainingRun rankerRun(Path events, int holdoutDays, long seed) {
    TrainingRun run = DemoSpecs.ranker("bench-ranker", events, seed);
    run.getSpec().data.holdoutDays = holdoutDays;
    run.getSpec().gates = new ArrayList<>(List.of(new Gate("ctr_auc", 0.5, null)));
    return run;
  }

  /** The demo's two-tower run (DemoSpecs, as DemoCommand trains it), with the holdout given. */
  static TrainingRun recallRun(Path events, int holdoutDays, long seed) {
    TrainingRun run = DemoSpecs.recall("bench-recall", events, seed);
    run.getSpec().data.holdoutDays = holdoutDays;
    return run;
  }

  private static void print(List<Size> sizes) {
    StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%-38s", "stage"));
    for (Size s : sizes) {
      head.append(String.format(Locale.ROOT, " %17s", s.scale() + "x wall/CPU s"));
    }
    head.append("  slope wall (R²)  slope CPU (R²)  fixed s (CPU)");
    System.out.println();
    System.out.printf(Locale.ROOT, "%-38s", "impressions");
    for (Size s : sizes) {
      System.out.printf(Locale.ROOT, " %17s", String.format(Locale.ROOT, "%,d", s.impressions()));
    }
    System.out.println();
    System.out.printf(Locale.ROOT, "%-38s", "samples kept");
    for (Size s : sizes) {
      System.out.printf(Locale.ROOT, " %17s", String.format(Locale.ROOT, "%,d", s.samples()));
    }
    System.out.println();
    System.out.println(head);
    List<String> rows = new ArrayList<>(List.of(STAGES));
    rows.add("total (sample + train + evaluate)");
    rows.add("training only (ranker train)");
    double[] x = new double[sizes.size()];
    for (int i = 0; i < x.length; i++) {
      x[i] = sizes.get(i).impressions();
    }
    for (String row : rows) {
      double[] wall = new double[sizes.size()];
      double[] cpu = new double[sizes.size()];
      StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-38s", row));
      for (int i = 0; i < sizes.size(); i++) {
        Map<String, double[]> st = sizes.get(i).stages();
        if (row.startsWith("total")) {
          for (double[] v : st.values()) {
            wall[i] += v[0];
            cpu[i] += v[1];
          }
        } else {
          String key = row.startsWith("training only") ? STAGES[1] : row;
          wall[i] = st.get(key)[0];
          cpu[i] = st.get(key)[1];
        }
        line.append(String.format(Locale.ROOT, " %8.1f/%8.1f", wall[i], cpu[i]));
      }
      double[] fw = logLogFit(x, wall);
      double[] fc = logLogFit(x, cpu);
      double[] lin = linearFit(x, cpu);
      line.append(
          String.format(
              Locale.ROOT,
              "  %5.2f (%.3f)    %5.2f (%.3f)    %7.1f",
              fw[0],
              fw[1],
              fc[0],
              fc[1],
              lin[0]));
      System.out.println(line);
    }
    System.out.println(
        "slope: least squares of log(time) on log(impressions); fixed: intercept of the linear"
            + " fit of CPU seconds on impressions (the cost at zero data)");
  }

  /** {slope, R²} of the least-squares fit of log(y) on log(x). */
  static double[] logLogFit(double[] x, double[] y) {
    double[] lx = new double[x.length];
    double[] ly = new double[y.length];
    for (int i = 0; i < x.length; i++) {
      lx[i] = Math.log(x[i]);
      ly[i] = Math.log(Math.max(y[i], 1e-6));
    }
    double[] f = linearFit(lx, ly);
    return new double[] {f[1], f[2]};
  }

  /** {intercept, slope, R²} of the least-squares line through (x, y). */
  static double[] linearFit(double[] x, double[] y) {
    int n = x.length;
    double mx = 0;
    double my = 0;
    for (int i = 0; i < n; i++) {
      mx += x[i] / n;
      my += y[i] / n;
    }
    double sxx = 0;
    double sxy = 0;
    double syy = 0;
    for (int i = 0; i < n; i++) {
      sxx += (x[i] - mx) * (x[i] - mx);
      sxy += (x[i] - mx) * (y[i] - my);
      syy += (y[i] - my) * (y[i] - my);
    }
    double slope = sxx == 0 ? Double.NaN : sxy / sxx;
    double r2 = syy == 0 ? 1 : sxy * sxy / (sxx * syy);
    return new double[] {my - slope * mx, slope, r2};
  }

  @FunctionalInterface
  interface Work<T> {
    T run() throws Exception;
  }

  /** Runs {@code w}; fills {wall s, CPU s, 1-minute load average after}. */
  private static <T> T timed(double[] out, Work<T> w) throws Exception {
    long w0 = System.nanoTime();
    long c0 = cpuNanos();
    T t = w.run();
    out[0] = (System.nanoTime() - w0) / 1e9;
    out[1] = (cpuNanos() - c0) / 1e9;
    out[2] = load1(loadAverage1());
    return t;
  }

  private static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (Exception e) {
      return String.format(
          Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
  }

  private static String loadAverage1() {
    return loadAverage().split(" ")[0];
  }

  private static double load1(String s) {
    try {
      return Double.parseDouble(s);
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  private static void deleteRecursively(Path dir) throws java.io.IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
