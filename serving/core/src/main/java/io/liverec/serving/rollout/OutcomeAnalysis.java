package io.liverec.serving.rollout;

import io.liverec.api.v1alpha1.ModelVersionSpec;
import io.liverec.serving.rollout.ArmOutcomes.Arm;
import io.liverec.serving.rollout.stats.SampleRatio;
import io.liverec.serving.rollout.stats.SequentialTest;
import io.liverec.serving.rollout.stats.UserMoments;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

/**
 * A canary judged on what a recommender is for. {@code sequential} criteria ({@code ctrLift},
 * {@code conversionLift}, {@code giftLift}: the canary's rate minus its control slice's) go through
 * an always-valid {@link SequentialTest} per weight epoch: a new test starts whenever the canary's
 * weight changes, on the counts served at that weight, so outcomes are never pooled across weights.
 * Users are the unit the split randomises, and a user's impressions are correlated, so the test's
 * variance is per user (delta method on Σclicks/Σimpressions over users, from the epoch's {@link
 * io.liverec.serving.rollout.stats.UserMoments}); a per-impression variance would raise false
 * alarms. Before any verdict the arms' user counts at this weight must match the split
 * (sample-ratio check). A criterion is met when the test finds the canary better, or, after the
 * burn-in, when the lift's standard error is small enough that a fixed-horizon test would detect a
 * change of τ with 80% power, without finding harm; harm fails it only when the estimated lift is
 * below the criterion's {@code min}; anything else is inconclusive and holds the weight. {@code
 * threshold} criteria (p99 latency, error rate) read the technical source; one without data while
 * the canary has traffic fails — missing data never passes.
 *
 * <p>The counts of each epoch live where they are counted ({@link OutcomeCounts}: the gateway's
 * {@link ArmOutcomes}, or a snapshot of them), keyed by the weight they were served at; only the
 * tests' running p-values live here, so an operator restart re-runs each epoch's test from its full
 * counts, which costs no validity (a look skipped only raises the always-valid p-value).
 */
public final class OutcomeAnalysis implements CanaryAnalysis {
  private static final Map<String, String> EVENTS =
      Map.of("ctrLift", "click", "conversionLift", "conversion", "giftLift", "gift");

  private final OutcomeCounts outcomes;
  private final TrafficRouter router;
  private final BiFunction<String, Integer, Map<String, Double>> technical;
  private final double alpha;
  private final double tau;
  private final long burnIn;
  private final SequentialTest.Variance variance;
  private final Map<String, Epoch> epochs = new ConcurrentHashMap<>();

  /** One weight epoch of one canary: its weight and tests per event kind. */
  private static final class Epoch {
    final int weight;
    final Map<String, SequentialTest> tests = new LinkedHashMap<>();

    Epoch(int weight) {
      this.weight = weight;
    }
  }

  /**
   * @param technical {@code (model, version)} → observed technical metrics (p99LatencyMs, …)
   * @param alpha false-positive rate of each sequential test
   * @param tau mixture scale: about the smallest absolute change in rate worth catching
   * @param burnIn events in both arms together before any verdict
   */
  public OutcomeAnalysis(
      OutcomeCounts outcomes,
      TrafficRouter router,
      BiFunction<String, Integer, Map<String, Double>> technical,
      double alpha,
      double tau,
      long burnIn) {
    this(outcomes, router, technical, alpha, tau, burnIn, SequentialTest.Variance.PER_USER);
  }

  /**
   * The same with a chosen variance estimate; {@link SequentialTest.Variance#PER_IMPRESSION} only
   * to measure what it gets wrong (bench-canary.sh).
   */
  public OutcomeAnalysis(
      OutcomeCounts outcomes,
      TrafficRouter router,
      BiFunction<String, Integer, Map<String, Double>> technical,
      double alpha,
      double tau,
      long burnIn,
      SequentialTest.Variance variance) {
    this.variance = variance;
    this.outcomes = outcomes;
    this.router = router;
    this.technical = technical;
    this.alpha = alpha;
    this.tau = tau;
    this.burnIn = burnIn;
  }

  /** The names {@code sequential} criteria may use. */
  public static boolean knownSequentialMetric(String name) {
    return EVENTS.containsKey(name);
  }

