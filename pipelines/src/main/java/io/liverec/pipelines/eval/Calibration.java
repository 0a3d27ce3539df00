package io.liverec.pipelines.eval;

/** Log loss, expected calibration error and the predicted/observed ratio of probabilities. */
public final class Calibration {

  /** Probabilities are clipped to [EPS, 1 − EPS] in the log loss so one sure miss is finite. */
  public static final double EPS = 1e-7;

  /** Equal-width probability bins of the ECE. */
  public static final int DEFAULT_BINS = 10;

  private Calibration() {}

  /** Mean binary cross-entropy. */
  public static double logLoss(double[] p, double[] y) {
    check(p, y);
    double sum = 0;
    for (int i = 0; i < p.length; i++) {
      double q = Math.min(1 - EPS, Math.max(EPS, p[i]));
      sum -= y[i] > 0.5 ? Math.log(q) : Math.log(1 - q);
    }
    return p.length == 0 ? Double.NaN : sum / p.length;
  }

  /**
   * Expected calibration error over {@code bins} equal-width bins of the prediction: Σ_b (n_b/N) ·
   * |mean(p in b) − mean(y in b)|. A prediction of exactly 1 falls in the last bin.
   */
  public static double ece(double[] p, double[] y, int bins) {
    check(p, y);
    double[] sumP = new double[bins];
    double[] sumY = new double[bins];
    long[] count = new long[bins];
    for (int i = 0; i < p.length; i++) {
      int b = Math.min(bins - 1, Math.max(0, (int) Math.floor(p[i] * bins)));
      sumP[b] += p[i];
      sumY[b] += y[i] > 0.5 ? 1 : 0;
      count[b]++;
    }
    double ece = 0;
    for (int b = 0; b < bins; b++) {
      if (count[b] > 0) {
        ece += Math.abs(sumP[b] - sumY[b]) / p.length;
      }
    }
    return p.length == 0 ? Double.NaN : ece;
  }

  /** Σp / Σy: above 1 the model over-predicts. NaN when there is no positive. */
  public static double predictedOverObserved(double[] p, double[] y) {
    check(p, y);
    double sp = 0;
    double sy = 0;
    for (int i = 0; i < p.length; i++) {
      sp += p[i];
      sy += y[i] > 0.5 ? 1 : 0;
    }
    return sy == 0 ? Double.NaN : sp / sy;
  }

  /**
   * Undoes the lift of training with behaviour weights. Weighted log loss is minimised at odds =
   * true odds × (mean weight of positives / mean weight of negatives) when the weights do not
   * depend on the features beyond the label; dividing the odds by that factor {@code k} gives p /
   * (p + k(1 − p)). {@code k} = 1 leaves p unchanged.
   */
  public static double weightCorrected(double p, double k) {
    if (!(k > 0) || Double.isInfinite(k)) {
      throw new IllegalArgumentException("odds factor must be positive and finite, got " + k);
    }
    return p / (p + k * (1 - p));
  }

  /** {@link #weightCorrected(double, double)} of every prediction. */
  public static double[] weightCorrected(double[] p, double k) {
    double[] out = new double[p.length];
    for (int i = 0; i < p.length; i++) {
      out[i] = weightCorrected(p[i], k);
    }
    return out;
  }

  private static void check(double[] p, double[] y) {
    if (p.length != y.length) {
      throw new IllegalArgumentException(
          "predictions and labels differ in length: " + p.length + " vs " + y.length);
    }
  }
}
