package io.liverec.pipelines.eval;

/**
 * Holdout metrics of one task.
 *
 * @param task {@code ctr}, {@code cvr} or {@code ctcvr}
 * @param rows rows the task is evaluated on (cvr: clicked rows only)
 * @param positives positive rows among them
 * @param auc exact rank AUC
 * @param gauc impression-weighted mean of per-user AUC (users with both classes only)
 * @param gaucUsers users that entered the GAUC
 * @param logLoss mean binary cross-entropy
 * @param ece expected calibration error, {@link Calibration#DEFAULT_BINS} equal-width bins
 * @param predictedOverObserved Σ prediction / Σ label
 * @param bayesAuc AUC of the simulator's oracle probability on the same rows: the ceiling no model
 *     can beat in expectation (NaN when the data carries no oracle column)
 */
public record TaskMetrics(
    String task,
    long rows,
    long positives,
    double auc,
    double gauc,
    int gaucUsers,
    double logLoss,
    double ece,
    double predictedOverObserved,
    double bayesAuc) {}
