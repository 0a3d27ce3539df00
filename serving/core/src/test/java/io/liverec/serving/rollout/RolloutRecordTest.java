package io.liverec.serving.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.liverec.api.run.RegistryAliases;
import io.liverec.api.v1alpha1.Conditions;
import io.liverec.api.v1alpha1.ModelVersionSpec;
import io.liverec.api.v1alpha1.ModelVersionStatus;
import io.liverec.api.v1alpha1.Reason;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Each rollout leaves its record in status (one entry per step with the last run's statistics, then
 * the decision) and as tags on the registered model version, written once per entry and in order; a
 * registry outage holds nothing back and is caught up later. The registry here records calls for
 * this unit test; {@code RolloutRecordIT} (operator) writes to a real MLflow.
 */
class RolloutRecordTest {
  final Map<String, String> tags = new LinkedHashMap<>();
  final List<Map<String, String>> writes = new ArrayList<>();
  boolean down;
  final RegistryAliases registry =
      new RegistryAliases() {
        @Override
        public void promoted(String model, int version) {}

        @Override
        public void rolledBack(String model, int version, Integer restoreTo) {}

        @Override
        public void tagVersion(String model, int version, Map<String, String> t) {
          if (down) {
            throw new IllegalStateException("registry down");
          }
          assertThat(model + " " + version).isEqualTo("ranker 7");
          writes.add(Map.copyOf(t));
          tags.putAll(t);
        }
      };
  final Map<String, Double> observed = new HashMap<>();
  Instant now = Instant.parse("2026-11-28T00:00:00Z");

  Rollout rollout() {
    return new Rollout(
        new InProcessModelRepository(),
        new InProcessInferenceServer(),
        new InProcessTrafficRouter(),
        new ObservedMetricsAnalysis((m, v) -> observed),
        registry);
  }

  @Test
  void aPromotionLeavesOneEntryPerStepAndTheDecisionInStatusAndTags() {
    observed.putAll(Map.of("p99LatencyMs", 9.0, "errorRate", 0.0001));
    ModelVersionStatus st = new ModelVersionStatus();
    drive(rollout(), RolloutTest.spec(1), st, 60);

    assertThat(st.phase).isEqualTo(Rollout.PROMOTED);
    assertThat(st.steps).extracting(s -> s.weight).containsExactly(10, 50);
    assertThat(st.steps).extracting(s -> s.outcome).containsExactly("Passed", "Promoted");
    ModelVersionStatus.StepRecord first = st.steps.get(0);
    assertThat(first.runs).isGreaterThanOrEqualTo(3); // 3 m pause at a 1 m interval
    assertThat(first.metrics).containsEntry("p99LatencyMs", 9.0);
    assertThat(first.endedAt).isGreaterThan(first.startedAt);
    assertThat(st.decisionReason).startsWith("Promoted: ranker/7 serves all traffic");

    assertThat(tags.keySet())
        .containsExactly(
            "liverec.rollout.step.00",
            "liverec.rollout.step.01",
            "liverec.rollout.decision",
            "liverec.rollout.reason");
    assertThat(tags.get("liverec.rollout.step.00"))
        .contains("step 1, weight 10%", "Passed", "p99LatencyMs=9.000");
    assertThat(tags).containsEntry("liverec.rollout.decision", "Promoted");
    assertThat(st.registryTrail).isEqualTo("Synced");
    assertThat(Conditions.isTrue(st.conditions, "RegistryTrailSynced")).isTrue();

    // each tag went out once, and a later reconcile (or a restarted operator) writes nothing
    assertThat(writes.stream().mapToInt(Map::size).sum()).isEqualTo(4);
    rollout().reconcile(RolloutTest.spec(1), st, 1, now);
    assertThat(writes.stream().mapToInt(Map::size).sum()).isEqualTo(4);
  }

  @Test
  void aRollbackRecordsTheFailedStepAndItsReason() {
    observed.putAll(Map.of("p99LatencyMs", 40.0, "errorRate", 0.0));
    ModelVersionStatus st = new ModelVersionStatus();
    drive(rollout(), RolloutTest.spec(0), st, 60);

    assertThat(st.phase).isEqualTo(Rollout.ROLLED_BACK);
    assertThat(st.steps).hasSize(1);
    assertThat(st.steps.get(0).outcome).isEqualTo("RolledBack");
    assertThat(st.steps.get(0).failedRuns).isEqualTo(1);
    assertThat(tags).containsEntry("liverec.rollout.decision", "RolledBack");
    assertThat(tags.get("liverec.rollout.reason")).contains("RolledBack", "p99LatencyMs");
  }

  @Test
  void aRegistryOutageNeitherBlocksTheRolloutNorLosesTheRecord() {
    observed.putAll(Map.of("p99LatencyMs", 9.0, "errorRate", 0.0001));
    down = true;
    ModelVersionStatus st = new ModelVersionStatus();
    List<Rollout.Outcome> outcomes = drive(rollout(), RolloutTest.spec(1), st, 60);

    assertThat(st.phase).isEqualTo(Rollout.PROMOTED); // the rollout went on
    assertThat(tags).isEmpty();
    assertThat(st.registryTrail).isEqualTo("Pending");
    assertThat(Conditions.isTrue(st.conditions, "RegistryTrailSynced")).isFalse();
    Rollout.Outcome last = outcomes.get(outcomes.size() - 1);
    assertThat(last.requeueAfter()).contains(Rollout.ALIAS_RETRY); // it comes back to retry
    List<Reason> reasons = new ArrayList<>();
    outcomes.forEach(o -> o.transitions().forEach(t -> reasons.add(t.reason())));
    assertThat(reasons.stream().filter(r -> r == Reason.RolloutRecordPending)).hasSize(1);

    down = false; // back, and read by a new operator from status alone
    now = now.plus(Rollout.ALIAS_RETRY);
    Rollout.Outcome o = rollout().reconcile(RolloutTest.spec(1), st, 1, now);
    assertThat(o.requeueAfter()).isEmpty();
    assertThat(tags).hasSize(4).containsEntry("liverec.rollout.decision", "Promoted");
    assertThat(o.transitions())
        .extracting(Rollout.Transition::reason)
        .contains(Reason.RolloutRecorded);
    assertThat(Conditions.isTrue(st.conditions, "RegistryTrailSynced")).isTrue();
  }

  @Test
  void aSourceThatIsNotARegisteredModelKeepsTheRecordInStatusOnly() {
    observed.putAll(Map.of("p99LatencyMs", 9.0, "errorRate", 0.0001));
    ModelVersionSpec spec = RolloutTest.spec(1);
    spec.source.mlflow = null;
    spec.source.uri = "s3://bucket/ranker/7";
    ModelVersionStatus st = new ModelVersionStatus();
    drive(rollout(), spec, st, 60);
    assertThat(st.steps).hasSize(2);
    assertThat(writes).isEmpty();
    assertThat(st.registryTrail).isNull();
  }

  private List<Rollout.Outcome> drive(
      Rollout rollout, ModelVersionSpec spec, ModelVersionStatus st, int max) {
    List<Rollout.Outcome> outcomes = new ArrayList<>();
    for (int i = 0; i < max; i++) {
      Rollout.Outcome o = rollout.reconcile(spec, st, 1, now);
      outcomes.add(o);
      if (o.requeueAfter().isEmpty() || Rollout.isTerminal(st.phase)) {
        break;
      }
      now = now.plus(o.requeueAfter().get().plus(Duration.ofMillis(1)));
    }
    return outcomes;
  }
}
