package io.liverec.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.liverec.api.v1alpha1.Gate;
import io.liverec.api.v1alpha1.TrainingRun;
import io.liverec.api.v1alpha1.TrainingRunSpec;
import io.liverec.pipelines.eval.TaskMetrics;
import io.liverec.pipelines.featureviews.FeatureSnapshots;
import io.liverec.pipelines.pipeline.TrackedTrainer;
import io.liverec.pipelines.pipeline.Trainers;
import io.liverec.pipelines.sampling.DuckDbSampler;
import io.liverec.pipelines.sampling.SamplingOptions;
import io.liverec.pipelines.sampling.SamplingReport;
import io.liverec.pipelines.sim.SimulationReport;
import io.liverec.pipelines.sim.Simulator;
import io.liverec.pipelines.sim.SimulatorConfig;
import io.liverec.pipelines.tracking.RunTracker;
import io.liverec.pipelines.train.RankingEvaluation;
import io.liverec.pipelines.train.RankingTrainer;
import io.liverec.registry.Retry;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The main job on its embedded default: every capability that has landed, end to end, on simulated
 * data, with no cluster and no server started by hand. Steps: simulate a live-streaming event log
 * (with its room-realtime and user-activity feature tables) → Skip-Above sampling with labels and
 * behaviour weights → join the samples point-in-time with those feature views → train a small
 * multi-task ranker (ESMM over DeepFM) → evaluate on the last day → export ONNX + a Triton
 * repository → record the run (MLflow when {@code MLFLOW_TRACKING_URI} is set, else locally) →
 * train the two-tower recall model → write a serving bundle and answer a few requests through the
 * embedded gateway.
 *
 * <p>Size: one command that strings the lifecycle's stages together and prints their summary; about
 * a third is the summary's layout ({@code printSummary}). The stages themselves live in their
 * modules; the natural seam is the summary printer, left here because it reads the outcomes of
 * every stage and has no other user.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = "Run the whole lifecycle embedded on simulated data and print a summary.")
final class DemoCommand implements Callable<Integer> {
  /** File that marks a directory as the demo's own output, which a later demo may replace. */
  static final String MARKER = ".liverec-demo";

