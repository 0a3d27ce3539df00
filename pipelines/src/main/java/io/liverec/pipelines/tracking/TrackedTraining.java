package io.liverec.pipelines.tracking;

import io.liverec.api.errors.LiverecException;
import io.liverec.api.v1alpha1.Gate;
import io.liverec.api.v1alpha1.Task;
import io.liverec.api.v1alpha1.TrainingRun;
import io.liverec.api.v1alpha1.TrainingRunSpec;
import io.liverec.pipelines.recall.RecallTrainer;
import io.liverec.pipelines.train.RankingTrainer;
import io.liverec.pipelines.train.TrainState;
import io.liverec.pipelines.train.TrainingResult;
import io.liverec.registry.Retry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A training (ranking or recall) with its records: the run is journaled (and streamed to MLflow
 * when a tracking URI is given) with the flattened spec, lineage tags, per-epoch and final metrics,
 * the model artifacts and plots; when it passes its gates and names a registered model, a model
 * version is requested with alias {@code challenger}. MLflow being down never fails the training:
 * the records stay in the run directory for {@code liverec sync}.
 */
public final class TrackedTraining {
  /** Artifact directory that becomes the registered version's source. */
  public static final String MODEL_DIR = "model";

  /** Run-directory artifacts that are part of the deployable model (the rest are reports). */
  private static final Set<String> MODEL_ARTIFACTS =
      Set.of("onnx", "transform", "user_tower", "room_vectors", "index");

  private TrackedTraining() {}

