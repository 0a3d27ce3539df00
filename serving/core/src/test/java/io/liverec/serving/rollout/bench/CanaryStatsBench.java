package io.liverec.serving.rollout.bench;

import io.liverec.api.v1alpha1.ModelVersionSpec;
import io.liverec.serving.rollout.ArmOutcomes;
import io.liverec.serving.rollout.ArmOutcomes.Arm;
import io.liverec.serving.rollout.CanaryAnalysis;
import io.liverec.serving.rollout.InProcessTrafficRouter;
import io.liverec.serving.rollout.OutcomeAnalysis;
import io.liverec.serving.rollout.stats.SequentialTest;
import io.liverec.serving.rollout.stats.UserMoments;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.apache.commons.math3.distribution.BetaDistribution;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.random.Well19937c;

/**
 * The canary's outcome test as a benchmark (scripts/bench-canary.sh): many simulated rollouts of
 * one weight epoch (canary at 10% against its equal-sized stable slice), through the real {@link
 * ArmOutcomes} and {@link OutcomeAnalysis}. Traffic is clustered by user, as real traffic is: each
 * user has their own CTR, drawn from a Beta with mean {@code ctr} and concentration {@code kappa}
 * (intra-user correlation 1/(κ+1)), and sees 1..{@code maxImpressions} impressions, half in the
 * minute they arrive and the rest in the next. Every simulated minute {@code usersPerMinute} new
 * users join each arm, and every method looks.
 *
 * <p>Methods, on the same traffic: the mSPRT with the per-user variance (what {@link
 * OutcomeAnalysis} does) and with the per-impression variance (the flaw it replaced); a
 * fixed-horizon z-test looked at once, at the sample where the analysis would pass "no harm at the
 * fixed horizon" (the standard error small enough for 80% power against τ), with per-user variance
 * (the anchor) and as the textbook two-proportion test; and the per-user z-test peeked at every
 * minute up to that horizon. A rollout that reaches {@code maxMinutes} undecided is inconclusive.
 *
 * <p>Args, as key=value: rollouts (1000), usersPerMinute (1000), maxMinutes (60), ctr (0.05),
 * degraded (0.9, the canary's CTR relative to stable), alpha (0.05), tau (0.005), burnIn (200),
 * kappa (5), maxImpressions (19), seed (1).
 */
public final class CanaryStatsBench {
  private static final NormalDistribution NORMAL = new NormalDistribution(null, 0, 1);
  private static final String[] METHODS = {
    "mSPRT, per-user variance (OutcomeAnalysis)",
    "mSPRT, per-impression variance (before)",
    "z-test at the horizon, per-user (ANCHOR)",
    "z-test at the horizon, per-impression",
    "z-test per-user, peeked every minute"
  };
  private static final int ANCHOR = 2;

  private CanaryStatsBench() {}

  record Settings(
      int rollouts,
      int usersPerMinute,
      int maxMinutes,
      double ctr,
      double degraded,
      double alpha,
      double tau,
      long burnIn,
      double kappa,
      int maxImpressions,
      long seed) {}

  /** One method's verdict in one rollout: -1 rolled back, +1 passed, 0 inconclusive. */
  record Verdict(int sign, boolean better, int minute, long impressionsPerArm) {
    static final Verdict NONE = new Verdict(0, false, -1, -1);
  }

  public static void main(String[] args) {
    Settings s = parse(args);
    System.out.printf(
        Locale.ROOT,
        "%s%n%d rollouts per scenario on 2 threads; a look every simulated minute of %d new users"
            + " per arm (canary at 10%% vs its stable slice), users' CTR ~ Beta mean %.3f, kappa"
            + " %.1f (intra-user correlation %.3f), 1-%d impressions per user; alpha %.3f, tau"
            + " %.4f, burn-in %d clicks, at most %d minutes%n",
        s,
        s.rollouts(),
        s.usersPerMinute(),
        s.ctr(),
        s.kappa(),
        1 / (s.kappa() + 1),
        s.maxImpressions(),
        s.alpha(),
        s.tau(),
        s.burnIn(),
        s.maxMinutes());
    long t0 = System.nanoTime();
    for (double scale : new double[] {1.0, s.degraded()}) {
      String scenario =
          scale == 1.0 ? "A/A" : String.format(Locale.ROOT, "degraded canary, CTR x%.2f", scale);
      Verdict[][] runs =
          IntStream.range(0, s.rollouts())
              .parallel()
              .mapToObj(r -> rollout(s, scale, s.seed() * 1_000_003L + r))
              .toArray(Verdict[][]::new);
      report(scenario, scale == 1.0, runs);
    }
    System.out.printf(Locale.ROOT, "wall time %.1f s%n", (System.nanoTime() - t0) / 1e9);
  }

