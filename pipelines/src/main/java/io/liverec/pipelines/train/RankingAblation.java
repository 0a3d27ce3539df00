package io.liverec.pipelines.train;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.liverec.api.v1alpha1.ModelSpec;
import io.liverec.api.v1alpha1.TrainingRun;
import io.liverec.api.v1alpha1.TrainingRunSpec;
import io.liverec.pipelines.eval.MeanCi;
import io.liverec.pipelines.sampling.DuckDbSampler;
import io.liverec.pipelines.sampling.SamplingOptions;
import io.liverec.pipelines.sim.SimulationReport;
import io.liverec.pipelines.sim.Simulator;
import io.liverec.pipelines.sim.SimulatorConfig;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The seed talk's ranking ladder on one simulated log: every variant trained with the same samples,
 * splits and settings for several seeds, reported as mean ± 95% CI per metric with each rung
 * compared to the one before it. A difference is called only when the two CIs do not overlap.
 */
public final class RankingAblation {

  /** Metrics in the table, in column order. */
  public static final List<String> METRICS = List.of("ctr_auc", "cvr_auc", "ctcvr_auc", "ctr_gauc");

  /**
   * One rung.
   *
   * @param name row label
   * @param baseline row it is compared with (null = none)
   * @param model the model structure
   */
  public record Variant(String name, String baseline, Consumer<ModelSpec> model) {}

  /** The ladder: interaction layers, then multi-task structure and balancing. */
  public static List<Variant> ladder() {
    List<Variant> v = new ArrayList<>();
    v.add(new Variant("DeepFM", null, m -> m.interactions = list("fm")));
    v.add(new Variant("DeepNFM", "DeepFM", m -> m.interactions = list("nfm")));
    v.add(new Variant("DeepKFM", "DeepNFM", m -> m.interactions = list("kfm")));
    v.add(new Variant("+Cross", "DeepKFM", m -> m.interactions = list("kfm", "cross")));
    v.add(new Variant("+AutoInt", "+Cross", m -> m.interactions = list("kfm", "cross", "autoint")));
    v.add(
        new Variant(
            "BitInt (vs AutoInt)",
            "+AutoInt",
            m -> m.interactions = list("kfm", "cross", "bitint")));
    v.add(new Variant("ESMM", null, m -> m.interactions = list()));
    v.add(
        new Variant(
            "+GradNorm",
            "ESMM",
            m -> {
              m.interactions = list();
              m.multitask.balancing = "gradnorm";
            }));
    v.add(
        new Variant(
            "+FM",
            "+GradNorm",
            m -> {
              m.interactions = list("fm");
              m.multitask.balancing = "gradnorm";
            }));
    v.add(
        new Variant(
            "+MMoE",
            "+FM",
            m -> {
              m.interactions = list("fm");
              m.multitask.balancing = "gradnorm";
              m.multitask.experts = "mmoe";
            }));
    v.add(
        new Variant(
            "+CGC",
            "+MMoE",
            m -> {
              m.interactions = list("fm");
              m.multitask.balancing = "gradnorm";
              m.multitask.experts = "cgc";
            }));
    v.add(
        new Variant(
            "+PCGrad",
            "+CGC",
            m -> {
              m.interactions = list("fm");
              m.multitask.balancing = "gradnorm";
              m.multitask.experts = "cgc";
              m.multitask.gradientSurgery = "pcgrad";
            }));
    return v;
  }

  private static ArrayList<String> list(String... s) {
    return new ArrayList<>(List.of(s));
  }

  /**
   * Settings of one ablation.
   *
   * @param sim simulator configuration (its seed fixes the data for every variant)
   * @param seeds training seeds
   * @param epochs, batchSize, learningRate training settings shared by every variant
   * @param only variant names to run (empty = all)
   */
  public record Settings(
      SimulatorConfig sim,
      List<Long> seeds,
      int epochs,
      int batchSize,
      double learningRate,
      int embeddingDim,
      List<String> only) {

    /** What must match for finished runs to be reused (seeds and row choice may differ). */
    String key() {
      return String.format(
          "users=%d rooms=%d days=%d requestsPerUserPerDay=%s simSeed=%d epochs=%d batch=%d"
              + " lr=%s embedding=%d%n",
          sim.users,
          sim.rooms,
          sim.days,
          sim.requestsPerUserPerDay,
          sim.seed,
          epochs,
          batchSize,
          learningRate,
          embeddingDim);
    }

    /** Small enough for a few minutes on 2 cores. */
    public static Settings quick() {
      SimulatorConfig c = new SimulatorConfig();
      c.users = 600;
      c.rooms = 120;
      c.days = 3;
      c.requestsPerUserPerDay = 10;
      c.seed = 7;
      return new Settings(c, List.of(1L, 2L, 3L), 2, 512, 0.005, 8, List.of());
    }

    /** The recorded ladder (docs/ABLATIONS.md), 5 seeds: about half an hour on 2 busy cores. */
    public static Settings full() {
      SimulatorConfig c = new SimulatorConfig();
      c.users = 2000;
      c.rooms = 300;
      c.days = 4;
      c.requestsPerUserPerDay = 10;
      c.seed = 7;
      return new Settings(c, List.of(1L, 2L, 3L, 4L, 5L), 3, 1024, 0.01, 8, List.of());
    }
  }