  /**
   * What happened.
   *
   * @param metrics final (holdout) metrics by flat name, e.g. {@code ctcvr_auc}
   * @param artifacts run-directory outputs by name
   * @param gateFailures one line per gate that did not hold (empty = passed)
   * @param tracking where the records went (synced to MLflow or kept locally, and why)
   * @param registeredModel the registered model a version was requested in, or null
   * @param ranking the ranking trainer's full result (null for recall)
   */
  public record Outcome(
      Task task,
      Path runDir,
      Map<String, Double> metrics,
      Map<String, Path> artifacts,
      List<String> gateFailures,
      RunTracker.Result tracking,
      String registeredModel,
      TrainingResult ranking) {

    public boolean gatesPassed() {
      return gateFailures.isEmpty();
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
        return "runs:/" + tracking.mlflowRunId() + "/" + MODEL_DIR;
      }
      return runDir.toAbsolutePath().toUri().toString();
    }
  }

  /** Ranking with default trainer options, or recall; the tracking URI from the environment. */
  public static Outcome run(TrainingRun run, Path runDir, Path repoRoot) {
    return run(
        run,
        runDir,
        RankingTrainer.Options.defaults(),
        RunTracker.trackingUriFromEnvironment(),
        Retry.DEFAULT,
        repoRoot);
  }

  public static Outcome run(
      TrainingRun run,
      Path runDir,
      RankingTrainer.Options rankingOptions,
      String trackingUri,
      Retry retry,
      Path repoRoot) {
    if (run == null || run.getSpec() == null) {
      throw LiverecException.badInput("TrainingRun has no spec");
    }
    TrainingRunSpec spec = run.getSpec();
    Task task = spec.task == null ? Task.RANKING : spec.task;
    if (task == Task.RANKING) {
      RankingTrainer.validate(run); // fail on a bad spec before a run is recorded anywhere
    }
    String experiment =
        spec.tracking == null || spec.tracking.experiment == null
            ? "liverec"
            : spec.tracking.experiment;
    String runName =
        run.getMetadata() == null || run.getMetadata().getName() == null
            ? task.name().toLowerCase(Locale.ROOT)
            : run.getMetadata().getName();
    try (RunTracker tracker =
        RunTracker.start(
            runDir,
            trackingUri,
            retry,
            experiment,
            runName,
            TrainingRunRecords.tags(run, repoRoot),
            TrainingRunRecords.params(spec))) {
      Map<String, Double> metrics;
      Map<String, Path> artifacts;
      TrainingResult ranking = null;
      try {
        if (task == Task.RECALL) {
          RecallTrainer.Result r = RecallTrainer.run(run, runDir);
          metrics = r.metrics();
          artifacts = r.artifacts();
        } else {
          ranking = RankingTrainer.run(run, runDir, rankingOptions);
          metrics = ranking.flatMetrics();
          artifacts = ranking.artifacts();
          logHistory(tracker, runDir, ranking.history());
        }
      } catch (RuntimeException e) {
        tracker.setTags(Map.of("liverec.error", String.valueOf(e.getMessage())));
        tracker.finish("FAILED");
        throw e;
      }
      tracker.logMetrics(finite(metrics), ranking == null ? 0 : Math.max(0, ranking.bestEpoch()));
      logArtifacts(tracker, runDir, artifacts);
      List<String> failures = gateFailures(spec.gates, metrics);
      tracker.setTags(Map.of("liverec.gates", failures.isEmpty() ? "passed" : "failed"));
      String model = spec.tracking == null ? null : spec.tracking.registeredModel;
      boolean register = failures.isEmpty() && model != null && !model.isBlank();
      if (register) {
        tracker.requestRegistration(model, MODEL_DIR);
      }
      RunTracker.Result tracking = tracker.finish("FINISHED");
      return new Outcome(
          task, runDir, metrics, artifacts, failures, tracking, register ? model : null, ranking);
    }
  }

  /** One line per gate that does not hold; a gate on a missing metric fails. */
  public static List<String> gateFailures(List<Gate> gates, Map<String, Double> metrics) {
    List<String> failures = new ArrayList<>();
    if (gates == null) {
      return failures;
    }
    for (Gate g : gates) {
      Double v = metrics.get(g.metric);
      if (v == null || v.isNaN()) {
        failures.add(g.metric + " = missing (have " + metrics.keySet() + ")");
      } else if (g.min != null && v < g.min) {
        failures.add(String.format(Locale.ROOT, "%s = %.4f < min %.4f", g.metric, v, g.min));
      } else if (g.max != null && v > g.max) {
        failures.add(String.format(Locale.ROOT, "%s = %.4f > max %.4f", g.metric, v, g.max));
      }
    }
    return failures;
  }

  private static Map<String, Double> finite(Map<String, Double> metrics) {
    Map<String, Double> out = new LinkedHashMap<>();
    metrics.forEach(
        (k, v) -> {
          if (v != null && Double.isFinite(v)) {
            out.put(k, v);
          }
        });
    return out;
  }

  private static void logHistory(
      RunTracker tracker, Path runDir, List<TrainState.EpochRecord> history) {
    List<Double> loss = new ArrayList<>();
    List<Double> ctr = new ArrayList<>();
    List<Double> ctcvr = new ArrayList<>();
    for (TrainState.EpochRecord e : history) {
      tracker.logMetric("train_loss", e.trainLoss(), e.epoch());
      tracker.logMetric("val_ctr_auc", e.validationCtrAuc(), e.epoch());
      tracker.logMetric("val_ctcvr_auc", e.validationCtcvrAuc(), e.epoch());
      loss.add(e.trainLoss());
      ctr.add(e.validationCtrAuc());
      ctcvr.add(e.validationCtcvrAuc());
    }
    if (history.isEmpty()) {
      return;
    }
    Path plots = runDir.resolve("plots");
    tracker.logArtifact(
        Plots.curves(plots.resolve("loss.png"), "train loss", Map.of("train_loss", loss)), "plots");
    tracker.logArtifact(
        Plots.curves(
            plots.resolve("validation_auc.png"),
            "validation AUC",
            Map.of("ctr_auc", ctr, "ctcvr_auc", ctcvr)),
        "plots");
  }

  private static void logArtifacts(RunTracker tracker, Path runDir, Map<String, Path> artifacts) {
    for (Map.Entry<String, Path> a : artifacts.entrySet()) {
      Path p = a.getValue();
      if (p == null || !p.toAbsolutePath().startsWith(runDir.toAbsolutePath())) {
        continue; // only the run's own outputs are uploaded
      }
      boolean model = MODEL_ARTIFACTS.contains(a.getKey());
      if (Files.isRegularFile(p)) {
        tracker.logArtifact(p, model ? MODEL_DIR : a.getKey().startsWith("plot") ? "plots" : "");
      } else if (Files.isDirectory(p) && !a.getKey().equals("checkpoint")) {
        String base = (model || a.getKey().equals("triton") ? MODEL_DIR + "/" : "") + a.getKey();
        try (Stream<Path> files = Files.walk(p)) {
          for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
            Path rel = p.relativize(f).getParent();
            tracker.logArtifact(f, base + (rel == null ? "" : "/" + rel));
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    for (String report : List.of("sample-report.json", "sample-report.md")) {
      Path f = runDir.resolve("samples").resolve(report);
      if (Files.isRegularFile(f)) {
        tracker.logArtifact(f, "sampling");
      }
    }
  }
}
