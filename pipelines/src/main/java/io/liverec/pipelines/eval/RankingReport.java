package io.liverec.pipelines.eval;

import java.util.List;
import java.util.Map;

/** The readable run report (report.md): holdout metrics with the Bayes ceiling, history, data. */
public final class RankingReport {
  private RankingReport() {}

  /**
   * @param history finished epochs (records with epoch, trainLoss, validation AUCs, score)
   * @param json the metrics.json content, for the data and repair sections
   */
  public static String markdown(
      String run,
      String model,
      List<TaskMetrics> metrics,
      List<? extends HistoryRow> history,
      Map<String, Object> json) {
    StringBuilder md = new StringBuilder();
    md.append("# Ranking run ").append(run).append("\n\n");
    md.append("Model: `").append(model).append("`\n\n");
    md.append("## Holdout metrics\n\n");
    md.append(
        "| task | rows | positives | AUC | Bayes-optimal AUC | GAUC (users) | log loss | ECE |"
            + " pred/obs |\n");
    md.append("|---|---|---|---|---|---|---|---|---|\n");
    for (TaskMetrics m : metrics) {
      md.append(
          String.format(
              "| %s | %d | %d | %.4f | %s | %.4f (%d) | %.4f | %.4f | %.3f |%n",
              m.task(),
              m.rows(),
              m.positives(),
              m.auc(),
              Double.isNaN(m.bayesAuc()) ? "n/a" : String.format("%.4f", m.bayesAuc()),
              m.gauc(),
              m.gaucUsers(),
              m.logLoss(),
              m.ece(),
              m.predictedOverObserved()));
    }
    md.append(
        "\nctr and ctcvr are evaluated on every holdout impression, cvr on clicked rows only."
            + " The Bayes-optimal AUC is the AUC of the simulator's true probability (its"
            + " `oracle_*` columns, never a feature) on the same rows: no model can beat it in"
            + " expectation, so the gap to it is what is left to learn. Training weighs clicked"
            + " rows by their behaviour weight (gifts, flowers, watch time), which lifts the"
            + " predicted probabilities: a predicted/observed ratio above 1 follows from that"
            + " weighting and does not affect the AUCs.\n");
    if (json.get("weightCorrectedCalibration") instanceof Map<?, ?> wc && !wc.isEmpty()) {
      md.append(
          "\nWeight-corrected calibration: the prediction's odds divided by k = mean behaviour"
              + " weight of the task's positive training rows / that of its negatives, p' = p /"
              + " (p + k(1 − p)) (the outputs are unchanged; apply this to use them as"
              + " probabilities):\n\n| task | k | ECE | pred/obs |\n|---|---|---|---|\n");
      for (Map.Entry<?, ?> e : wc.entrySet()) {
        if (e.getValue() instanceof Map<?, ?> m) {
          md.append(
              String.format(
                  "| %s | %.3f | %.4f | %.3f |%n",
                  e.getKey(),
                  ((Number) m.get("oddsFactor")).doubleValue(),
                  ((Number) m.get("ece")).doubleValue(),
                  ((Number) m.get("predictedOverObserved")).doubleValue()));
        }
      }
    }
    md.append("\n## Training\n\n| epoch | train loss | val ctr AUC | val ctcvr AUC |\n");
    md.append("|---|---|---|---|\n");
    for (HistoryRow h : history) {
      md.append(
          String.format(
              "| %d | %.4f | %.4f | %.4f |%n",
              h.epoch() + 1, h.trainLoss(), h.validationCtrAuc(), h.validationCtcvrAuc()));
    }
    md.append("\nBest epoch (restored for evaluation and export): ")
        .append(((Number) json.get("bestEpoch")).intValue() + 1)
        .append("\n\n## Data\n\n");
    Object data = json.get("data");
    if (data instanceof Map<?, ?> d) {
      for (Map.Entry<?, ?> e : d.entrySet()) {
        md.append("- ").append(e.getKey()).append(": ").append(e.getValue()).append('\n');
      }
    }
    md.append("\n## Feature repairs\n\n");
    md.append(
        "NaN/±inf/null numerics become the training mean (dense) or bucket 0; null categoricals"
            + " id 0; bad vector elements 0; rows without labels are quarantined.\n\n");
    md.append("- holdout: ").append(json.get("holdoutFeatureRepairs")).append('\n');
    md.append("- one training epoch: ").append(json.get("trainFeatureRepairs")).append('\n');
    return md.toString();
  }
}
