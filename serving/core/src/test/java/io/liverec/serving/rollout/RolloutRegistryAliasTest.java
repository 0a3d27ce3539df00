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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The rollout keeps the registry's champion alias in step with promotions and rollbacks, and a
 * registry outage neither changes the phase nor gets lost: it is retried until it goes through. The
 * registry here is a recording stand-in for this unit test; the MLflow implementation is tested
 * against a real server in {@code MlflowRegistryAliasesIT}.
 */
class RolloutRegistryAliasTest {
  final List<String> calls = new ArrayList<>();
  int failuresLeft;
  final RegistryAliases registry =
      new RegistryAliases() {
        @Override
        public void promoted(String model, int version) {
          call("promoted " + model + " " + version);
        }

        @Override
        public void rolledBack(String model, int version, Integer restoreTo) {
          call("rolledBack " + model + " " + version + " -> " + restoreTo);
        }

        private void call(String what) {
          if (failuresLeft > 0) {
            failuresLeft--;
            throw new IllegalStateException("registry down");
          }
          calls.add(what);
        }
      };
  final InProcessTrafficRouter router = new InProcessTrafficRouter();
  final Map<String, Double> observed = new HashMap<>();
  final Rollout rollout =
      new Rollout(
          new InProcessModelRepository(),
          new InProcessInferenceServer(),
          router,
          new ObservedMetricsAnalysis((m, v) -> observed),
          registry);
  Instant now = Instant.parse("2026-11-28T00:00:00Z");

  @Test
  void promotionMakesTheVersionChampionOnce() {
    observed.putAll(Map.of("p99LatencyMs", 9.0, "errorRate", 0.0001));
    ModelVersionStatus st = new ModelVersionStatus();
    drive(RolloutTest.spec(1), st);
    assertThat(st.phase).isEqualTo(Rollout.PROMOTED);
    assertThat(calls).containsExactly("promoted ranker 7");
    assertThat(st.registryAlias).isEqualTo("Synced");
    assertThat(Conditions.isTrue(st.conditions, "RegistryAliasSynced")).isTrue();
    rollout.reconcile(RolloutTest.spec(1), st, 1, now); // a later reconcile does not repeat it
    assertThat(calls).hasSize(1);
  }

  @Test
  void rollbackHandsTheAliasBackToTheStableVersion() {
    router.promote("ranker", 6);
    observed.putAll(Map.of("p99LatencyMs", 40.0, "errorRate", 0.0));
    ModelVersionStatus st = new ModelVersionStatus();
    drive(RolloutTest.spec(0), st);
    assertThat(st.phase).isEqualTo(Rollout.ROLLED_BACK);
    assertThat(calls).containsExactly("rolledBack ranker 7 -> 6");
  }

  @Test
  void registryOutageIsRetriedWithoutChangingThePhase() {
    observed.putAll(Map.of("p99LatencyMs", 9.0, "errorRate", 0.0001));
    failuresLeft = 2;
    ModelVersionStatus st = new ModelVersionStatus();
    List<Rollout.Outcome> outcomes = drive(RolloutTest.spec(1), st);
    assertThat(st.phase).isEqualTo(Rollout.PROMOTED);
    assertThat(calls).containsExactly("promoted ranker 7");
    assertThat(st.registryAlias).isEqualTo("Synced");
    List<Reason> reasons = new ArrayList<>();
    outcomes.forEach(o -> o.transitions().forEach(t -> reasons.add(t.reason())));
    // one warning for the outage (not one per retry), then the success
    assertThat(reasons.stream().filter(r -> r == Reason.ChampionAliasPending)).hasSize(1);
    assertThat(reasons).containsSubsequence(Reason.Promoted, Reason.ChampionAliasSet);
  }

  @Test
  void aSourceThatIsNotARegisteredModelLeavesTheRegistryAlone() {
    observed.putAll(Map.of("p99LatencyMs", 9.0, "errorRate", 0.0001));
    ModelVersionSpec spec = RolloutTest.spec(1);
    spec.source.mlflow = null;
    spec.source.uri = "s3://bucket/ranker/7";
    ModelVersionStatus st = new ModelVersionStatus();
    drive(spec, st);
    assertThat(st.phase).isEqualTo(Rollout.PROMOTED);
    assertThat(calls).isEmpty();
    assertThat(st.registryAlias).isNull();
  }

  private List<Rollout.Outcome> drive(ModelVersionSpec spec, ModelVersionStatus st) {
    List<Rollout.Outcome> outcomes = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      Rollout.Outcome o = rollout.reconcile(spec, st, 1, now);
      outcomes.add(o);
      if (o.requeueAfter().isEmpty()) {
        break;
      }
      now = now.plus(o.requeueAfter().get().plus(Duration.ofMillis(1)));
    }
    return outcomes;
  }
}
