package io.liverec.serving.rollout.stats;

import org.apache.commons.math3.distribution.ChiSquaredDistribution;

/**
 * Sample-ratio mismatch: are the arms' user counts what the traffic split should give? A canary
 * that crashes for some users, or a split that is not random, shows up here before any outcome is
 * trusted. Pearson's chi-square test with one degree of freedom.
 */
public final class SampleRatio {
  private static final ChiSquaredDistribution ONE_DOF = new ChiSquaredDistribution(null, 1);

  /**
   * Below this p-value the counts are taken as a mismatch (the usual, deliberately strict, 0.001).
   */
  public static final double MISMATCH_P = 0.001;

  private SampleRatio() {}

  /**
   * @param expectedShareA the share of users arm A should get (0.5 for equal-sized slices)
   * @return the p-value of counts this unbalanced, or further, under the expected split
   */
  public static double pValue(long a, long b, double expectedShareA) {
    if (!(expectedShareA > 0 && expectedShareA < 1)) {
      throw new IllegalArgumentException("expectedShareA must be in (0, 1), got " + expectedShareA);
    }
    long n = a + b;
    if (n == 0) {
      return 1.0;
    }
    double ea = n * expectedShareA;
    double eb = n - ea;
    double chi2 = (a - ea) * (a - ea) / ea + (b - eb) * (b - eb) / eb;
    return 1 - ONE_DOF.cumulativeProbability(chi2);
  }

  public static boolean mismatch(long a, long b, double expectedShareA) {
    return pValue(a, b, expectedShareA) < MISMATCH_P;
  }
}
