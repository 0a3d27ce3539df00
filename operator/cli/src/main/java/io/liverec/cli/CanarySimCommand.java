package io.liverec.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.liverec.api.errors.LiverecException;
import io.liverec.api.v1alpha1.ModelVersion;
import io.liverec.api.v1alpha1.ModelVersionSpec;
import io.liverec.cli.report.CanaryFacts;
import io.liverec.cli.report.SummaryText;
import io.liverec.gateway.SplitRouter;
import io.liverec.gateway.canary.CanarySimulation;
import io.liverec.gateway.canary.SlowVersion;
import io.liverec.pipelines.export.OnnxWeights;
import io.liverec.pipelines.sim.Audience;
import io.liverec.pipelines.sim.SimulatorConfig;
import io.liverec.serving.rollout.Rollout;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code liverec canary-sim}: a whole canary rollout embedded, in a closed loop. The serving
 * bundle's ranker is the stable version; the candidate (a ranking run's model, or a drill made from
 * the stable one) is published as the next version; the simulator's users, rebuilt from the event
 * log the models were trained on, are the traffic; the rollout walks the ModelVersion's steps on a
 * fast virtual clock and decides on what users did. Prints the step table and the decision.
 */
@Command(
    name = "canary-sim",
    mixinStandardHelpOptions = true,
    description = {
      "Run a canary rollout embedded with the simulator's users as traffic, on a fast clock:",
      "gateway + ONNX Runtime + simulated clicks, conversions and gifts; the canary is judged",
      "per step by an always-valid sequential test (mSPRT) against an equal slice of stable users",
      "and by the gateway's p99 latency and error rate. Exit 0 = promoted, 3 = rolled back or",
      "undecided."
    })
