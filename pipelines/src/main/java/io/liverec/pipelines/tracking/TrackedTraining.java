package io.liverec.pipelines.tracking;

import io.liverec.api.v1alpha1.Gate;
import io.liverec.api.v1alpha1.TrainingRun;
import io.liverec.api.v1alpha1.TrainingRunSpec;
import io.liverec.pipelines.eval.TaskMetrics;
import io.liverec.pipelines.train.RankingTrainer;
import io.liverec.pipelines.train.TrainState;
import io.liverec.pipelines.train.TrainingResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A ranking training with its records: the run is journaled (and streamed to MLflow when a tracking
 * URI is given) with the flattened spec, lineage tags, per-epoch and final metrics, the model
 * artifacts and plots; when it passes its gates and names a registered model, a model version is
 * requested with alias {@code challenger}. MLflow being down never fails the training.
 */
public final class TrackedTraining {
  /** Artifact directory that becomes the registered version's source. */
  public static final String MODEL_DIR = "model";

  private TrackedTraining() {}

  /**
   * What happened.
   *
   * @param gateFailures one line per gate that did not hold (empty = passed)
   * @param tracking where the records went (synced to MLflow or kept locally, and why)
   */
  public record Outcome(
      TrainingResult training,
      Map<String, Double> metrics,
      List<String> gateFailures,
      RunTracker.Result tracking,
      String registeredModel) {

    public boolean gatesPassed() {
      return gateFailures.isEmpty();
    }
  }

  public static Outcome run(
      TrainingRun run,
      Path runDir,
      RankingTrainer.Options options,
      String trackingUri,
      Retry retry,
      Path repoRoot) {
    TrainingRunSpec spec = RankingTrainer.validate(run);
    String experiment =
        spec.tracking == null || spec.tracking.experiment == null
            ? "liverec"
            : spec.tracking.experiment;
    String runName =
        run.getMetadata() == null || run.getMetadata().getName() == null
            ? "ranking"
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
      TrainingResult result;
      try {
        result = RankingTrainer.run(run, runDir, options);
      } catch (RuntimeException e) {
        tracker.setTags(Map.of("liverec.error", String.valueOf(e.getMessage())));
        tracker.finish("FAILED");
        throw e;
      }
      for (TrainState.EpochRecord e : result.history()) {
        tracker.logMetric("train_loss", e.trainLoss(), e.epoch());
        tracker.logMetric("val_ctr_auc", e.validationCtrAuc(), e.epoch());
        tracker.logMetric("val_ctcvr_auc", e.validationCtcvrAuc(), e.epoch());
      }
      Map<String, Double> metrics = finalMetrics(result.holdout());
      tracker.logMetrics(metrics, Math.max(0, result.bestEpoch()));
      logArtifacts(tracker, runDir, result);
      List<String> failures = gateFailures(spec.gates, metrics);
      tracker.setTags(Map.of("liverec.gates", failures.isEmpty() ? "passed" : "failed"));
      String model = spec.tracking == null ? null : spec.tracking.registeredModel;
      if (failures.isEmpty() && model != null && !model.isBlank()) {
        tracker.requestRegistration(model, MODEL_DIR);
      }
      RunTracker.Result tracking = tracker.finish("FINISHED");
      return new Outcome(result, metrics, failures, tracking, failures.isEmpty() ? model : null);
    }
  }

  /** {@code <task>_auc}, {@code _gauc}, {@code _logloss}, {@code _ece}, … for every task. */
  public static Map<String, Double> finalMetrics(List<TaskMetrics> holdout) {
    Map<String, Double> out = new LinkedHashMap<>();
    for (TaskMetrics m : holdout) {
      put(out, m.task() + "_auc", m.auc());
      put(out, m.task() + "_gauc", m.gauc());
      put(out, m.task() + "_logloss", m.logLoss());
      put(out, m.task() + "_ece", m.ece());
      put(out, m.task() + "_pred_obs", m.predictedOverObserved());
      put(out, m.task() + "_bayes_auc", m.bayesAuc());
    }
    return out;
  }

  private static void put(Map<String, Double> out, String key, double v) {
    if (Double.isFinite(v)) {
      out.put(key, v);
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
      if (v == null) {
        failures.add(g.metric + ": no such metric (have " + metrics.keySet() + ")");
      } else if (g.min != null && v < g.min) {
        failures.add(String.format(Locale.ROOT, "%s = %.4f < min %.4f", g.metric, v, g.min));
      } else if (g.max != null && v > g.max) {
        failures.add(String.format(Locale.ROOT, "%s = %.4f > max %.4f", g.metric, v, g.max));
      }
    }
    return failures;
  }

  private static void logArtifacts(RunTracker tracker, Path runDir, TrainingResult result) {
    Map<String, Path> a = result.artifacts();
    logIfFile(tracker, a.get("onnx"), MODEL_DIR);
    logIfFile(tracker, a.get("transform"), MODEL_DIR);
    logIfFile(tracker, a.get("spec"), "");
    logIfFile(tracker, a.get("metrics"), "");
    logIfFile(tracker, a.get("report"), "");
    Path triton = a.get("triton");
    if (triton != null && Files.isDirectory(triton)) {
      try (Stream<Path> files = Files.walk(triton)) {
        for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
          Path rel = triton.relativize(f).getParent();
          tracker.logArtifact(f, MODEL_DIR + "/triton" + (rel == null ? "" : "/" + rel));
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    Path sampling = runDir.resolve("samples").resolve("report.json");
    logIfFile(tracker, sampling, "sampling");
    if (!result.history().isEmpty()) {
      List<Double> loss = new ArrayList<>();
      List<Double> ctr = new ArrayList<>();
      List<Double> ctcvr = new ArrayList<>();
      for (TrainState.EpochRecord e : result.history()) {
        loss.add(e.trainLoss());
        ctr.add(e.validationCtrAuc());
        ctcvr.add(e.validationCtcvrAuc());
      }
      Path plots = runDir.resolve("plots");
      tracker.logArtifact(
          Plots.curves(plots.resolve("loss.png"), "train loss", Map.of("train_loss", loss)),
          "plots");
      tracker.logArtifact(
          Plots.curves(
              plots.resolve("validation_auc.png"),
              "validation AUC",
              Map.of("ctr_auc", ctr, "ctcvr_auc", ctcvr)),
          "plots");
    }
  }

  private static void logIfFile(RunTracker tracker, Path file, String dir) {
    if (file != null && Files.isRegularFile(file)) {
      tracker.logArtifact(file, dir);
    }
  }
}
