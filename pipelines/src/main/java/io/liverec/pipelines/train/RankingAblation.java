package io.liverec.pipelines.train;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.liverec.api.v1alpha1.ModelSpec;
import io.liverec.api.v1alpha1.TrainingRun;
import io.liverec.api.v1alpha1.TrainingRunSpec;
import io.liverec.pipelines.eval.MeanCi;
import io.liverec.pipelines.features.ColumnSpec;
import io.liverec.pipelines.sampling.DuckDbSampler;
import io.liverec.pipelines.sampling.SamplingOptions;
import io.liverec.pipelines.sim.SimOverrides;
import io.liverec.pipelines.sim.SimulationReport;
import io.liverec.pipelines.sim.Simulations;
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
 * compared to its baseline row. A difference is called when the 95% CI of the paired per-seed
 * difference excludes zero; the table also says whether the two rows' own CIs overlap.
 *
 * <p>Size: one class because it is one experiment: the ladder of variants, the settings that key
 * reused runs, the run loop and the table are read together when a row of docs/ABLATIONS.md is
 * questioned. The seams are the {@link #ladder()} definition, the {@link Settings} record and the
 * report ({@code markdown}, {@code pairedCi}, {@code verdict}); they stay while the command and its
 * test are the only users and each part is small on its own.
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
   * @param implied the planted effect (docs/DATA.md) that should make this rung beat its baseline,
   *     or null when the simulator plants nothing specific to it
   */
  public record Variant(String name, String baseline, Consumer<ModelSpec> model, String implied) {
    public Variant(String name, String baseline, Consumer<ModelSpec> model) {
      this(name, baseline, model, null);
    }
  }

  /**
   * Content field embeddings of the "content fields" rows: 4 × embedding 8 = 32 units, enough for
   * the 16 raw units the 8 planted unit pairs touch.
   */
  static final int CONTENT_FIELDS = 4;

  /** The ladder: interaction layers, then multi-task structure and balancing. */
  public static List<Variant> ladder() {
    List<Variant> v = new ArrayList<>();
    v.add(new Variant("DeepFM", null, m -> m.interactions = list("fm")));
    v.add(new Variant("DeepNFM", "DeepFM", m -> m.interactions = list("nfm")));
    v.add(
        new Variant(
            "DeepKFM",
            "DeepNFM",
            m -> m.interactions = list("kfm"),
            "pairwise (field-pair kernels)"));
    // Cross rows use the matrix (DCN-V2) layer; the vector (DCN) layer of the talk is kept as its
    // own row against the same baseline so both forms are measured (docs/ABLATIONS.md).
    v.add(new Variant("+Cross", "DeepKFM", cross("matrix", "kfm", "cross"), "thirdOrder"));
    v.add(
        new Variant(
            "+Cross (vector form)", "DeepKFM", cross("vector", "kfm", "cross"), "thirdOrder"));
    v.add(new Variant("+AutoInt", "+Cross", cross("matrix", "kfm", "cross", "autoint")));
    v.add(
        new Variant(
            "BitInt (vs AutoInt)",
            "+AutoInt",
            cross("matrix", "kfm", "cross", "bitint"),
            "multimodal (unit pairs) on cold rooms"));
    // the same comparison with the content projected into several field embeddings: one field of
    // embeddingDim units cannot carry a quadratic form of the content of higher rank, such as the
    // planted unit pairs (docs/ABLATIONS.md)
    v.add(
        new Variant(
            "+AutoInt (" + CONTENT_FIELDS + " content fields)",
            "+AutoInt",
            contentFields(cross("matrix", "kfm", "cross", "autoint"))));
    v.add(
        new Variant(
            "BitInt (" + CONTENT_FIELDS + " content fields)",
            "+AutoInt (" + CONTENT_FIELDS + " content fields)",
            contentFields(cross("matrix", "kfm", "cross", "bitint")),
            "multimodal (unit pairs)"));
    // the same comparison without the matrix cross layer, which already forms products of any two
    // embedding units in both rows above (docs/ABLATIONS.md)
    v.add(
        new Variant("AutoInt (no cross)", "DeepKFM", m -> m.interactions = list("kfm", "autoint")));
    v.add(
        new Variant(
            "BitInt (no cross)",
            "AutoInt (no cross)",
            m -> m.interactions = list("kfm", "bitint"),
            "multimodal (unit pairs) on cold rooms"));
    v.add(new Variant("ESMM", null, m -> m.interactions = list()));
    v.add(new Variant("+GradNorm", "ESMM", gradNorm()));
    v.add(new Variant("+FM", "+GradNorm", gradNorm("fm"), "pairwise"));
    v.add(new Variant("+MMoE", "+FM", experts("mmoe"), "conflict"));
    v.add(new Variant("+CGC", "+MMoE", experts("cgc"), "tasteSeesaw"));
    v.add(new Variant("+PCGrad", "+CGC", pcGrad(null), "roomBait"));
    // the projection per shared variable: a conflict on the room embedding alone is projected even
    // when the tasks agree on the other shared tensors (docs/ABLATIONS.md)
    v.add(new Variant("+PCGrad (per variable)", "+CGC", pcGrad("variable"), "roomBait"));
    // finer still: per embedding row, so only the bait rooms' rows are projected
    v.add(new Variant("+PCGrad (per row)", "+CGC", pcGrad("row"), "roomBait"));
    return v;
  }

  /** Interaction layers {@code layers} with the cross layer in {@code form}. */
  private static Consumer<ModelSpec> cross(String form, String... layers) {
    return m -> {
      m.interactions = list(layers);
      m.crossForm = form;
    };
  }

  /** {@code rung} with the content projected into {@link #CONTENT_FIELDS} field embeddings. */
  private static Consumer<ModelSpec> contentFields(Consumer<ModelSpec> rung) {
    return rung.andThen(m -> m.multimodalFields = CONTENT_FIELDS);
  }

  /** Interaction layers {@code layers} with GradNorm balancing the tasks. */
  private static Consumer<ModelSpec> gradNorm(String... layers) {
    return m -> {
      m.interactions = list(layers);
      m.multitask.balancing = "gradnorm";
    };
  }

  /** The +FM rung with the expert structure {@code kind}. */
  private static Consumer<ModelSpec> experts(String kind) {
    return gradNorm("fm").andThen(m -> m.multitask.experts = kind);
  }

  /** The +CGC rung with PCGrad at {@code scope} (null = the default, global). */
  private static Consumer<ModelSpec> pcGrad(String scope) {
    return experts("cgc")
        .andThen(
            m -> {
              m.multitask.gradientSurgery = "pcgrad";
              m.multitask.pcgradScope = scope;
            });
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
   * @param dropFeatures features of {@link ColumnSpec#defaults()} left out of every variant (empty
   *     = none), e.g. {@code room_id, host_id} so that what ids would memorise per room must be
   *     read from the room's other features
   * @param validationDays whole days before the holdout used as the early-stopping validation (0 =
   *     the trainer's default, the latest tenth of the training rows)
   */
  public record Settings(
      SimulatorConfig sim,
      List<Long> seeds,
      int epochs,
      int batchSize,
      double learningRate,
      int embeddingDim,
      int patience,
      List<String> only,
      List<String> dropFeatures,
      int validationDays) {

    public Settings {
      if (validationDays < 0) {
        throw new IllegalArgumentException("validationDays must be ≥ 0, got " + validationDays);
      }
      dropFeatures = dropFeatures == null ? List.of() : List.copyOf(dropFeatures);
      // fails on an unknown name before anything is simulated or read
      columns(dropFeatures);
    }

    public Settings(
        SimulatorConfig sim,
        List<Long> seeds,
        int epochs,
        int batchSize,
        double learningRate,
        int embeddingDim,
        int patience,
        List<String> only) {
      this(sim, seeds, epochs, batchSize, learningRate, embeddingDim, patience, only, List.of(), 0);
    }

    /** The column spec every variant trains on. */
    ColumnSpec columns() {
      return columns(dropFeatures);
    }

    private static ColumnSpec columns(List<String> drop) {
      return ColumnSpec.defaults().without(drop);
    }

    /**
     * What must match for finished runs to be reused (seeds and row choice may differ): every
     * simulator field and every shared training setting.
     */
    String key() {
      return String.format(
              "%s%nepochs=%d batch=%d lr=%s embedding=%d patience=%d%n",
              SimOverrides.describe(sim), epochs, batchSize, learningRate, embeddingDim, patience)
          + (dropFeatures.isEmpty() ? "" : "dropped features=" + dropFeatures + "\n")
          + (validationDays == 0 ? "" : "validation days=" + validationDays + "\n");
    }

    /** The same settings with the simulator replaced. */
    public Settings withSim(SimulatorConfig c) {
      return with(c, dropFeatures, validationDays);
    }

    /** The same settings with these features left out. */
    public Settings withDropped(List<String> features) {
      return with(sim, features, validationDays);
    }

    /** The same settings with {@code days} whole days as the validation. */
    public Settings withValidationDays(int days) {
      return with(sim, dropFeatures, days);
    }

    /** The same seeds, training settings and row choice with the data choices replaced. */
    private Settings with(SimulatorConfig newSim, List<String> newDropped, int newValidationDays) {
      return new Settings(
          newSim,
          seeds,
          epochs,
          batchSize,
          learningRate,
          embeddingDim,
          patience,
          only,
          newDropped,
          newValidationDays);
    }

    /** Small enough for a few minutes on 2 cores: the ablation world at 600 users, 120 rooms. */
    public static Settings quick() {
      SimulatorConfig c = Simulations.rankingAblation(7);
      c.users = 600;
      c.rooms = 120;
      c.days = 3;
      return new Settings(c, List.of(1L, 2L, 3L), 2, 512, 0.005, 8, 1, List.of());
    }

    /**
     * The recorded ladder (docs/ABLATIONS.md): {@link Simulations#rankingAblation}, 5 seeds, 4
     * epochs of batch 256 at learning rate 0.005 with patience 2 (at batch 1024 and 3 epochs the
     * models were still improving when stopped, and undertrained models differ by luck of the seed
     * more than by structure).
     */
    public static Settings full() {
      return new Settings(
          Simulations.rankingAblation(7),
          List.of(1L, 2L, 3L, 4L, 5L),
          4,
          256,
          0.005,
          8,
          2,
          List.of());
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
            DuckDbSampler.deleteTree(runDir); // unfinished: start it again
          }
          RankingEvaluation r =
              new RankingTrainer(
                      RankingTrainer.Options.defaults()
                          .withSamples(samples)
                          .withColumns(
                              s.sim().sessionContent > 0
                                  ? s.columns().withRooms(ColumnSpec.RoomsTable.SESSIONS)
                                  : s.columns())
                          .withExport(false)
                          .withCheckpointEverySteps(0))
                  .rank(run, runDir);
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
    spec.training.earlyStoppingPatience = s.patience();
    if (s.validationDays() > 0) {
      spec.data.validationDays = s.validationDays();
    }
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
    SimulatorConfig c = s.sim();
    md.append(
        String.format(
            "Simulated log: %d users, %d rooms, %d days (seed %d), %s requests per user and day;"
                + " planted click effects: pairwise %s, third order %s (rank %s), multimodal %s,"
                + " conflict %s; cold rooms %s, room click-bait %s, taste seesaw %s,"
                + " session content %s"
                + " (docs/DATA.md); skip-above samples, last day held out (%s)."
                + " Training: %d epochs (early stopping, patience %d), batch %d, learning rate %s,"
                + " embedding %d; seeds %s. Mean ± 95%% CI (Student t over seeds).%n%n",
            c.users,
            c.rooms,
            c.days,
            c.seed,
            c.requestsPerUserPerDay,
            c.pairwise ? c.pairwiseStrength : "off",
            c.thirdOrder ? c.thirdOrderStrength : "off",
            c.thirdOrderRank == 0 ? "full" : c.thirdOrderRank,
            c.multimodal ? c.multimodalStrength : "off",
            c.conflict ? c.conflictStrength : "off",
            c.coldRoomFraction,
            c.roomBait ? c.roomBaitStrength : "off",
            c.tasteSeesaw ? "on" : "off",
            c.sessionContent > 0 ? c.sessionContent : "off",
            r.data(),
            s.epochs(),
            s.patience(),
            s.batchSize(),
            s.learningRate(),
            s.embeddingDim(),
            s.seeds()));
    if (!s.dropFeatures().isEmpty()) {
      md.append(
          "Features left out of every row (`--drop-features`): "
              + String.join(", ", s.dropFeatures())
              + ".\n\n");
    }
    if (s.validationDays() > 0) {
      md.append(
          "Early stopping validates on the last "
              + s.validationDays()
              + " whole training day(s) (`--validation-days`), not on the latest tenth of the"
              + " training rows.\n\n");
    }
    md.append(
        "| model | ctr AUC | cvr AUC | ctcvr AUC | ctr GAUC | vs | planted effect implying a"
            + " gain | paired Δ ctr AUC | paired Δ cvr AUC | paired Δ ctcvr AUC | verdict |\n");
    md.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
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
      md.append(" | ")
          .append(
              base == null
                  ? "—"
                  : row.variant().implied() == null ? "none" : row.variant().implied());
      for (String m : PAIRED) {
        MeanCi d = base == null ? null : pairedCi(row, base, m);
        md.append(" | ")
            .append(d == null ? "—" : String.format("%+.4f ± %.4f", d.mean(), d.halfWidth()));
      }
      md.append(" | ").append(base == null ? "—" : verdict(row, base)).append(" |\n");
    }
    md.append("| Bayes-optimal (oracle) |");
    for (String m : METRICS) {
      Double b = r.bayes().get(m);
      md.append(' ').append(b == null || b.isNaN() ? "—" : String.format("%.4f", b)).append(" |");
    }
    md.append(" | | | | | |\n\n");
    md.append(
        "Verdict: a rung is called better/worse on a metric when the 95% CI of its paired"
            + " per-seed difference to the baseline row (same seed, same data) excludes zero;"
            + " otherwise \"n.s.\" (not resolved at this number of seeds). Each call also says"
            + " whether the two rows' own 95% CIs overlap (\"CIs overlap\") or not (\"CIs"
            + " separate\"): a paired win whose per-model CIs overlap is resolved only thanks to"
            + " the pairing, because seed-to-seed variation is shared by both rows.\n");
    return md.toString();
  }

  /** Metrics with a paired-difference column and a verdict. */
  static final List<String> PAIRED = List.of("ctr_auc", "cvr_auc", "ctcvr_auc");

  /** Mean ± 95% CI of the per-seed difference row − base on one metric (seeds in run order). */
  static MeanCi pairedCi(Row row, Row base, String metric) {
    List<Double> a = row.values().get(metric);
    List<Double> b = base.values().get(metric);
    List<Double> d = new ArrayList<>();
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      d.add(a.get(i) - b.get(i));
    }
    return MeanCi.of(d);
  }

  /**
   * Per metric: better / worse when the paired difference's CI excludes zero, else n.s.; plus
   * whether the two rows' own CIs overlap.
   */
  static String verdict(Row row, Row base) {
    List<String> parts = new ArrayList<>();
    for (String m : PAIRED) {
      MeanCi d = pairedCi(row, base, m);
      String label = m.replace("_auc", "");
      String overlap = row.ci(m).overlaps(base.ci(m)) ? "CIs overlap" : "CIs separate";
      String call = d.low() > 0 ? "better" : d.high() < 0 ? "worse" : "n.s.";
      parts.add(label + " " + call + " (" + overlap + ")");
    }
    return String.join("; ", parts);
  }
}
