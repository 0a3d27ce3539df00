package io.liverec.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.liverec.api.errors.ExitCode;
import io.liverec.api.errors.LiverecException;
import io.liverec.api.run.TrainingResult;
import io.liverec.api.run.TrainingRunner;
import io.liverec.api.v1alpha1.FeatureView;
import io.liverec.api.v1alpha1.ModelVersion;
import io.liverec.api.v1alpha1.ModelVersionStatus;
import io.liverec.api.v1alpha1.TrainingRun;
import io.liverec.api.validation.CustomResourceValidator;
import io.liverec.featurestore.FeatureRegistry;
import io.liverec.serving.rollout.InProcessInferenceServer;
import io.liverec.serving.rollout.InProcessModelRepository;
import io.liverec.serving.rollout.InProcessTrafficRouter;
import io.liverec.serving.rollout.ObservedMetricsAnalysis;
import io.liverec.serving.rollout.Rollout;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code liverec run -f cr.yaml}: the embedded operator. Reads a TrainingRun, FeatureView or
 * ModelVersion, validates it exactly as the operator does (the generated CRD's schema and CEL rules
 * plus the Java rules), then runs it in-process.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Run a LiveRec custom resource embedded, as the operator would on a cluster.",
      "TrainingRun: train in-process. FeatureView: register in the local feature registry.",
      "ModelVersion: load and walk the canary steps in-process (pauses are replayed on a virtual"
          + " clock, analysis uses the --metric values)."
    })