  /** One finished variant: metric → per-seed values, plus the Bayes ceilings. */
  public record Row(Variant variant, Map<String, List<Double>> values, double seconds) {
    public MeanCi ci(String metric) {
      return MeanCi.of(values.get(metric));
    }
  }

  /** What the ablation measured. */
  public record Result(
      List<Row> rows, Map<String, Double> bayes, String data, Path dir, Duration took) {}

  private RankingAblation() {}

  public static Result run(Settings s, Path dir, PrintStream log) throws Exception {
    long start = System.nanoTime();
    Path logDir = dir.resolve("log");
    Files.createDirectories(dir);
    // finished runs are reused only when they were made with the same data and training settings
    Path key = dir.resolve("settings.txt");
    String settings = s.key();
    if (Files.exists(key) && !Files.readString(key).equals(settings)) {
      throw io.liverec.api.errors.LiverecException.badInput(
          dir
              + " holds an ablation made with other settings ("
              + Files.readString(key).strip()
              + "); use another --out or delete it");
    }
    Files.writeString(key, settings);
    if (!Files.exists(logDir.resolve(SimulationReport.JSON))) {
      log.println(
          "simulating "
              + s.sim().users
              + " users, "
              + s.sim().rooms
              + " rooms, "
              + s.sim().days
              + " days into "
              + logDir);
      new Simulator(s.sim()).run(logDir, n -> {});
    }
    if (!Files.exists(logDir.resolve("samples"))) {
      log.println("sampling (skip-above) …");
      new DuckDbSampler().sample(logDir, logDir, SamplingOptions.defaults(), d -> {});
    }
    Path samples = logDir.resolve("samples");
    List<Row> rows = new ArrayList<>();
    Map<String, Double> bayes = new LinkedHashMap<>();
    String data = "";
    for (Variant v : ladder()) {
      if (!s.only().isEmpty() && !s.only().contains(v.name())) {
        continue;
      }
      Map<String, List<Double>> values = new LinkedHashMap<>();
      METRICS.forEach(m -> values.put(m, new ArrayList<>()));
      long t0 = System.nanoTime();
      for (long seed : s.seeds()) {
        TrainingRun run = trainingRun(s, v, seed, samples);
        Path runDir = dir.resolve("runs").resolve(slug(v.name()) + "-s" + seed);
        Map<String, Double> m;
        if (Files.exists(new RunLayout(runDir).metrics())) {
          // a finished run of an earlier, interrupted ablation: reuse it
          m = readMetrics(new RunLayout(runDir).metrics());
        } else {
          if (Files.exists(runDir)) {
            RankingTrainer.deleteTree(runDir); // unfinished: start it again
          }
          TrainingResult r =
              RankingTrainer.run(
                  run,
                  runDir,
                  RankingTrainer.Options.defaults()
                      .withSamples(samples)
                      .withExport(false)
                      .withCheckpointEverySteps(0));
          m = r.flatMetrics();
          m.put("holdout_rows", (double) r.holdout().get(0).rows());
          m.put("clicked_rows", (double) r.holdout().get(1).rows());
        }
        for (String metric : METRICS) {
          values.get(metric).add(m.getOrDefault(metric, Double.NaN));
        }
        for (String task : List.of("ctr", "cvr", "ctcvr")) {
          bayes.put(task + "_auc", m.getOrDefault(task + "_bayes_auc", Double.NaN));
        }
        bayes.put("ctr_gauc", Double.NaN);
        data =
            String.format(
                "holdout rows %.0f (clicked %.0f)", m.get("holdout_rows"), m.get("clicked_rows"));
        log.printf(
            "%-20s seed %d: ctr %.4f cvr %.4f ctcvr %.4f gauc %.4f%n",
            v.name(),
            seed,
            m.get("ctr_auc"),
            m.get("cvr_auc"),
            m.get("ctcvr_auc"),
            m.get("ctr_gauc"));
      }
      rows.add(new Row(v, values, (System.nanoTime() - t0) / 1e9));
    }
    return new Result(rows, bayes, data, dir, Duration.ofNanos(System.nanoTime() - start));
  }