  @Override
  public Result analyze(
      String model, int version, List<ModelVersionSpec.Metric> criteria, Duration window) {
    int weight = router.weight(model, version);
    Epoch epoch =
        epochs.compute(
            model + "/" + version,
            (k, e) -> e == null || e.weight != weight ? new Epoch(weight) : e);
    Map<String, Double> observed = new LinkedHashMap<>();
    List<String> failed = new ArrayList<>();
    List<String> waiting = new ArrayList<>();
    List<String> met = new ArrayList<>();
    Map<String, Double> tech = technical.apply(model, version);
    long canaryTraffic = outcomes.counts(model, version, Arm.CANARY, "click").impressions();
    for (ModelVersionSpec.Metric c : criteria) {
      if (c.test == ModelVersionSpec.Test.SEQUENTIAL) {
        sequential(model, version, c, epoch, observed, failed, waiting, met);
        continue;
      }
      Double v = tech.get(c.name);
      if (v == null || v.isNaN()) {
        (canaryTraffic > 0 ? failed : waiting)
            .add(
                "no data for "
                    + c.name
                    + (canaryTraffic > 0 ? " while the canary has traffic" : ""));
        continue;
      }
      observed.put(c.name, v);
      if (c.min != null && v < c.min) {
        failed.add(c.name + "=" + v + " < min " + c.min);
      } else if (c.max != null && v > c.max) {
        failed.add(c.name + "=" + v + " > max " + c.max);
      } else {
        met.add(c.name);
      }
    }
    if (!failed.isEmpty()) {
      return new Result(Verdict.FAILED, observed, String.join("; ", failed));
    }
    if (!waiting.isEmpty()) {
      return new Result(Verdict.INCONCLUSIVE, observed, String.join("; ", waiting));
    }
    return new Result(Verdict.SUCCESSFUL, observed, String.join("; ", met));
  }

  private void sequential(
      String model,
      int version,
      ModelVersionSpec.Metric c,
      Epoch epoch,
      Map<String, Double> observed,
      List<String> failed,
      List<String> waiting,
      List<String> met) {
    String kind = EVENTS.get(c.name);
    if (kind == null) {
      failed.add(
          c.name + ": no sequential test for this metric (use one of " + EVENTS.keySet() + ")");
      return;
    }
    if (epoch.weight >= 100) {
      met.add(c.name + ": no stable traffic left to compare at weight 100");
      return;
    }
    int bp = epoch.weight * 100;
    UserMoments canary = outcomes.moments(model, version, Arm.CANARY, kind, bp);
    UserMoments control = outcomes.moments(model, version, Arm.CONTROL, kind, bp);
    int[] slice = ArmOutcomes.controlBuckets(epoch.weight);
    double canaryShare = epoch.weight * 100.0 / (epoch.weight * 100.0 + (slice[1] - slice[0]));
    long canaryUsers = canary.users();
    long controlUsers = control.users();
    if (SampleRatio.mismatch(canaryUsers, controlUsers, canaryShare)) {
      failed.add(
          String.format(
              java.util.Locale.ROOT,
              "%s: sample ratio mismatch (%d canary vs %d control users, expected share %.2f)",
              c.name,
              canaryUsers,
              controlUsers,
              canaryShare));
      return;
    }
    SequentialTest test =
        epoch.tests.computeIfAbsent(kind, k -> new SequentialTest(alpha, tau, burnIn, variance));
    SequentialTest.Decision d = test.observe(control, canary);
    double lift = canary.rate() - control.rate();
    observed.put(c.name, lift);
    observed.put(c.name + ".pValue", test.pValue());
    observed.put(c.name + ".lambda", test.lambda());
    observed.put(c.name + ".canaryRate", canary.rate());
    observed.put(c.name + ".controlRate", control.rate());
    observed.put(c.name + ".canaryImpressions", (double) canary.impressions());
    observed.put(c.name + ".controlImpressions", (double) control.impressions());
    observed.put(c.name + ".canaryUsers", (double) canaryUsers);
    observed.put(c.name + ".controlUsers", (double) controlUsers);
    if (!Double.isNaN(test.variance())) {
      observed.put(c.name + ".stdError", Math.sqrt(test.variance()));
    }
    String stats =
        String.format(
            java.util.Locale.ROOT,
            "%s %.4f (canary %d/%d, control %d/%d, p %.3g)",
            c.name,
            lift,
            canary.events(),
            canary.impressions(),
            control.events(),
            control.impressions(),
            test.pValue());
    if (d == SequentialTest.Decision.CANARY_WORSE && (c.min == null || lift < c.min)) {
      failed.add(stats + ": the canary is worse");
    } else if (d == SequentialTest.Decision.CANARY_WORSE) {
      met.add(stats + ": worse, but within the tolerated min " + c.min);
    } else if (d == SequentialTest.Decision.CANARY_BETTER) {
      met.add(stats + ": the canary is better");
    } else if (control.events() + canary.events() >= burnIn
        && horizonReached(test.variance(), tau)) {
      met.add(stats + ": no harm found at the fixed horizon");
    } else {
      waiting.add(stats + ": not decided yet");
    }
  }

  /**
   * Whether the lift is now estimated precisely enough that a fixed-horizon test (two-sided α =
   * 0.05) would detect a change of τ with 80% power: s² ≤ (τ / (z₀.₉₇₅ + z₀.₈))². With Bernoulli
   * trials this is the usual n ≥ 2(z₀.₉₇₅ + z₀.₈)²p(1−p)/τ² per arm; with users who each see many
   * impressions it takes correspondingly more of them. No variance yet (no events) is not precise.
   */
  static boolean horizonReached(double s2, double tau) {
    double z = 1.959964 + 0.841621;
    return s2 > 0 && s2 <= tau * tau / (z * z);
  }
}