public final class RunCommand implements Callable<Integer> {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** How the trainer is found: the first {@link TrainingRunner} service (tests replace this). */
  static java.util.function.Supplier<Optional<TrainingRunner>> runners =
      () -> ServiceLoader.load(TrainingRunner.class).findFirst();

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = {"-f", "--file"},
      required = true,
      description = "custom resource YAML (liverec.io/v1alpha1)")
  Path file;

  @Option(
      names = "--registry-dir",
      defaultValue = io.liverec.featurestore.config.FeatureStores.EMBEDDED_REPO,
      description =
          "feature registry directory: a Feast repository unless $LIVEREC_FEATURE_REGISTRY says"
              + " otherwise (default: ${DEFAULT-VALUE}, the one `simulate`, `materialize` and"
              + " training use)")
  Path registryDir;

  @Option(
      names = "--metric",
      description = "observed canary metric, e.g. --metric p99LatencyMs=12 (repeatable)")
  Map<String, Double> metrics = new LinkedHashMap<>();

  @Option(
      names = "--result",
      description =
          "write the training result JSON here (trainer containers: /dev/termination-log)")
  Path result;

  @Option(names = "--work-dir", defaultValue = "liverec-out/run", description = "training outputs")
  Path workDir;

  @Option(names = "--validate-only", description = "validate and stop")
  boolean validateOnly;

  @Option(
      names = "--tracking-uri",
      description =
          "MLflow server whose champion alias follows a ModelVersion's promotion or rollback"
              + " (default: $MLFLOW_TRACKING_URI; none = aliases are not kept)")
  String trackingUri;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    HasMetadata cr = read(file);
    String what = cr.getKind() + " " + cr.getMetadata().getName();
    out.println(file + ": " + what + " is valid");
    if (validateOnly) {
      return ExitCode.OK;
    }
    if (cr instanceof TrainingRun run) {
      return train(run, out);
    }
    if (cr instanceof FeatureView view) {
      return register(view, out);
    }
    return rollout((ModelVersion) cr, out);
  }

  /** Reads and validates one custom resource; bad input names the file and the field. */
  static HasMetadata read(Path file) {
    if (!Files.isRegularFile(file)) {
      throw LiverecException.badInput(file + ": no such file");
    }
    List<JsonNode> docs;
    try {
      docs = YAML.readValues(YAML.createParser(file.toFile()), JsonNode.class).readAll();
    } catch (JsonProcessingException e) {
      throw LiverecException.badInput(
          file
              + ": not valid YAML: "
              + e.getOriginalMessage()
              + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"));
    } catch (IOException e) {
      throw LiverecException.badInput(file + ": cannot read: " + e.getMessage());
    }
    docs = docs.stream().filter(d -> d != null && !d.isNull() && !d.isMissingNode()).toList();
    if (docs.size() != 1) {
      throw LiverecException.badInput(
          file + ": expected one custom resource, found " + docs.size());
    }
    JsonNode doc = docs.get(0);
    // a FeatureView file may name its source relative to itself (a movable bundle)
    io.liverec.featurestore.FeatureViewFiles.resolveSource(doc, file.toAbsolutePath().getParent());
    CustomResourceValidator.Result r = CustomResourceValidator.validate(doc);
    String name = doc.path("metadata").path("name").asText("<unnamed>");
    CustomResourceValidator.requireValid(
        file + ": " + doc.path("kind").asText("resource") + " " + name, r.violations());
    return r.resource();
  }

  private int train(TrainingRun run, PrintWriter out) throws Exception {
    if (run.getSpec().schedule != null) {
      throw LiverecException.badInput(
          file
              + ": spec.schedule: TrainingRun "
              + run.getMetadata().getName()
              + " is a schedule, which the operator runs by creating a dated run at each time;"
              + " to train one window here, remove spec.schedule and set spec.data.from/to");
    }
    Optional<TrainingRunner> runner = runners.get();
    if (runner.isEmpty()) {
      throw LiverecException.badInput(
          file
              + ": TrainingRun "
              + run.getMetadata().getName()
              + " is valid, but training is not yet available in embedded mode (no "
              + TrainingRunner.class.getName()
              + " implementation on the class path)");
    }
    Path dir = workDir.resolve(run.getMetadata().getName());
    Files.createDirectories(dir);
    TrainingResult r = runner.get().train(run, dir);
    out.println(
        "trained "
            + run.getMetadata().getName()
            + ": "
            + r.metrics
            + (r.mlflowRunId == null ? "" : ", MLflow run " + r.mlflowRunId));
    if (result != null) {
      Files.writeString(result, r.toJson(), StandardCharsets.UTF_8);
    }
    return ExitCode.OK;
  }

  private int register(FeatureView view, PrintWriter out) {
    // embedded, the one registry is a Feast repository (LIVEREC_FEATURE_REGISTRY=file: JSON files)
    Map<String, String> env = new java.util.HashMap<>(System.getenv());
    env.putIfAbsent(io.liverec.featurestore.config.FeatureStores.ENV_REGISTRY, "feast");
    FeatureRegistry registry =
        io.liverec.featurestore.config.FeatureStores.registry(env, Optional.of(registryDir));
    String ns = Optional.ofNullable(view.getMetadata().getNamespace()).orElse("default");
    FeatureRegistry.Entry e = registry.register(ns, view.getMetadata().getName(), view.getSpec());
    out.println(
        "registered FeatureView "
            + ns
            + "/"
            + e.name()
            + " as version "
            + e.version()
            + " in "
            + (registry instanceof io.liverec.featurestore.feast.FeastFeatureRegistry f
                ? "the Feast repository " + f.repo().dir()
                : registryDir));
    if (view.getSpec().materialization != null) {
      out.println(
          "schedule '"
              + view.getSpec().materialization.schedule
              + "' applies on a cluster (a CronJob); embedded, materialization runs on demand");
    }
    return ExitCode.OK;
  }

  private int rollout(ModelVersion mv, PrintWriter out) {
    Rollout rollout =
        new Rollout(
            new InProcessModelRepository(),
            new InProcessInferenceServer(),
            new InProcessTrafficRouter(),
            new ObservedMetricsAnalysis((m, v) -> metrics),
            registryAliases());
    ModelVersionStatus st = new ModelVersionStatus();
    Instant start = Instant.parse("2000-01-01T00:00:00Z");
    Instant now = start;
    long gen = Optional.ofNullable(mv.getMetadata().getGeneration()).orElse(1L);
    for (int i = 0; i < 10_000; i++) {
      Rollout.Outcome o = rollout.reconcile(mv.getSpec(), st, gen, now);
      for (Rollout.Transition t : o.transitions()) {
        out.printf(
            "+%-8s %-10s %-22s %s%n",
            fmt(Duration.between(start, now)), t.to(), t.reason(), t.message());
      }
      Optional<Rollout.Transition> held =
          o.transitions().stream()
              .filter(t -> t.reason() == io.liverec.api.v1alpha1.Reason.AnalysisInconclusive)
              .findFirst();
      if (held.isPresent()) {
        throw LiverecException.badInput(
            file
                + ": ModelVersion "
                + mv.getMetadata().getName()
                + " holds at canary step "
                + st.currentStep
                + ": "
                + held.get().message()
                + " (give the observed values with --metric name=value)");
      }
      if (Rollout.isTerminal(st.phase) || o.requeueAfter().isEmpty()) {
        break;
      }
      now = now.plus(o.requeueAfter().get());
    }
    if ("Pending".equals(st.registryAlias)) {
      out.println(
          "warning: the rollout ended "
              + st.phase
              + " but the champion alias in MLflow could not be updated; run this again or"
              + " use `liverec promote` once MLflow is reachable");
    }
    out.println(
        "ModelVersion "
            + mv.getMetadata().getName()
            + ": "
            + st.phase
            + ", traffic "
            + st.trafficWeight
            + "%");
    return switch (st.phase) {
      case Rollout.PROMOTED -> ExitCode.OK;
      case Rollout.ROLLED_BACK ->
          throw LiverecException.gateFailed(
              mv.getMetadata().getName() + " was rolled back: " + st.message);
      default ->
          throw LiverecException.badInput(
              mv.getMetadata().getName() + " ended " + st.phase + ": " + st.message);
    };
  }

  private io.liverec.api.run.RegistryAliases registryAliases() {
    String uri = trackingUri != null ? trackingUri : System.getenv("MLFLOW_TRACKING_URI");
    if (uri == null || uri.isBlank()) {
      return io.liverec.api.run.RegistryAliases.NONE;
    }
    return new io.liverec.registry.MlflowRegistryAliases(
        new io.liverec.registry.MlflowGateway(
            uri, new io.liverec.registry.Retry(3, Duration.ofMillis(500))));
  }

  private static String fmt(Duration d) {
    return d.toHours() > 0
        ? d.toHours() + "h" + d.toMinutesPart() + "m"
        : d.toMinutes() > 0 ? d.toMinutes() + "m" + d.toSecondsPart() + "s" : d.toSeconds() + "s";
  }
}