  /** One rollout: the verdict of each method. */
  static Verdict[] rollout(Settings s, double scale, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    double a = s.kappa() * s.ctr();
    BetaDistribution ctr = new BetaDistribution(new Well19937c(seed), a, s.kappa() - a);
    ArmOutcomes out = new ArmOutcomes();
    InProcessTrafficRouter router = new InProcessTrafficRouter();
    router.promote("ranker", 1);
    router.setWeight("ranker", 2, 10);
    OutcomeAnalysis[] analyses = {
      new OutcomeAnalysis(out, router, (m, v) -> Map.of(), s.alpha(), s.tau(), s.burnIn()),
      new OutcomeAnalysis(
          out,
          router,
          (m, v) -> Map.of(),
          s.alpha(),
          s.tau(),
          s.burnIn(),
          SequentialTest.Variance.PER_IMPRESSION)
    };
    ModelVersionSpec.Metric lift = new ModelVersionSpec.Metric("ctrLift", null, null);
    lift.test = ModelVersionSpec.Test.SEQUENTIAL;
    List<ModelVersionSpec.Metric> criteria = List.of(lift);
    Verdict[] v = new Verdict[METHODS.length];
    Arrays.fill(v, Verdict.NONE);
    List<long[]> pending = new ArrayList<>(); // {user, impressions left, ctr bits}
    int nextUser = 0;
    for (int minute = 1; minute <= s.maxMinutes(); minute++) {
      List<long[]> arrivals = new ArrayList<>();
      for (int i = 0; i < s.usersPerMinute(); i++) {
        for (Arm arm : Arm.values()) {
          double p = ctr.sample() * (arm == Arm.CANARY ? scale : 1.0);
          long n = 1 + rnd.nextInt(s.maxImpressions());
          long[] u = {nextUser++, n, Double.doubleToLongBits(p), arm.ordinal()};
          serve(out, u, (n + 1) / 2, rnd);
          arrivals.add(u);
        }
      }
      for (long[] u : pending) {
        serve(out, u, u[1], rnd);
      }
      pending = arrivals;
      UserMoments control = out.moments("ranker", 2, Arm.CONTROL, "click", 1000);
      UserMoments canary = out.moments("ranker", 2, Arm.CANARY, "click", 1000);
      long perArm = Math.min(control.impressions(), canary.impressions());
      for (int m = 0; m < analyses.length; m++) {
        if (v[m].sign() == 0) {
          CanaryAnalysis.Result r = analyses[m].analyze("ranker", 2, criteria, Duration.ZERO);
          if (r.verdict() != CanaryAnalysis.Verdict.INCONCLUSIVE) {
            boolean pass = r.verdict() == CanaryAnalysis.Verdict.SUCCESSFUL;
            v[m] = new Verdict(pass ? 1 : -1, r.message().contains("better"), minute, perArm);
          }
        }
      }
      boolean burnedIn = control.events() + canary.events() >= s.burnIn();
      double s2 = control.rateVariance() + canary.rateVariance();
      double theta = canary.rate() - control.rate();
      if (v[4].sign() == 0 && burnedIn) {
        v[4] = zVerdict(theta, s2, s.alpha(), minute, perArm, false);
      }
      double z =
          NORMAL.inverseCumulativeProbability(0.975) + NORMAL.inverseCumulativeProbability(0.8);
      if (v[ANCHOR].sign() == 0 && burnedIn && s2 > 0 && s2 <= s.tau() * s.tau() / (z * z)) {
        v[ANCHOR] = zVerdict(theta, s2, s.alpha(), minute, perArm, true);
        double pooled =
            (double) (control.events() + canary.events())
                / (control.impressions() + canary.impressions());
        double naive =
            pooled * (1 - pooled) * (1.0 / control.impressions() + 1.0 / canary.impressions());
        v[3] = zVerdict(theta, naive, s.alpha(), minute, perArm, true);
        if (v[4].sign() == 0) {
          v[4] = new Verdict(1, false, minute, perArm); // peeking ends at the horizon too
        }
      }
      if (Arrays.stream(v).noneMatch(x -> x.sign() == 0)) {
        break;
      }
    }
    return v;
  }

  /** Serves {@code count} of the user's impressions, each clicked with the user's CTR. */
  private static void serve(ArmOutcomes out, long[] u, long count, SplittableRandom rnd) {
    Arm arm = Arm.values()[(int) u[3]];
    String id = Long.toString(u[0]);
    double p = Double.longBitsToDouble(u[2]);
    for (long i = 0; i < count; i++) {
      out.impression("ranker", 2, arm, id, 1000);
      if (rnd.nextDouble() < p) {
        out.event("ranker", 2, arm, id, "click", 1000);
      }
    }
    u[1] -= count;
  }