  @Option(
      names = "--out",
      defaultValue = "liverec-out/demo",
      description = "Where the demo writes its outputs (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(names = "--seed", defaultValue = "7", description = "Random seed (default: 7).")
  long seed;

  @Option(
      names = "--users",
      defaultValue = "2000",
      description = "Simulated users (default: ${DEFAULT-VALUE}).")
  int users;

  @Option(
      names = "--rooms",
      defaultValue = "300",
      description = "Simulated rooms (default: ${DEFAULT-VALUE}).")
  int rooms;

  @Option(
      names = "--days",
      defaultValue = "3",
      description = "Simulated days; the last is the holdout (default: ${DEFAULT-VALUE}).")
  int days;

  @Option(
      names = "--quick",
      description =
          "A smaller world (600 users x 120 rooms) and a coarser canary (tau 0.04): the same"
              + " stages in about a third of the time.")
  boolean quick;

  @Override
  public Integer call() throws Exception {
    PrintStream log = System.err;
    long t0 = System.nanoTime();
    if (quick) {
      users = Math.min(users, 600);
      rooms = Math.min(rooms, 120);
    }
    Path events = out.resolve("events");
    Path runDir = out.resolve("runs").resolve("demo-ranker");
    if (Files.exists(out)) {
      boolean empty;
      try (var entries = Files.list(out)) {
        empty = entries.findAny().isEmpty();
      }
      // Only a previous demo's output is replaced; any other directory is left untouched.
      if (!empty && !Files.exists(out.resolve(MARKER))) {
        throw io.liverec.api.errors.LiverecException.badInput(
            out
                + " exists and is not the output of an earlier demo (no "
                + MARKER
                + "); choose another --out or remove it yourself");
      }
      deleteRecursively(out);
    }
    Files.createDirectories(out);
    Files.writeString(
        out.resolve(MARKER), "written by `liverec demo`; the next demo replaces this\n");

    // 1. Simulate
    SimulatorConfig cfg = new SimulatorConfig();
    cfg.users = users;
    cfg.rooms = rooms;
    cfg.days = days;
    cfg.seed = seed;
    long expected = Math.round(users * cfg.requestsPerUserPerDay * days * 7.6);
    log.println("[1/5] simulating " + users + " users x " + rooms + " rooms x " + days + " days");
    SimulationReport sim;
    try (ProgressBar pb = bar("simulate", expected, " imp")) {
      sim = new Simulator(cfg).run(events, pb::stepBy);
      pb.maxHint(sim.impressions());
    }

    // 2. Sample (the TrainingRun's data spec drives the sampler and the trainer alike)
    TrainingRun run = demoRun(events);
    log.println("[2/5] sampling (" + run.getSpec().data.sampling.strategy + ")");
    SamplingReport sampling =
        new DuckDbSampler()
            .sample(
                events,
                events.resolve("samples"),
                SamplingOptions.from(run.getSpec().data),
                d -> log.println("      day " + d));
    writeYaml(out.resolve("trainingrun.yaml"), run);

    // 3. Train, evaluate, export, track
    String tracking = RunTracker.trackingUriFromEnvironment();
    log.println(
        "[3/5] training "
            + RankingTrainer.describeModel(run.getSpec().model)
            + (tracking == null ? " (records kept locally)" : " (tracking in " + tracking + ")"));
    Trainers trainers =
        Trainers.defaults()
            .with(new RankingTrainer(RankingTrainer.Options.defaults().withProgress(log)));
    Retry retry = new Retry(3, Duration.ofMillis(500));
    TrackedTrainer.Outcome o =
        new TrackedTrainer(trainers.forRun(run), tracking, retry, repoRoot()).run(run, runDir);

    // 4. Recall: the two-tower on the same log, against the popularity anchor
    log.println("[4/5] training the two-tower recall model (in-batch softmax, logQ)");
    TrainingRun recallRun = recallRun(events);
    TrackedTrainer.Outcome recall =
        new TrackedTrainer(trainers.forRun(recallRun), tracking, retry, repoRoot())
            .run(recallRun, out.resolve("runs").resolve("demo-recall"));

    printSummary(
        sim,
        sampling,
        o,
        RankingTrainer.describeModel(run.getSpec().model),
        runDir,
        events,
        tracking,
        (System.nanoTime() - t0) / 1e9,
        recall);

    // 5. Serve: the gateway embedded on both models, a few requests. The version in service is
    // "yesterday's" ranker (one epoch, kept locally); the new one must earn its place in a canary.
    log.println("[5/6] serving yesterday's ranker and the user tower through the gateway");
    TrainingRun previous = demoRun(events);
    // same name, so both versions are versions of one served model
    previous.getMetadata().setName("demo-ranker");
    previous.getSpec().training.epochs = 1;
    Path previousDir = out.resolve("runs").resolve("demo-ranker-previous");
    new TrackedTrainer(trainers.forRun(previous), null, retry, repoRoot())
        .run(previous, previousDir);
    Path serving =
        ServingBundle.write(out.resolve("serving"), previousDir, recall.output().runDir(), events);
    DemoRequests.print(serving, System.out);

    // 6. Canary: the new ranker as the next version, the simulated users as traffic
    log.println("[6/6] canary of the new ranker with the simulated users as traffic");
    CanarySimCommand canary = new CanarySimCommand();
    canary.bundle = serving;
    canary.events = events;
    canary.scenario = CanarySimCommand.Scenario.candidate;
    canary.candidate = runDir;
    canary.rpm = 600;
    canary.tau = quick ? 0.04 : 0.02;
    canary.seed = seed;
    canary.timeout = "6h";
    canary.latencyMs = 0;
    CanarySimCommand.Result c = canary.run(System.out);
    System.out.printf(
        Locale.ROOT,
        "Done in %.0f s: the new ranker was %s.%n",
        (System.nanoTime() - t0) / 1e9,
        c.result().status().phase);
    return 0;
  }

  private TrainingRun demoRun(Path events) {
    TrainingRun run = new TrainingRun();
    run.setMetadata(new ObjectMetaBuilder().withName("demo-ranker").build());
    TrainingRunSpec spec = new TrainingRunSpec();
    spec.data.events = events.toAbsolutePath().toString();
    // the simulator's time-varying user and room features, joined as of each impression
    spec.data.featureViews =
        new ArrayList<>(List.of(FeatureSnapshots.ROOM_REALTIME, FeatureSnapshots.USER_ACTIVITY));
    spec.model.interactions = new ArrayList<>(List.of("fm"));
    spec.model.embeddingDim = 8;
    spec.model.hiddenUnits = new ArrayList<>(List.of(64, 32));
    spec.training.epochs = 2;
    spec.training.batchSize = 1024;
    spec.training.learningRate = 0.005;
    spec.training.seed = seed;
    spec.tracking.experiment = "liverec-demo";
    spec.tracking.registeredModel = "liverec-demo-ranker";
    spec.gates = new ArrayList<>(List.of(new Gate("ctr_auc", 0.65, null)));
    run.setSpec(spec);
    return run;
  }

  private TrainingRun recallRun(Path events) {
    TrainingRun run = new TrainingRun();
    run.setMetadata(new ObjectMetaBuilder().withName("demo-recall").build());
    TrainingRunSpec spec = new TrainingRunSpec();
    spec.task = io.liverec.api.v1alpha1.Task.RECALL;
    spec.data.events = events.toAbsolutePath().toString();
    // the recall ablation's two-tower settings (TwoTowerSettings.DEFAULT, docs/ABLATIONS.md): the
    // TrainingRun defaults (τ 0.05, lr 0.001, 2 layers, 2 epochs) lose to popularity here
    spec.model.hiddenUnits = new ArrayList<>(List.of(64));
    spec.model.recall.temperature = 0.2;
    spec.training.learningRate = 0.003;
    spec.training.epochs = 10;
    spec.training.batchSize = 512;
    spec.training.seed = seed;
    spec.tracking.experiment = "liverec-demo";
    spec.tracking.registeredModel = "liverec-demo-recall";
    spec.gates = new ArrayList<>();
    run.setSpec(spec);
    return run;
  }

  private static RankingEvaluation ranking(TrackedTrainer.Outcome o) {
    return o.output().details(RankingEvaluation.class).orElseThrow();
  }

  private void printSummary(
      SimulationReport sim,
      SamplingReport sampling,
      TrackedTrainer.Outcome o,
      String model,
      Path runDir,
      Path events,
      String tracking,
      double seconds,
      TrackedTrainer.Outcome recall) {
    PrintStream p = System.out;
    p.println();
    p.println("== LiveRec demo summary ==");
    p.printf(
        Locale.ROOT,
        "Events     %,d requests, %,d impressions, CTR %.2f%% (pos 1: %.2f%%, pos %d: %.2f%%),"
            + " conversion|click %.1f%%, gifts/impression %.3f%%%n",
        sim.requests(),
        sim.impressions(),
        100 * sim.ctr(),
        100 * sim.byPosition().get(0).ctr(),
        sim.byPosition().size(),
        100 * sim.byPosition().get(sim.byPosition().size() - 1).ctr(),
        100 * sim.conversionGivenClick(),
        100 * sim.giftRatePerImpression());
    p.printf(
        Locale.ROOT,
        "Sampling   %s: kept %,d of %,d valid impressions; positives %s; quarantined %,d%n",
        sampling.strategy(),
        sampling.kept(),
        sampling.impressionsValid(),
        sampling.positives(),
        sampling.quarantinedTotal());
    p.println("Ranker     " + model + ", best epoch " + ranking(o).bestEpoch());
    p.println("           holdout (last day)      AUC    GAUC  logloss  Bayes-optimal AUC");
    for (TaskMetrics m : ranking(o).holdout()) {
      p.printf(
          Locale.ROOT,
          "           %-22s %6.4f  %6.4f  %7.4f  %6.4f%n",
          m.task(),
          m.auc(),
          m.gauc(),
          m.logLoss(),
          m.bayesAuc());
    }
    p.println(
        "Gates      "
            + (o.gatesPassed() ? "passed" : "FAILED: " + String.join("; ", o.gateFailures())));
    if (tracking == null) {
      p.println(
          "Tracking   kept locally in "
              + runDir.resolve("tracking")
              + "; set MLFLOW_TRACKING_URI and run `bin/liverec sync --runs "
              + out
              + "` to upload");
    } else if (o.tracking().synced()) {
      p.println(
          "Tracking   MLflow run "
              + o.tracking().mlflowRunId()
              + (o.tracking().modelVersion() == null
                  ? ""
                  : ", registered "
                      + o.registeredModel()
                      + " v"
                      + o.tracking().modelVersion()
                      + " (alias challenger)"));
    } else {
      p.println(
          "Tracking   MLflow unreachable ("
              + o.tracking().error()
              + "); kept locally, upload later with `bin/liverec sync`");
    }
    Map<String, Double> r = recall.metrics();
    p.printf(
        Locale.ROOT,
        "Recall     two-tower vs popularity on the last day: recall@100 %.3f vs %.3f,"
            + " catalogue coverage@100 %.2f vs %.2f, cold-room recall@100 %.3f vs %.3f%n",
        r.getOrDefault("recall@100", Double.NaN),
        r.getOrDefault("popular.recall@100", Double.NaN),
        r.getOrDefault("coverage@100", Double.NaN),
        r.getOrDefault("popular.coverage@100", Double.NaN),
        r.getOrDefault("coldRecall@100", Double.NaN),
        r.getOrDefault("popular.coldRecall@100", Double.NaN));
    p.println(
        "           (popularity stays close on this simulator, whose logging policy is"
            + " popularity-driven; three seeds with CIs: docs/ABLATIONS.md)");
    if (tracking != null) {
      p.println(
          recall.tracking().synced()
              ? "           recall run in MLflow: "
                  + recall.tracking().mlflowRunId()
                  + (recall.tracking().modelVersion() == null
                      ? ""
                      : ", registered "
                          + recall.registeredModel()
                          + " v"
                          + recall.tracking().modelVersion())
              : "           recall run kept locally (" + recall.tracking().error() + ")");
    }
    p.println("Outputs    event log       " + events.toAbsolutePath());
    p.println("           samples         " + events.resolve("samples").toAbsolutePath());
    p.println("           run directory   " + runDir.toAbsolutePath());
    ranking(o)
        .artifacts()
        .forEach(
            (k, v) -> p.printf(Locale.ROOT, "             %-12s  %s%n", k, v.toAbsolutePath()));
    p.println("           TrainingRun     " + out.resolve("trainingrun.yaml").toAbsolutePath());
    p.println("           recall run      " + recall.output().runDir().toAbsolutePath());
    recall
        .artifacts()
        .forEach(
            (k, v) -> p.printf(Locale.ROOT, "             %-12s  %s%n", k, v.toAbsolutePath()));
    p.printf(Locale.ROOT, "Offline stages done in %.0f s.%n", seconds);
  }

  private static ProgressBar bar(String task, long max, String unit) {
    return new ProgressBarBuilder()
        .setTaskName(task)
        .setInitialMax(max)
        .setStyle(ProgressBarStyle.ASCII)
        .setUnit(unit, 1)
        .build();
  }

  private static void writeYaml(Path file, TrainingRun run) throws java.io.IOException {
    ObjectMapper yaml =
        new ObjectMapper(
            new YAMLFactory()
                .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));
    yaml.setSerializationInclusion(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL);
    yaml.writeValue(file.toFile(), run);
  }

  private static Path repoRoot() {
    String root = System.getProperty("liverec.repo.root");
    return root == null ? null : Path.of(root);
  }

  private static void deleteRecursively(Path dir) throws java.io.IOException {
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