final class CanarySimCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What the canary is. */
  enum Scenario {
    /** The candidate given with --candidate. */
    candidate,
    /** A copy of the stable version (A/A: nothing to find). */
    same,
    /** The stable version with its weights shuffled: a broken model that still serves. */
    degraded,
    /** A copy of the stable version answering {@code --latency-ms} late. */
    slow
  }

  @Option(
      names = "--bundle",
      defaultValue = "liverec-out/demo/serving",
      description =
          "Serving bundle whose ranker is the stable version (default: ${DEFAULT-VALUE}).")
  Path bundle;

  @Option(
      names = "--events",
      description = "Event log the models were trained on (default: the bundle's ../events).")
  Path events;

  @Option(
      names = "--scenario",
      defaultValue = "degraded",
      description = "candidate, same, degraded or slow (default: ${DEFAULT-VALUE}).")
  Scenario scenario;

  @Option(
      names = "--candidate",
      description =
          "With --scenario candidate: a ranking run directory (triton/<model>/1/) or a version"
              + " directory holding model.onnx and transform.json.")
  Path candidate;

  @Option(
      names = {"-f", "--file"},
      description =
          "ModelVersion YAML whose rollout (steps, analysis) to use; model and version are set"
              + " by the simulation. Default: --steps, then all traffic, analysis every minute.")
  Path file;

  @Option(
      names = "--steps",
      split = ",",
      defaultValue = "10,25,50",
      description =
          "Canary weights (percent, increasing) when no -f is given (default: ${DEFAULT-VALUE})."
              + " The test counts users, so a small world needs larger first steps.")
  int[] steps = {10, 25, 50};

  @Option(
      names = "--rpm",
      defaultValue = "600",
      description = "Simulated requests per minute (default: ${DEFAULT-VALUE}).")
  int rpm;

  @Option(
      names = "--latency-ms",
      defaultValue = "40",
      description = "Injected latency of --scenario slow (default: ${DEFAULT-VALUE}).")
  int latencyMs;

  @Option(
      names = "--tau",
      defaultValue = "0.02",
      description =
          "Smallest absolute CTR change worth catching: the sequential test's mixture scale and"
              + " the fixed horizon after which no harm found passes (default: ${DEFAULT-VALUE}).")
  double tau;

  @Option(
      names = "--all-runs",
      description = "Print every analysis run, not only the last of each step.")
  boolean allRuns;

  @Option(names = "--seed", defaultValue = "11", description = "Traffic seed (default: 11).")
  long seed;

  @Option(
      names = "--timeout",
      defaultValue = "6h",
      description = "Virtual time after which the rollout stops undecided (default: 6h).")
  String timeout;

  @Override
  public Integer call() throws Exception {
    PrintStream out = System.out;
    Result r = run(out);
    return Rollout.PROMOTED.equals(r.result().status().phase) ? 0 : 3;
  }

  /** The simulation and the spec it rolled out. */
  record Result(ModelVersionSpec spec, CanarySimulation.Result result) {}

  Result run(PrintStream out) throws Exception {
    checkSteps();
    JsonNode cfg = readGateway();
    JsonNode stableRef = cfg.get("rankers").get(0);
    String model = stableRef.get("name").asText();
    int stable = stableRef.get("version").asInt();
    int next = nextVersion(model, stable);
    Path versionDir = publish(model, stable, next);
    ModelVersionSpec spec = spec(model, next, versionDir);
    Path log = events != null ? events : bundle.toAbsolutePath().getParent().resolve("events");
    SimulatorConfig world;
    try {
      world = SimulatorConfig.fromReport(log);
    } catch (IllegalArgumentException e) {
      throw LiverecException.badInput(
          e.getMessage() + " (give the event log the models were trained on with --events)");
    }
    SplitRouter router = new SplitRouter(model, stable);
    Duration delay = Duration.ofMillis(latencyMs);
    try (ServeCommand.Running gw =
        ServeCommand.start(
            bundle,
            "127.0.0.1",
            0,
            2,
            null,
            split -> router,
            b -> scenario == Scenario.slow ? new SlowVersion(b, model, next, delay) : b)) {
      Instant start = world.startDay.plusDays(world.days).atTime(18, 0).toInstant(ZoneOffset.UTC);
      CanarySimulation.Settings settings =
          new CanarySimulation.Settings(
              rpm, start, io.liverec.api.v1alpha1.Durations.parse(timeout), 0.05, tau, 200, seed);
      out.printf(
          Locale.ROOT,
          "canary-sim: %s v%d (stable) vs v%d (%s), %,d users from %s, %d requests/min from %s%n",
          model,
          stable,
          next,
          scenario,
          world.users,
          log,
          rpm,
          start);
      gw.backend().load(model, stable); // a warm gateway: stable arm and tower open before traffic
      gw.backend()
          .load(
              cfg.get("userTower").get("name").asText(),
              cfg.get("userTower").get("version").asInt());
      CanarySimulation.Result r =
          new CanarySimulation(
                  gw.recommender(),
                  router,
                  new io.liverec.serving.rollout.EmbeddedInferenceServer(gw.backend()),
                  new Audience(world, world.days),
                  settings)
              .run(spec);
      print(out, spec, r, allRuns);
      return new Result(spec, r);
    }
  }

  private JsonNode readGateway() {
    Path g = bundle.resolve("gateway.json");
    if (!Files.isRegularFile(g)) {
      throw LiverecException.badInput(
          g + ": no serving bundle here (run `bin/liverec demo` first, or give --bundle)");
    }
    try {
      JsonNode cfg = JSON.readTree(g.toFile());
      if (cfg.path("rankers").size() != 1) {
        throw LiverecException.badInput(
            g
                + ": rankers: canary-sim starts from one stable ranker, found "
                + cfg.path("rankers").size());
      }
      return cfg;
    } catch (IOException e) {
      throw LiverecException.badInput(g + ": not valid JSON: " + e.getMessage());
    }
  }

  private int nextVersion(String model, int stable) throws IOException {
    int max = stable;
    try (var dirs = Files.list(bundle.resolve("repository").resolve(model))) {
      for (Path d : dirs.toList()) {
        try {
          max = Math.max(max, Integer.parseInt(d.getFileName().toString()));
        } catch (NumberFormatException e) {
          // config.pbtxt and other files
        }
      }
    }
    return max + 1;
  }

  /** Writes the candidate as version {@code next} (temp dir, then one rename). */
  private Path publish(String model, int stable, int next) throws IOException {
    Path modelDir = bundle.resolve("repository").resolve(model);
    Path from = modelDir.resolve(Integer.toString(stable));
    Path tmp = Files.createTempDirectory(modelDir, ".v" + next + "-");
    switch (scenario) {
      case candidate -> {
        if (candidate == null) {
          throw LiverecException.badInput("--scenario candidate needs --candidate");
        }
        Path dir = candidateDir(candidate);
        for (String f : List.of("model.onnx", "transform.json")) {
          if (Files.isRegularFile(dir.resolve(f))) {
            Files.copy(dir.resolve(f), tmp.resolve(f));
          }
        }
        if (!Files.isRegularFile(tmp.resolve("model.onnx"))) {
          throw LiverecException.badInput("--candidate: " + dir + " holds no model.onnx");
        }
      }
      case degraded -> {
        copyVersion(from, tmp);
        OnnxWeights.shuffled(from.resolve("model.onnx"), tmp.resolve("model.onnx"), seed);
      }
      case same, slow -> copyVersion(from, tmp);
    }
    Path target = modelDir.resolve(Integer.toString(next));
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    return target;
  }

  private static Path candidateDir(Path c) throws IOException {
    Path triton = c.resolve("triton");
    if (Files.isDirectory(triton)) {
      try (var models = Files.list(triton)) {
        return models
            .filter(Files::isDirectory)
            .findFirst()
            .orElseThrow(() -> LiverecException.badInput("--candidate: " + triton + " is empty"))
            .resolve("1");
      }
    }
    return c;
  }

  private static void copyVersion(Path from, Path to) throws IOException {
    try (var files = Files.list(from)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        Files.copy(f, to.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  /** The same rule a ModelVersion's steps meet at admission: weights in 1..100, increasing. */
  private void checkSteps() {
    if (steps == null || steps.length == 0) {
      throw LiverecException.badInput("--steps: give at least one weight");
    }
    for (int i = 0; i < steps.length; i++) {
      if (steps[i] < 1 || steps[i] > 100) {
        throw LiverecException.badInput(
            "--steps[" + i + "]: " + steps[i] + " is outside 1..100 (percent of traffic)");
      }
      if (i > 0 && steps[i] <= steps[i - 1]) {
        throw LiverecException.badInput(
            "--steps[" + i + "]: " + steps[i] + " does not increase on " + steps[i - 1]);
      }
    }
  }

  private ModelVersionSpec spec(String model, int version, Path dir) {
    ModelVersionSpec spec;
    if (file != null) {
      HasMetadata cr = RunCommand.read(file);
      if (!(cr instanceof ModelVersion mv)) {
        throw LiverecException.badInput(file + ": expected a ModelVersion, got " + cr.getKind());
      }
      spec = mv.getSpec();
    } else {
      spec = new ModelVersionSpec();
      for (int w : steps) {
        spec.rollout.steps.add(new ModelVersionSpec.Step(w, null));
      }
      spec.rollout.analysis.interval = "1m";
      spec.rollout.analysis.failureLimit = 1;
      spec.rollout.analysis.metrics.add(new ModelVersionSpec.Metric("p99LatencyMs", null, 25.0));
      spec.rollout.analysis.metrics.add(new ModelVersionSpec.Metric("errorRate", null, 0.01));
      ModelVersionSpec.Metric ctr = new ModelVersionSpec.Metric("ctrLift", 0.0, null);
      ctr.test = ModelVersionSpec.Test.SEQUENTIAL;
      spec.rollout.analysis.metrics.add(ctr);
    }
    spec.model = model;
    spec.version = version;
    spec.source = new ModelVersionSpec.Source();
    spec.source.uri = dir.toAbsolutePath().toString();
    return spec;
  }

  static void print(PrintStream out, ModelVersionSpec spec, CanarySimulation.Result r) {
    print(out, spec, r, false);
  }

  /**
   * The step table (one row per step: its last analysis and how many ran; every analysis with
   * {@code allRuns}), the transitions, traffic per version and the decision.
   */
  static void print(
      PrintStream out, ModelVersionSpec spec, CanarySimulation.Result r, boolean allRuns) {
    SummaryText.printCanary(out, CanaryFacts.of(spec, r), allRuns);
  }
}