  /** The flat holdout metrics (and row counts) of a finished run's metrics.json. */
  static Map<String, Double> readMetrics(Path metricsJson) throws java.io.IOException {
    com.fasterxml.jackson.databind.JsonNode holdout =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(metricsJson.toFile())
            .path("holdout");
    Map<String, Double> m = new LinkedHashMap<>();
    for (String task : List.of("ctr", "cvr", "ctcvr")) {
      com.fasterxml.jackson.databind.JsonNode t = holdout.path(task);
      m.put(task + "_auc", t.path("auc").asDouble(Double.NaN));
      m.put(task + "_gauc", t.path("gauc").asDouble(Double.NaN));
      m.put(task + "_bayes_auc", t.path("bayesAuc").asDouble(Double.NaN));
    }
    m.put("holdout_rows", holdout.path("ctr").path("rows").asDouble(Double.NaN));
    m.put("clicked_rows", holdout.path("cvr").path("rows").asDouble(Double.NaN));
    return m;
  }

  static TrainingRun trainingRun(Settings s, Variant v, long seed, Path samples) {
    TrainingRun run = new TrainingRun();
    run.setMetadata(new ObjectMetaBuilder().withName(slug(v.name())).build());
    TrainingRunSpec spec = new TrainingRunSpec();
    spec.data.events = samples.toString();
    spec.training.epochs = s.epochs();
    spec.training.batchSize = s.batchSize();
    spec.training.learningRate = s.learningRate();
    spec.training.seed = seed;
    spec.training.earlyStoppingPatience = 1;
    spec.model.embeddingDim = s.embeddingDim();
    v.model().accept(spec.model);
    run.setSpec(spec);
    return run;
  }

  static String slug(String name) {
    return name.toLowerCase().replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
  }

  /** The markdown table and the verdict of each comparison. */
  public static String markdown(Result r, Settings s) {
    StringBuilder md = new StringBuilder();
    md.append(
        String.format(
            "Simulated log: %d users, %d rooms, %d days (seed %d), skip-above samples, last day"
                + " held out (%s). Training: %d epochs (early stopping, patience 1), batch %d,"
                + " learning rate %s, embedding %d; seeds %s. Mean ± 95%% CI (Student t over"
                + " seeds).%n%n",
            s.sim().users,
            s.sim().rooms,
            s.sim().days,
            s.sim().seed,
            r.data(),
            s.epochs(),
            s.batchSize(),
            s.learningRate(),
            s.embeddingDim(),
            s.seeds()));
    md.append(
        "| model | ctr AUC | cvr AUC | ctcvr AUC | ctr GAUC | vs | verdict (CI overlap) |"
            + " paired Δ ctr / ctcvr AUC |\n");
    md.append("|---|---|---|---|---|---|---|---|\n");
    Map<String, Row> byName = new LinkedHashMap<>();
    for (Row row : r.rows()) {
      byName.put(row.variant().name(), row);
    }
    for (Row row : r.rows()) {
      md.append("| ").append(row.variant().name());
      for (String m : METRICS) {
        md.append(" | ").append(row.ci(m).format());
      }
      Row base = row.variant().baseline() == null ? null : byName.get(row.variant().baseline());
      md.append(" | ").append(base == null ? "—" : base.variant().name());
      md.append(" | ").append(base == null ? "—" : verdict(row, base));
      md.append(" | ").append(base == null ? "—" : paired(row, base)).append(" |\n");
    }
    md.append("| Bayes-optimal (oracle) |");
    for (String m : METRICS) {
      Double b = r.bayes().get(m);
      md.append(' ').append(b == null || b.isNaN() ? "—" : String.format("%.4f", b)).append(" |");
    }
    md.append(" | | |\n\n");
    md.append(
        "Verdict: a metric is called better/worse only when the two 95% CIs do not overlap;"
            + " otherwise the CIs overlap and the difference is not resolved at this number of"
            + " seeds. The paired Δ is the mean ± 95% CI of the per-seed difference to the"
            + " baseline row (same seed = same data order); it is given for reading, the verdict"
            + " uses the overlap rule.\n");
    return md.toString();
  }

  static String paired(Row row, Row base) {
    List<String> parts = new ArrayList<>();
    for (String m : List.of("ctr_auc", "ctcvr_auc")) {
      List<Double> a = row.values().get(m);
      List<Double> b = base.values().get(m);
      List<Double> d = new ArrayList<>();
      for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
        d.add(a.get(i) - b.get(i));
      }
      MeanCi ci = MeanCi.of(d);
      parts.add(String.format("%+.4f ± %.4f", ci.mean(), ci.halfWidth()));
    }
    return String.join(" / ", parts);
  }

  static String verdict(Row row, Row base) {
    List<String> parts = new ArrayList<>();
    for (String m : List.of("ctr_auc", "cvr_auc", "ctcvr_auc")) {
      MeanCi a = row.ci(m);
      MeanCi b = base.ci(m);
      String label = m.replace("_auc", "");
      if (a.overlaps(b)) {
        parts.add(label + " overlap");
      } else {
        parts.add(
            String.format(
                "%s %s (%+.4f)",
                label, a.mean() > b.mean() ? "better" : "worse", a.mean() - b.mean()));
      }
    }
    return String.join("; ", parts);
  }
}
