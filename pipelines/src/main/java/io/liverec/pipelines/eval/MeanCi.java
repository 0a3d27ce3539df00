package io.liverec.pipelines.eval;

import java.util.List;

/**
 * Mean and 95% confidence half-width of a small sample (e.g. one metric over seeds), using
 * Student's t: half = t(0.975, n−1) · s / √n.
 *
 * @param mean sample mean
 * @param halfWidth 95% half-width (NaN for n &lt; 2)
 * @param n sample size
 */
public record MeanCi(double mean, double halfWidth, int n) {

  /** t(0.975, df) for df = 1..30; larger df use the normal quantile 1.96 (off by &lt; 2%). */
  private static final double[] T975 = {
    12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160,
    2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056,
    2.052, 2.048, 2.045, 2.042
  };

  public static MeanCi of(List<Double> values) {
    int n = values.size();
    double mean = values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    if (n < 2) {
      return new MeanCi(mean, Double.NaN, n);
    }
    double ss = 0;
    for (double v : values) {
      ss += (v - mean) * (v - mean);
    }
    double sd = Math.sqrt(ss / (n - 1));
    return new MeanCi(mean, tQuantile975(n - 1) * sd / Math.sqrt(n), n);
  }

  static double tQuantile975(int df) {
    return df <= T975.length ? T975[df - 1] : 1.96;
  }

  public double low() {
    return mean - halfWidth;
  }

  public double high() {
    return mean + halfWidth;
  }

  /** True when the two intervals share any point: the difference is not resolved. */
  public boolean overlaps(MeanCi other) {
    return low() <= other.high() && other.low() <= high();
  }

  /** E.g. {@code 0.7312 ± 0.0021}. */
  public String format() {
    return Double.isNaN(halfWidth)
        ? String.format("%.4f", mean)
        : String.format("%.4f ± %.4f", mean, halfWidth);
  }
}