  /**
   * Two-sided z-test of θ with variance s²: rolled back when significantly worse; passed when
   * significantly better or, at the horizon ({@code final}), when not significant; else undecided.
   */
  private static Verdict zVerdict(
      double theta, double s2, double alpha, int minute, long perArm, boolean atHorizon) {
    if (!(s2 > 0)) {
      return atHorizon ? new Verdict(1, false, minute, perArm) : Verdict.NONE;
    }
    double p = 2 * (1 - NORMAL.cumulativeProbability(Math.abs(theta) / Math.sqrt(s2)));
    if (p <= alpha) {
      return new Verdict(theta > 0 ? 1 : -1, theta > 0, minute, perArm);
    }
    return atHorizon ? new Verdict(1, false, minute, perArm) : Verdict.NONE;
  }

  private static void report(String scenario, boolean aa, Verdict[][] runs) {
    int n = runs.length;
    System.out.printf(Locale.ROOT, "%n%s%n", scenario);
    System.out.printf(
        Locale.ROOT,
        "%-44s %10s %7s %7s %7s %8s %13s %8s %7s %8s%n",
        "method",
        aa ? "false-rb" : "power(rb)",
        "passed",
        "better",
        "undecid",
        "med.min",
        "med.impr/arm",
        "rb.min",
        "rb/anc",
        "time/anc");
    double[] anchor = stats(runs, ANCHOR);
    for (int m = 0; m < METHODS.length; m++) {
      double[] st = stats(runs, m);
      System.out.printf(
          Locale.ROOT,
          "%-44s %10.3f %7.3f %7.3f %7.3f %8.0f %13.0f %8.0f %7s %8.2f%n",
          METHODS[m],
          st[0] / n,
          st[1] / n,
          st[2] / n,
          st[3] / n,
          st[4],
          st[5],
          st[6],
          anchor[0] == 0 ? "-" : String.format(Locale.ROOT, "%.2f", st[0] / anchor[0]),
          st[5] / anchor[5]);
    }
  }

  /**
   * {rolled back, passed, judged better, inconclusive, median minute and impressions per arm to a
   * decision, median minute to a rollback}.
   */
  private static double[] stats(Verdict[][] runs, int m) {
    double rb = 0;
    double pass = 0;
    double better = 0;
    double none = 0;
    List<Integer> minutes = new ArrayList<>();
    List<Long> impressions = new ArrayList<>();
    List<Integer> rollbacks = new ArrayList<>();
    for (Verdict[] r : runs) {
      Verdict v = r[m];
      rb += v.sign() < 0 ? 1 : 0;
      pass += v.sign() > 0 ? 1 : 0;
      better += v.better() ? 1 : 0;
      none += v.sign() == 0 ? 1 : 0;
      if (v.sign() != 0) {
        minutes.add(v.minute());
        impressions.add(v.impressionsPerArm());
      }
      if (v.sign() < 0) {
        rollbacks.add(v.minute());
      }
    }
    minutes.sort(null);
    impressions.sort(null);
    rollbacks.sort(null);
    return new double[] {
      rb,
      pass,
      better,
      none,
      minutes.isEmpty() ? Double.NaN : minutes.get(minutes.size() / 2),
      impressions.isEmpty() ? Double.NaN : impressions.get(impressions.size() / 2),
      rollbacks.isEmpty() ? Double.NaN : rollbacks.get(rollbacks.size() / 2)
    };
  }

  private static Settings parse(String[] args) {
    Map<String, String> kv = new java.util.HashMap<>();
    for (String a : args) {
      int eq = a.indexOf('=');
      if (eq < 1) {
        throw new IllegalArgumentException("argument must be key=value, got '" + a + "'");
      }
      kv.put(a.substring(0, eq), a.substring(eq + 1));
    }
    Settings s =
        new Settings(
            Integer.parseInt(kv.getOrDefault("rollouts", "1000")),
            Integer.parseInt(kv.getOrDefault("usersPerMinute", "1000")),
            Integer.parseInt(kv.getOrDefault("maxMinutes", "60")),
            Double.parseDouble(kv.getOrDefault("ctr", "0.05")),
            Double.parseDouble(kv.getOrDefault("degraded", "0.9")),
            Double.parseDouble(kv.getOrDefault("alpha", "0.05")),
            Double.parseDouble(kv.getOrDefault("tau", "0.005")),
            Long.parseLong(kv.getOrDefault("burnIn", "200")),
            Double.parseDouble(kv.getOrDefault("kappa", "5")),
            Integer.parseInt(kv.getOrDefault("maxImpressions", "19")),
            Long.parseLong(kv.getOrDefault("seed", "1")));
    List<String> known =
        List.of(
            "rollouts",
            "usersPerMinute",
            "maxMinutes",
            "ctr",
            "degraded",
            "alpha",
            "tau",
            "burnIn",
            "kappa",
            "maxImpressions",
            "seed");
    kv.keySet().stream()
        .filter(k -> !known.contains(k))
        .findFirst()
        .ifPresent(
            k -> {
              throw new IllegalArgumentException("unknown argument '" + k + "', known: " + known);
            });
    return s;
  }
}
