package io.liverec.serving.rollout.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.apache.commons.math3.distribution.BetaDistribution;
import org.apache.commons.math3.random.Well19937c;
import org.junit.jupiter.api.Test;

class SequentialTestTest {

  @Test
  void likelihoodRatioFollowsTheMixtureFormula() {
    // n = 10 000, 5% vs 6%, tau 0.01: V = 0.1039, n*tau^2 = 1 -> sqrt(V/(V+1)) * exp(1/(2V(V+1)))
    double v = 0.05 * 0.95 + 0.06 * 0.94;
    double expected = Math.sqrt(v / (v + 1)) * Math.exp(1 / (2 * v * (v + 1)));
    assertThat(SequentialTest.likelihoodRatio(10_000, 0.05, 0.06, 0.01))
        .isCloseTo(expected, within(1e-9))
        .isCloseTo(23.99, within(0.01));
    // no difference: below 1 (evidence for "no effect"); symmetric in the sign of the difference
    assertThat(SequentialTest.likelihoodRatio(10_000, 0.05, 0.05, 0.01)).isLessThan(1);
    assertThat(SequentialTest.likelihoodRatio(10_000, 0.06, 0.05, 0.01))
        .isCloseTo(SequentialTest.likelihoodRatio(10_000, 0.05, 0.06, 0.01), within(0.05));
    assertThat(SequentialTest.likelihoodRatio(0, 0.05, 0.06, 0.01)).isEqualTo(1.0);
  }

  @Test
  void aClearlyWorseCanaryIsCaughtAfterTheBurnInAndTheVerdictStands() {
    SequentialTest t = new SequentialTest(0.05, 0.01, 200);
    SplittableRandom r = new SplittableRandom(5);
    long nA = 0;
    long xA = 0;
    long nB = 0;
    long xB = 0;
    SequentialTest.Decision d = SequentialTest.Decision.CONTINUE;
    int looks = 0;
    while (d == SequentialTest.Decision.CONTINUE && looks < 200) {
      for (int i = 0; i < 500; i++) {
        nA++;
        xA += r.nextDouble() < 0.05 ? 1 : 0;
        nB++;
        xB += r.nextDouble() < 0.03 ? 1 : 0;
      }
      d = t.observe(nA, xA, nB, xB);
      looks++;
    }
    assertThat(d).isEqualTo(SequentialTest.Decision.CANARY_WORSE);
    assertThat(t.pValue()).isLessThanOrEqualTo(0.05);
    assertThat(xA + xB).isGreaterThanOrEqualTo(200);
    // later data, even data that looks like a win, does not reverse a decision
    assertThat(t.observe(nA * 2, xA, nB * 2, xB * 3))
        .isEqualTo(SequentialTest.Decision.CANARY_WORSE);
  }

  @Test
  void noVerdictBeforeTheBurnInHoweverLargeTheGap() {
    SequentialTest t = new SequentialTest(0.05, 0.01, 1_000);
    assertThat(t.observe(5_000, 400, 5_000, 100)).isEqualTo(SequentialTest.Decision.CONTINUE);
    assertThat(t.pValue()).isLessThan(0.05); // the evidence is there, the burn-in holds it back
    assertThat(t.observe(10_000, 800, 10_000, 210)).isEqualTo(SequentialTest.Decision.CANARY_WORSE);
  }

  @Test
  void theAlwaysValidPValueNeverRises() {
    SequentialTest t = new SequentialTest(0.05, 0.01, 0);
    t.observe(1_000, 60, 1_000, 40);
    double first = t.pValue();
    t.observe(2_000, 100, 2_000, 100); // the gap closes
    assertThat(t.pValue()).isEqualTo(first);
  }

  @Test
  void sampleRatioMismatchIsAChiSquareOnTheArmCounts() {
    assertThat(SampleRatio.pValue(5_000, 5_000, 0.5)).isEqualTo(1.0);
    // chi2 = 1 -> p = 0.3173; chi2 = 16 -> p = 6.3e-5
    assertThat(SampleRatio.pValue(5_050, 4_950, 0.5)).isCloseTo(0.3173, within(1e-4));
    assertThat(SampleRatio.pValue(5_200, 4_800, 0.5)).isCloseTo(6.334e-5, within(1e-7));
    assertThat(SampleRatio.mismatch(5_050, 4_950, 0.5)).isFalse();
    assertThat(SampleRatio.mismatch(5_200, 4_800, 0.5)).isTrue();
    // a 10% canary against 90% stable: 1 000 vs 9 000 is exactly as expected
    assertThat(SampleRatio.pValue(1_000, 9_000, 0.1)).isEqualTo(1.0);
  }

  /**
   * Strongly clustered traffic: each user has their own CTR drawn from Beta(0.25, 4.75) (mean 0.05,
   * intra-user correlation 1/6) and sees 1–19 impressions, so the design effect is about 2.5. A/A,
   * looked at after every 200 users per arm up to 4 000: the per-impression variance rejects far
   * more often than α, the per-user one keeps near α. Returns {per-user, per-impression} rejection
   * rates.
   */
  static double[] clusteredRejections(int runs, double canaryScale, long seed) {
    BetaDistribution ctr = new BetaDistribution(new Well19937c(seed), 0.25, 4.75);
    SplittableRandom rnd = new SplittableRandom(seed);
    int perUser = 0;
    int perImpression = 0;
    for (int r = 0; r < runs; r++) {
      SequentialTest user = new SequentialTest(0.05, 0.01, 200);
      SequentialTest impression =
          new SequentialTest(0.05, 0.01, 200, SequentialTest.Variance.PER_IMPRESSION);
      long[] a = new long[6];
      long[] b = new long[6];
      for (int look = 0; look < 20; look++) {
        for (int u = 0; u < 200; u++) {
          addUser(a, ctr.sample(), rnd);
          addUser(b, ctr.sample() * canaryScale, rnd);
        }
        user.observe(moments(a), moments(b));
        impression.observe(moments(a), moments(b));
      }
      perUser += user.decision() != SequentialTest.Decision.CONTINUE ? 1 : 0;
      perImpression += impression.decision() != SequentialTest.Decision.CONTINUE ? 1 : 0;
    }
    return new double[] {(double) perUser / runs, (double) perImpression / runs};
  }

  private static void addUser(long[] m, double p, SplittableRandom rnd) {
    long n = 1 + rnd.nextInt(19);
    long e = 0;
    for (int i = 0; i < n; i++) {
      e += rnd.nextDouble() < p ? 1 : 0;
    }
    m[0]++;
    m[1] += n;
    m[2] += e;
    m[3] += n * n;
    m[4] += e * e;
    m[5] += n * e;
  }

  private static UserMoments moments(long[] m) {
    return new UserMoments(m[0], m[1], m[2], m[3], m[4], m[5]);
  }

  @Test
  void underUserClusteringThePerUserVarianceKeepsTheFalseAlarmRateThePerImpressionOneDoesNot() {
    double[] aa = clusteredRejections(300, 1.0, 17);
    assertThat(aa[0]).as("per-user variance, A/A rejections").isLessThanOrEqualTo(0.08);
    assertThat(aa[1]).as("per-impression variance, A/A rejections").isGreaterThan(0.12);
    assertThat(aa[1]).isGreaterThan(2 * aa[0]);
  }

  @Test
  void underUserClusteringThePerUserVarianceStillCatchesARealDrop() {
    double[] worse = clusteredRejections(100, 0.7, 23); // canary CTR 30% lower
    assertThat(worse[0]).as("per-user variance, power against -30%").isGreaterThanOrEqualTo(0.8);
  }
}
