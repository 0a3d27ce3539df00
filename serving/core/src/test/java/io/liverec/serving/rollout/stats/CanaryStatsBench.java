package io.liverec.serving.rollout.stats;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * The canary's outcome test as a benchmark (scripts/bench-canary.sh): many simulated rollouts of
 * one weight epoch, users arriving in batches to the canary and to an equal-sized stable slice,
 * each clicking with its arm's rate; a look after every batch. Reports, per scenario, how often the
 * canary was wrongly promoted (judged better) or wrongly rolled back (judged worse), the power and
 * the median users per arm to a decision — for the mSPRT and for two anchors on the same traffic:
 * the fixed-horizon two-proportion z-test looked at once at the horizon (valid, slow), and the same
 * z-test looked at after every batch (the naive peeking a threshold analysis does).
 *
 * <p>Args: rollouts (1000), horizon users per arm (20000), batch (500), control rate (0.05),
 * degraded rate (0.04), alpha (0.05), tau (0.01), burn-in events (200), seed (1).
 */
public final class CanaryStatsBench {
  private static final NormalDistribution NORMAL = new NormalDistribution(null, 0, 1);

  private CanaryStatsBench() {}

  /** Outcomes of one method over many rollouts of one scenario. */
  private static final class Tally {
    int better;
    int worse;
    final int[] usersToDecision;
    int decided;

    Tally(int rollouts) {
      usersToDecision = new int[rollouts];
    }

    void record(int verdict, int users) {
      if (verdict > 0) {
        better++;
      } else if (verdict < 0) {
        worse++;
      }
      if (verdict != 0) {
        usersToDecision[decided++] = users;
      }
    }

    double median() {
      if (decided == 0) {
        return Double.NaN;
      }
      int[] d = Arrays.copyOf(usersToDecision, decided);
      Arrays.sort(d);
      return d[decided / 2];
    }
  }

  public static void main(String[] args) {
    int rollouts = arg(args, 0, 1000);
    int horizon = arg(args, 1, 20_000);
    int batch = arg(args, 2, 500);
    double control = dbl(args, 3, 0.05);
    double degraded = dbl(args, 4, 0.04);
    double alpha = dbl(args, 5, 0.05);
    double tau = dbl(args, 6, 0.01);
    long burnIn = arg(args, 7, 200);
    long seed = arg(args, 8, 1);
    System.out.printf(
        Locale.ROOT,
        "%d rollouts per scenario; horizon %d users per arm, a look every %d; control rate %.3f;"
            + " alpha %.3f, tau %.4f, burn-in %d events%n",
        rollouts,
        horizon,
        batch,
        control,
        alpha,
        tau,
        burnIn);
    System.out.println(
        "scenario             method               promoted-as-better  rolled-back  median users/arm to decision");
    for (double canary : new double[] {control, degraded}) {
      String scenario =
          canary == control ? "A/A" : String.format(Locale.ROOT, "degraded %.3f", canary);
      Tally msprt = new Tally(rollouts);
      Tally fixed = new Tally(rollouts);
      Tally peeking = new Tally(rollouts);
      SplittableRandom rnd = new SplittableRandom(seed);
      for (int r = 0; r < rollouts; r++) {
        SequentialTest t = new SequentialTest(alpha, tau, burnIn);
        long xA = 0;
        long xB = 0;
        int peekVerdict = 0;
        int peekAt = 0;
        int msprtVerdict = 0;
        int msprtAt = 0;
        for (int n = batch; n <= horizon; n += batch) {
          for (int i = 0; i < batch; i++) {
            xA += rnd.nextDouble() < control ? 1 : 0;
            xB += rnd.nextDouble() < canary ? 1 : 0;
          }
          if (msprtVerdict == 0) {
            SequentialTest.Decision d = t.observe(n, xA, n, xB);
            if (d != SequentialTest.Decision.CONTINUE) {
              msprtVerdict = d == SequentialTest.Decision.CANARY_BETTER ? 1 : -1;
              msprtAt = n;
            }
          }
          if (peekVerdict == 0 && xA + xB >= burnIn) {
            peekVerdict = zVerdict(n, xA, xB, alpha);
            peekAt = n;
          }
        }
        msprt.record(msprtVerdict, msprtAt);
        peeking.record(peekVerdict, peekAt);
        fixed.record(zVerdict(horizon, xA, xB, alpha), horizon);
      }
      print(scenario, "mSPRT (always valid)", msprt, rollouts);
      print(scenario, "z-test, one look", fixed, rollouts);
      print(scenario, "z-test, every look", peeking, rollouts);
      if (canary != control) {
        System.out.printf(
            Locale.ROOT,
            "ratio median users to roll back, mSPRT / fixed horizon: %.2f%n",
            msprt.median() / fixed.median());
      }
    }
  }

  /** Two-sided pooled two-proportion z-test: +1 canary better, -1 worse, 0 not significant. */
  static int zVerdict(long n, long xA, long xB, double alpha) {
    double pA = (double) xA / n;
    double pB = (double) xB / n;
    double p = (double) (xA + xB) / (2.0 * n);
    double se = Math.sqrt(p * (1 - p) * 2.0 / n);
    if (se == 0) {
      return 0;
    }
    double z = (pB - pA) / se;
    double pValue = 2 * (1 - NORMAL.cumulativeProbability(Math.abs(z)));
    return pValue <= alpha ? (z > 0 ? 1 : -1) : 0;
  }

  private static void print(String scenario, String method, Tally t, int rollouts) {
    System.out.printf(
        Locale.ROOT,
        "%-20s %-20s %18.3f  %11.3f  %s%n",
        scenario,
        method,
        (double) t.better / rollouts,
        (double) t.worse / rollouts,
        Double.isNaN(t.median()) ? "-" : String.format(Locale.ROOT, "%.0f", t.median()));
  }

  private static int arg(String[] a, int i, int def) {
    return a.length > i ? Integer.parseInt(a[i]) : def;
  }

  private static double dbl(String[] a, int i, double def) {
    return a.length > i ? Double.parseDouble(a[i]) : def;
  }
}
