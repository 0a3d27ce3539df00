package io.liverec.pipelines.train;

import io.liverec.pipelines.eval.TaskMetrics;
import io.liverec.pipelines.tracking.Gates;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a ranking run produced: its holdout evaluation, epoch history and artifacts (the {@link
 * RankingTrainer}'s own result; the task-neutral one is {@code pipeline.TrainerOutput}, the shared
 * one {@code io.liverec.api.run.TrainingResult}).
 *
 * @param runDir the run directory ({@link RunLayout})
 * @param holdout holdout metrics of ctr, cvr and ctcvr
 * @param history validation score per finished epoch
 * @param bestEpoch epoch whose variables were evaluated and exported
 * @param artifacts artifact name ({@code transform}, {@code metrics}, {@code report}, {@code onnx},
 *     {@code triton}, {@code checkpoint}) → path
 * @param onnxParity max |Δ| between model.onnx in ONNX Runtime and the trained ranker on holdout
 *     rows; null when nothing was exported
 */
public record RankingEvaluation(
    Path runDir,
    List<TaskMetrics> holdout,
    List<TrainState.EpochRecord> history,
    int bestEpoch,
    Map<String, Path> artifacts,
    Double onnxParity) {

  /** Metric name suffixes of {@link #metric}; full names are {@code <task>_<suffix>}. */
  public static final java.util.List<String> METRICS =
      java.util.List.of("auc", "gauc", "logloss", "ece", "pred_obs", "bayes_auc");

  /**
   * Every holdout metric by name ({@code ctr_auc}, …) and the export's parity ({@link
   * Gates#PARITY_METRIC}); NaN values (undefined) are left out.
   */
  public Map<String, Double> flatMetrics() {
    Map<String, Double> out = new java.util.LinkedHashMap<>();
    for (TaskMetrics m : holdout) {
      for (String suffix : METRICS) {
        double v = metric(m.task() + "_" + suffix);
        if (!Double.isNaN(v)) {
          out.put(m.task() + "_" + suffix, v);
        }
      }
    }
    if (onnxParity != null && !onnxParity.isNaN()) {
      out.put(Gates.PARITY_METRIC, onnxParity);
    }
    return out;
  }

  /** Holdout metric by name, e.g. {@code ctr_auc}, {@code cvr_gauc}, {@code ctcvr_logloss}. */
  public double metric(String name) {
    for (TaskMetrics m : holdout) {
      String p = m.task() + "_";
      if (name.startsWith(p)) {
        return switch (name.substring(p.length())) {
          case "auc" -> m.auc();
          case "gauc" -> m.gauc();
          case "logloss" -> m.logLoss();
          case "ece" -> m.ece();
          case "pred_obs" -> m.predictedOverObserved();
          case "bayes_auc" -> m.bayesAuc();
          default -> throw new IllegalArgumentException("unknown metric " + name);
        };
      }
    }
    throw new IllegalArgumentException("unknown metric " + name);
  }
}
