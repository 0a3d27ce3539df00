package io.liverec.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.liverec.api.run.RegistryAliases;
import io.liverec.api.v1alpha1.Gate;
import io.liverec.api.v1alpha1.TrainingRun;
import io.liverec.cli.report.CanaryFacts;
import io.liverec.cli.report.DemoRun;
import io.liverec.cli.report.HtmlReport;
import io.liverec.cli.report.StageClock;
import io.liverec.cli.report.SummaryText;
import io.liverec.featurestore.config.FeatureStores;
import io.liverec.featurestore.server.FeatureServer;
import io.liverec.gateway.FeastOnlineFeatures;
import io.liverec.pipelines.pipeline.DemoSpecs;
import io.liverec.pipelines.pipeline.TrackedTrainer;
import io.liverec.pipelines.pipeline.Trainers;
import io.liverec.pipelines.sampling.DuckDbSampler;
import io.liverec.pipelines.sampling.SamplingOptions;
import io.liverec.pipelines.sampling.SamplingReport;
import io.liverec.pipelines.sim.SimulationReport;
import io.liverec.pipelines.sim.Simulator;
import io.liverec.pipelines.sim.SimulatorConfig;
import io.liverec.pipelines.tracking.RunJournal;
import io.liverec.pipelines.tracking.RunTracker;
import io.liverec.pipelines.train.RankingTrainer;
import io.liverec.registry.Retry;
import io.liverec.serving.rollout.Rollout;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The main job on its embedded default: every capability that has landed, end to end, on simulated
 * data, with no cluster and no server started by hand. Stages: simulate a live-streaming event log
 * (with its room-realtime and user-activity feature tables) → Skip-Above sampling with labels and
 * behaviour weights → join the samples point-in-time with those feature views, train a small
 * multi-task ranker (ESMM over DeepFM), evaluate on the last day, export ONNX + a Triton
 * repository, record the run (MLflow when {@code MLFLOW_TRACKING_URI} is set, else the local
 * journal) → train the two-tower recall model → publish yesterday's ranker in a serving bundle →
 * materialize the bundle's user and room features into the Feast repository beside the log ({@link
 * BundleFeatures}) → answer a few requests through the embedded gateway reading them from the
 * feature server → canary the new ranker with the simulated users as traffic → move the registry's
 * {@code champion} to it if the canary promoted it. Ends with a summary ({@link SummaryText}: wall
 * time per stage, AUCs against the Bayes optimum, recall against popularity, the canary's step
 * table and decision) and {@code report.html} ({@link HtmlReport}) in {@code --out}.
 *
 * <p>Size: one command that strings the lifecycle's stages together; the summary's values are
 * gathered in {@link DemoFacts} and laid out in {@code io.liverec.cli.report}.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description =
        "Run the whole lifecycle embedded on simulated data; print a summary and write"
            + " report.html.")
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
    StageClock clock = new StageClock();
    if (quick) {
      users = Math.min(users, 600);
      rooms = Math.min(rooms, 120);
    }
    Path events = out.resolve("events");
    Path runDir = out.resolve("runs").resolve("demo-ranker");
    prepareOut();

    // 1. Simulate
    SimulatorConfig cfg = new SimulatorConfig();
    cfg.users = users;
    cfg.rooms = rooms;
    cfg.days = days;
    cfg.seed = seed;
    long expected = Math.round(users * cfg.requestsPerUserPerDay * days * 7.6);
    log.println("[1/8] simulating " + users + " users x " + rooms + " rooms x " + days + " days");
    SimulationReport sim;
    try (ProgressBar pb = bar("simulate", expected, " imp")) {
      sim = new Simulator(cfg).run(events, pb::stepBy);
      pb.maxHint(sim.impressions());
    }
    clock.lap("simulate");

    // 2. Sample (the TrainingRun's data spec drives the sampler and the trainer alike)
    TrainingRun run = demoRun(events);
    log.println("[2/8] sampling (" + run.getSpec().data.sampling.strategy + ")");
    SamplingReport sampling =
        new DuckDbSampler()
            .sample(
                events,
                events.resolve("samples"),
                SamplingOptions.from(run.getSpec().data),
                d -> log.println("      day " + d));
    writeYaml(out.resolve("trainingrun.yaml"), run);
    clock.lap("sample (Skip-Above)");

    // 3. Features, train, evaluate, export, track
    String tracking = RunTracker.trackingUriFromEnvironment();
    String model = RankingTrainer.describeModel(run.getSpec().model);
    log.println(
        "[3/8] training "
            + model
            + (tracking == null ? " (records kept locally)" : " (tracking in " + tracking + ")"));
    Trainers trainers =
        Trainers.defaults()
            .with(new RankingTrainer(RankingTrainer.Options.defaults().withProgress(log)));
    Retry retry = new Retry(3, Duration.ofMillis(500));
    TrackedTrainer.Outcome o =
        new TrackedTrainer(trainers.forRun(run), tracking, retry, repoRoot()).run(run, runDir);
    clock.lap("features + train ranker, track");

    // 4. Recall: the two-tower on the same log, against the popularity anchor
    log.println("[4/8] training the two-tower recall model (in-batch softmax, logQ)");
    TrainingRun recallRun = recallRun(events);
    TrackedTrainer.Outcome recall =
        new TrackedTrainer(trainers.forRun(recallRun), tracking, retry, repoRoot())
            .run(recallRun, out.resolve("runs").resolve("demo-recall"));
    clock.lap("train two-tower, track");

    // 5. Publish: the version in service is "yesterday's" ranker (one epoch, kept locally); the
    // new one must earn its place in a canary.
    log.println("[5/8] publishing yesterday's ranker and the user tower as a serving bundle");
    TrainingRun previous = demoRun(events);
    // same name, so both versions are versions of one served model
    previous.getMetadata().setName("demo-ranker");
    previous.getSpec().training.epochs = 1;
    // yesterday's model is not registered again today: `liverec sync` must not make it the newest
    // version (and challenger) of the registered ranker
    previous.getSpec().tracking.registeredModel = null;
    Path previousDir = out.resolve("runs").resolve("demo-ranker-previous");
    new TrackedTrainer(trainers.forRun(previous), null, retry, repoRoot())
        .run(previous, previousDir);
    Path serving =
        ServingBundle.write(out.resolve("serving"), previousDir, recall.output().runDir(), events);
    clock.lap("publish yesterday's ranker");

    // 6. Features: the bundle's online features into the Feast repository beside the log, served
    // by the feature server, as a cluster's gateway reads them
    Path feastRepo = FeatureStores.embeddedRepo(events);
    log.println(
        "[6/8] features: the users' and rooms' online features into the Feast repository "
            + feastRepo);
    BundleFeatures.Result features = BundleFeatures.materialize(serving, feastRepo, Instant.now());
    clock.lap("features (Feast, materialize)");

    // 7. Serve: the gateway embedded on both models, its features from the feature server
    try (FeatureServer fs = FeatureServer.start(features.repo(), "127.0.0.1", 0)) {
      String endpoint = "127.0.0.1:" + fs.port();
      System.out.printf(
          Locale.ROOT,
          "Features   %s %,d users, %s %,d rooms materialized into %s (registry %s)%n",
          FeastOnlineFeatures.USER_VIEW,
          features.users(),
          FeastOnlineFeatures.ROOM_VIEW,
          features.rooms(),
          features.onlineStore(),
          features.registry());
      log.println("[7/8] serving through the embedded gateway, features from " + endpoint);
      DemoRequests.print(serving, System.out, Optional.of(endpoint));
    }
    clock.lap("serve (gateway requests)");

    // 7. Canary: the new ranker as the next version, the simulated users as traffic; then the
    // registry's champion follows the decision
    log.println("[8/8] canary of the new ranker with the simulated users as traffic");
    CanarySimCommand.Result c = canary(serving, events, runDir).run(discard());
    clock.lap("canary (simulated users)");
    String champion = champion(c.result().status().phase, o, tracking, retry);
    clock.lap("register champion");

    DemoRun summary =
        new DemoRun(
            String.format(
                Locale.ROOT,
                "%,d users x %,d rooms x %d days, seed %d%s",
                users,
                rooms,
                days,
                seed,
                quick ? " (--quick)" : ""),
            clock.stages(),
            DemoFacts.details(sim, sampling, o, model, recall, tracking, out, events),
            DemoFacts.tasks(o),
            DemoFacts.recall(recall.metrics()),
            CanaryFacts.of(c.spec(), c.result()),
            champion);
    Path report = HtmlReport.write(summary, out.resolve(HtmlReport.FILE));
    SummaryText.print(summary, System.out);
    System.out.println("Report     " + report.toAbsolutePath());
    System.out.printf(
        Locale.ROOT,
        "Done in %.0f s: the new ranker was %s.%n",
        summary.totalSeconds(),
        c.result().status().phase);
    return 0;
  }

  /** Empties {@code --out} if it is an earlier demo's output (or empty); refuses anything else. */
  private void prepareOut() throws java.io.IOException {
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
  }

  private CanarySimCommand canary(Path serving, Path events, Path candidate) {
    CanarySimCommand canary = new CanarySimCommand();
    canary.bundle = serving;
    canary.events = events;
    canary.scenario = CanarySimCommand.Scenario.candidate;
    canary.candidate = candidate;
    canary.rpm = 600;
    // The outcome test counts users: at 10 % the 2 000-user world gives each arm ~200 users, and
    // reaching a decision took ~2.5 simulated hours (4 minutes of wall time); from 25 % it is
    // reached in a fraction of that.
    canary.steps = new int[] {25, 50};
    canary.tau = quick ? 0.04 : 0.02;
    canary.seed = seed;
    canary.timeout = "6h";
    canary.latencyMs = 0;
    return canary;
  }

  /**
   * Moves the registry's {@code champion} to the new ranker's version when its canary promoted it:
   * the request goes into the run's journal and, with MLflow configured, is replayed at once (else
   * by {@code liverec sync}). A rollback leaves the champion where it was.
   */
  private String champion(
      String phase, TrackedTrainer.Outcome ranker, String tracking, Retry retry) {
    String registered = ranker.registeredModel();
    if (!Rollout.PROMOTED.equals(phase)) {
      return "unchanged: the canary ended " + phase + ", so the champion stays where it was";
    }
    if (registered == null) {
      return "not moved: the new ranker failed its gates, so it has no version to promote";
    }
    RunTracker.Result r =
        RunTracker.requestAlias(
            ranker.output().runDir(), tracking, retry, RegistryAliases.CHAMPION);
    if (tracking == null) {
      return "requested for the promoted "
          + registered
          + " in its journal ("
          + ranker.output().runDir().resolve(RunJournal.DIR)
          + "); `bin/liverec sync --runs "
          + out
          + "` with MLFLOW_TRACKING_URI set registers the version and moves champion to it";
    }
    if (r.synced()) {
      return registered + " v" + r.modelVersion() + " is now the champion (" + tracking + ")";
    }
    return "MLflow unreachable ("
        + r.error()
        + "); the request waits in the journal for `bin/liverec sync`";
  }

  private static PrintStream discard() {
    return new PrintStream(java.io.OutputStream.nullOutputStream());
  }

  private TrainingRun demoRun(Path events) {
    TrainingRun run = DemoSpecs.ranker("demo-ranker", events, seed);
    run.getSpec().tracking.experiment = "liverec-demo";
    run.getSpec().tracking.registeredModel = "liverec-demo-ranker";
    run.getSpec().gates = new ArrayList<>(List.of(new Gate("ctr_auc", 0.65, null)));
    return run;
  }

  private TrainingRun recallRun(Path events) {
    TrainingRun run = DemoSpecs.recall("demo-recall", events, seed);
    run.getSpec().tracking.experiment = "liverec-demo";
    run.getSpec().tracking.registeredModel = "liverec-demo-recall";
    return run;
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
