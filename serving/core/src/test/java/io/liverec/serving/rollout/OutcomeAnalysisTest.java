package io.liverec.serving.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.liverec.api.v1alpha1.ModelVersionSpec;
import io.liverec.api.v1alpha1.ModelVersionStatus;
import io.liverec.serving.rollout.ArmOutcomes.Arm;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Rollouts decided by outcomes, in a closed loop on a virtual clock: between reconciles, simulated
 * requests are split by the router's current weight (canary, its equal-sized control slice, the
 * rest of stable), and users click with the rate of the model their arm serves.
 */
class OutcomeAnalysisTest {
  static final double STABLE_CTR = 0.05;
  static final int REQUESTS_PER_MINUTE = 4_000;

  final InProcessTrafficRouter router = new InProcessTrafficRouter();
  final ArmOutcomes outcomes = new ArmOutcomes();
  final Map<String, Double> technical = new HashMap<>(Map.of("p99LatencyMs", 9.0));
  final Rollout rollout =
      new Rollout(
          new InProcessModelRepository(),
          new InProcessInferenceServer(),
          router,
          new OutcomeAnalysis(outcomes, router, (m, v) -> technical, 0.05, 0.01, 200));
  final SplittableRandom rnd = new SplittableRandom(11);
  Instant now = Instant.parse("2026-12-06T00:00:00Z");
  final List<Integer> weightsSeen = new ArrayList<>();

  @Test
  void anEqualCanaryIsPromotedAfterEachStepReachesItsHorizon() {
    ModelVersionStatus st = run(STABLE_CTR, 400);
    assertThat(st.phase).isEqualTo(Rollout.PROMOTED);
    assertThat(weightsSeen).contains(10, 25, 50);
  }

  @Test
  void everySequentialMetricAdmissionAcceptsHasATestAndNoOtherDoes() {
    for (String name : io.liverec.api.v1alpha1.AnalysisMetrics.ALL) {
      assertThat(OutcomeAnalysis.knownSequentialMetric(name))
          .as(name)
          .isEqualTo(io.liverec.api.v1alpha1.AnalysisMetrics.SEQUENTIAL.contains(name));
    }
  }

  @Test
  void aBetterCanaryIsPromoted() {
    assertThat(run(0.065, 400).phase).isEqualTo(Rollout.PROMOTED);
  }

  @Test
  void aWorseCanaryIsRolledBackBeforeItReachesHalfTheTraffic() {
    ModelVersionStatus st = run(0.035, 400);
    assertThat(st.phase).isEqualTo(Rollout.ROLLED_BACK);
    assertThat(weightsSeen).doesNotContain(50);
    assertThat(st.analysisRuns).last().extracting(r -> r.message).asString().contains("worse");
  }

  @Test
  void aLatencyBreachRollsBackEvenWhenClicksAreFine() {
    technical.put("p99LatencyMs", 40.0);
    assertThat(run(STABLE_CTR, 400).phase).isEqualTo(Rollout.ROLLED_BACK);
  }

  @Test
  void aMetricsOutageNeverPromotes() {
    technical.clear();
    ModelVersionStatus st = run(0.065, 400);
    assertThat(st.phase).isNotEqualTo(Rollout.PROMOTED);
    assertThat(st.analysisRuns).noneMatch(r -> "Successful".equals(r.result));
  }

  @Test
  void aCanaryThatLosesUsersFailsTheSampleRatioCheckEvenWhenItsClicksLookFine() {
    canaryUsersLost = 0.3; // e.g. a canary that errors for some clients, who then stop asking
    ModelVersionStatus st = run(STABLE_CTR, 400);
    assertThat(st.phase).isEqualTo(Rollout.ROLLED_BACK);
    assertThat(st.analysisRuns)
        .anyMatch(r -> r.message.contains("sample ratio mismatch") && r.message.contains("users"));
  }

  @Test
  void aFeedbackOutageNeverPromotes() {
    clicksLost = true; // impressions still arrive, click events do not: no evidence, no pass
    ModelVersionStatus st = run(STABLE_CTR, 400);
    assertThat(st.phase).isNotEqualTo(Rollout.PROMOTED);
    assertThat(st.analysisRuns).noneMatch(r -> "Successful".equals(r.result));
  }

  double canaryUsersLost = 0;
  boolean clicksLost;

  private ModelVersionStatus run(double canaryCtr, int maxReconciles) {
    router.promote("ranker", 6);
    ModelVersionSpec spec = new ModelVersionSpec();
    spec.model = "ranker";
    spec.version = 7;
    spec.source.mlflow = "models:/ranker/7";
    spec.rollout.steps =
        new ArrayList<>(
            List.of(
                new ModelVersionSpec.Step(10, "10m"),
                new ModelVersionSpec.Step(25, null),
                new ModelVersionSpec.Step(50, null),
                new ModelVersionSpec.Step(100, null)));
    spec.rollout.analysis.interval = "1m";
    spec.rollout.analysis.failureLimit = 1;
    ModelVersionSpec.Metric ctr = new ModelVersionSpec.Metric("ctrLift", -0.005, null);
    ctr.test = ModelVersionSpec.Test.SEQUENTIAL;
    spec.rollout.analysis.metrics =
        new ArrayList<>(List.of(ctr, new ModelVersionSpec.Metric("p99LatencyMs", null, 15.0)));
    ModelVersionStatus st = new ModelVersionStatus();
    for (int i = 0; i < maxReconciles && !Rollout.isTerminal(st.phase); i++) {
      Rollout.Outcome o = rollout.reconcile(spec, st, 1, now);
      Duration wait = o.requeueAfter().orElse(Duration.ZERO);
      traffic(spec.version, canaryCtr, wait);
      now = now.plus(wait);
    }
    return st;
  }

  /** Requests over {@code elapsed} at the router's current weight, with their clicks. */
  private void traffic(int version, double canaryCtr, Duration elapsed) {
    int weight = router.weight("ranker", version);
    if (weight > 0
        && (weightsSeen.isEmpty() || weightsSeen.get(weightsSeen.size() - 1) != weight)) {
      weightsSeen.add(weight);
    }
    int[] control = ArmOutcomes.controlBuckets(weight);
    long requests = elapsed.toSeconds() * REQUESTS_PER_MINUTE / 60;
    for (long i = 0; i < requests; i++) {
      int bucket = rnd.nextInt(10_000);
      Arm arm =
          bucket < weight * 100
              ? Arm.CANARY
              : bucket >= control[0] && bucket < control[1] ? Arm.CONTROL : null;
      if (arm == null) {
        continue; // the rest of stable traffic: not part of the comparison
      }
      if (arm == Arm.CANARY && rnd.nextDouble() < canaryUsersLost) {
        continue;
      }
      String user = "u" + rnd.nextLong();
      outcomes.impression("ranker", version, arm, user, weight * 100);
      if (rnd.nextDouble() < (arm == Arm.CANARY ? canaryCtr : STABLE_CTR) && !clicksLost) {
        outcomes.event("ranker", version, arm, user, "click", weight * 100);
      }
    }
  }
}
