package io.liverec.pipelines.pipeline;

import io.liverec.api.run.TrainingResult;
import io.liverec.api.v1alpha1.Gate;
import io.liverec.api.v1alpha1.TrainingRun;
import io.liverec.api.v1alpha1.TrainingRunSpec;
import io.liverec.pipelines.tracking.Gates;
import io.liverec.pipelines.tracking.RunTracker;
import io.liverec.pipelines.tracking.TrainingRunRecords;
import io.liverec.registry.MlflowGateway;
import io.liverec.registry.Retry;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A {@link Trainer} with its records, around any other trainer: the run is journaled (and streamed
 * to MLflow when a tracking URI is given) with the flattened spec, lineage tags, per-epoch and
 * final metrics, the model artifacts and plots; when it passes its {@link Gates} (metric floors, no
 * regression against the registered model's champion, ONNX parity, model size) and names a
 * registered model, a model version is requested with alias {@code challenger}. MLflow being down
 * never fails the training: the records stay in the run directory for {@code liverec sync}.
 */
public final class TrackedTrainer implements Trainer {
  private final Trainer delegate;
  private final String trackingUri;
  private final Retry retry;
  private final Path repoRoot;

  /**
   * What happened.
   *
   * @param output the wrapped trainer's output
   * @param gateFailures one line per gate that did not hold (empty = passed)
   * @param tracking where the records went (synced to MLflow or kept locally, and why)
   * @param registeredModel the registered model a version was requested in, or null
   */
  public record Outcome(
      TrainerOutput output,
      List<String> gateFailures,
      RunTracker.Result tracking,
      String registeredModel) {

    public boolean gatesPassed() {
      return gateFailures.isEmpty();
    }

    public Map<String, Double> metrics() {
      return output.metrics();
    }

    public Map<String, Path> artifacts() {
      return output.artifacts();
    }

    /**
     * Where the model can be fetched from: {@code models:/name/version} once registered, the MLflow
     * run's model directory once synced, else the local run directory.
     */
    public String modelUri() {
      if (registeredModel != null && tracking.modelVersion() != null) {
        return "models:/" + registeredModel + "/" + tracking.modelVersion();
      }
      if (tracking.synced() && tracking.mlflowRunId() != null) {
        return "runs:/" + tracking.mlflowRunId() + "/" + TrackedArtifacts.MODEL_DIR;
      }
      return output.runDir().toAbsolutePath().toUri().toString();
    }

    /** The result the CLI, the trainer Job and the operator share; finite metrics only. */
    public TrainingResult toResult() {
      TrainingResult out = new TrainingResult();
      out.metrics.putAll(finite(output.metrics()));
      out.mlflowRunId = tracking.mlflowRunId();
      out.modelVersion = tracking.modelVersion();
      out.modelUri = modelUri();
      out.trackingError = tracking.error();
      out.gateFailures.addAll(gateFailures);
      return out;
    }
  }

  /**
   * @param delegate the trainer that does the work
   * @param trackingUri MLflow tracking URI, or null to keep the records locally only
   * @param retry how MLflow calls are retried
   * @param repoRoot git checkout for lineage tags, or null
   */
  public TrackedTrainer(Trainer delegate, String trackingUri, Retry retry, Path repoRoot) {
    this.delegate = delegate;
    this.trackingUri = trackingUri;
    this.retry = retry;
    this.repoRoot = repoRoot;
  }

  /** Around {@code delegate}, with the tracking URI from the environment. */
  public static TrackedTrainer around(Trainer delegate, Path repoRoot) {
    return new TrackedTrainer(
        delegate, RunTracker.trackingUriFromEnvironment(), Retry.DEFAULT, repoRoot);
  }

  @Override
  public io.liverec.api.v1alpha1.Task task() {
    return delegate.task();
  }

  @Override
  public TrainingRunSpec validate(TrainingRun run) {
    return delegate.validate(run);
  }

  @Override
  public TrainerOutput train(TrainingRun run, Path runDir) {
    return run(run, runDir).output();
  }

  /** Validates (before anything is recorded), trains with records, checks the gates, registers. */
  public Outcome run(TrainingRun run, Path runDir) {
    TrainingRunSpec spec = delegate.validate(run);
    try (RunTracker tracker = start(run, spec, runDir)) {
      TrainerOutput output;
      try {
        output = withModelBytes(delegate.train(run, runDir), runDir);
      } catch (RuntimeException e) {
        tracker.setTags(Map.of("liverec.error", String.valueOf(e.getMessage())));
        tracker.finish("FAILED");
        throw e;
      }
      TrackedArtifacts.logEpochs(tracker, runDir, output.epochs());
      tracker.logMetrics(finite(output.metrics()), Math.max(0, output.bestEpoch()));
      TrackedArtifacts.log(tracker, runDir, output.artifacts());
      String model = spec.tracking == null ? null : spec.tracking.registeredModel;
      Gates.Policy policy = Gates.Policy.of(spec);
      List<String> failures =
          Gates.failures(Gates.evaluate(policy, output.metrics(), baseline(policy, model)));
      tracker.setTags(Map.of("liverec.gates", failures.isEmpty() ? "passed" : "failed"));
      boolean register = failures.isEmpty() && model != null && !model.isBlank();
      if (register) {
        tracker.requestRegistration(model, TrackedArtifacts.MODEL_DIR);
      }
      return new Outcome(output, failures, tracker.finish("FINISHED"), register ? model : null);
    }
  }

  /** The output with {@link Gates#SIZE_METRIC}: the bytes that will be registered as the model. */
  private static TrainerOutput withModelBytes(TrainerOutput o, Path runDir) {
    long bytes = TrackedArtifacts.modelBytes(runDir, o.artifacts());
    if (bytes <= 0) {
      return o;
    }
    Map<String, Double> metrics = new LinkedHashMap<>(o.metrics());
    metrics.put(Gates.SIZE_METRIC, (double) bytes);
    return new TrainerOutput(
        o.task(), o.runDir(), metrics, o.artifacts(), o.epochs(), o.bestEpoch(), o.details());
  }

  /**
   * The holder of the no-regression alias in the registered model, looked up in MLflow; unknown (so
   * the gate fails) when there is no server or it cannot be asked.
   */
  private Gates.Baseline baseline(Gates.Policy policy, String model) {
    if (policy.noRegression() == null) {
      return Gates.Baseline.none();
    }
    if (model == null || model.isBlank()) {
      return Gates.Baseline.unknown("no tracking.registeredModel to look it up in");
    }
    if (trackingUri == null) {
      return Gates.Baseline.unknown("no MLflow tracking server configured");
    }
    try (MlflowGateway mlflow = new MlflowGateway(trackingUri, retry)) {
      return Gates.Baseline.lookUp(mlflow, model, policy.noRegression().against());
    } catch (RuntimeException e) {
      return Gates.Baseline.unknown("MLflow: " + Retry.rootMessage(e));
    }
  }

  private RunTracker start(TrainingRun run, TrainingRunSpec spec, Path runDir) {
    String experiment =
        spec.tracking == null || spec.tracking.experiment == null
            ? "liverec"
            : spec.tracking.experiment;
    String runName =
        run.getMetadata() == null || run.getMetadata().getName() == null
            ? delegate.task().name().toLowerCase(Locale.ROOT)
            : run.getMetadata().getName();
    return RunTracker.start(
        runDir,
        trackingUri,
        retry,
        experiment,
        runName,
        TrainingRunRecords.tags(run, repoRoot),
        TrainingRunRecords.params(spec));
  }

  /** One line per metric floor that does not hold; a floor on a missing metric fails. */
  public static List<String> gateFailures(List<Gate> gates, Map<String, Double> metrics) {
    return Gates.failures(
        Gates.evaluate(new Gates.Policy(Gates.floors(gates), null, null, null), metrics, null));
  }

  static Map<String, Double> finite(Map<String, Double> metrics) {
    Map<String, Double> out = new LinkedHashMap<>();
    metrics.forEach(
        (k, v) -> {
          if (v != null && Double.isFinite(v)) {
            out.put(k, v);
          }
        });
    return out;
  }
}
