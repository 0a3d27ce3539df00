package io.liverec.serving.rollout;

import static org.assertj.core.api.Assertions.assertThat;

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

class RolloutTest {
  final InProcessModelRepository repo = new InProcessModelRepository();
  final InProcessInferenceServer server = new InProcessInferenceServer();
  final InProcessTrafficRouter router = new InProcessTrafficRouter();
  final Map<String, Double> observed = new HashMap<>();
  final Rollout rollout =
      new Rollout(repo, server, router, new ObservedMetricsAnalysis((m, v) -> observed));
  Instant now = Instant.parse("2026-11-28T00:00:00Z");

  @Test
  void walksTheStepsHonouringPausesThenPromotes() {
    ModelVersionSpec spec = spec(1);
    ModelVersionStatus st = new ModelVersionStatus();
    observed.put("p99LatencyMs", 9.0);
    observed.put("errorRate", 0.0001);
    List<String> trace = new ArrayList<>();
    List<Reason> reasons = new ArrayList<>();

    for (int i = 0; i < 50 && !Rollout.isTerminal(st.phase); i++) {
      Rollout.Outcome o = rollout.reconcile(spec, st, 1, now);
      o.transitions().forEach(t -> reasons.add(t.reason()));
      trace.add(st.phase + ":" + st.trafficWeight);
      now = now.plus(o.requeueAfter().orElse(Duration.ZERO));
    }

    assertThat(st.phase).isEqualTo(Rollout.PROMOTED);
    assertThat(router.stable("ranker")).hasValue(7);
    assertThat(st.trafficWeight).isEqualTo(100);
    assertThat(reasons)
        .containsSubsequence(
            Reason.LoadStarted,
            Reason.Loaded,
            Reason.CanaryStepStarted,
            Reason.AnalysisSuccessful,
            Reason.CanaryStepStarted,
            Reason.AnalysisSuccessful,
            Reason.Promoted);
    // step 0 has a 3m pause with a 1m interval: three successful runs before step 1
    assertThat(st.analysisRuns.stream().filter(r -> r.step == 0)).hasSize(3);
    assertThat(trace).contains("Canary:10", "Canary:50");
  }

  @Test
  void missingDataHoldsTheStepAndFailuresBeyondTheLimitRollBack() {
    ModelVersionSpec spec = spec(1);
    ModelVersionStatus st = new ModelVersionStatus();
    drive(spec, st, 3); // Pending -> Loading -> Canary(0) -> one analysis (no data)
    assertThat(st.phase).isEqualTo(Rollout.CANARY);
    assertThat(st.analysisRuns).last().extracting(r -> r.result).isEqualTo("Inconclusive");
    drive(spec, st, 5);
    assertThat(st.currentStep).isZero();

    observed.put("p99LatencyMs", 40.0);
    observed.put("errorRate", 0.0);
    drive(spec, st, 1);
    assertThat(st.phase).isEqualTo(Rollout.CANARY);
    assertThat(st.failedAnalyses).isEqualTo(1);
    drive(spec, st, 1);
    assertThat(st.phase).isEqualTo(Rollout.ROLLED_BACK);
    assertThat(st.trafficWeight).isZero();
    assertThat(router.weight("ranker", 7)).isZero();
    assertThat(server.state("ranker", 7)).isEqualTo(InferenceServerControl.LoadState.ABSENT);
  }

  @Test
  void changingOnlyTheStepsDoesNotReloadButANewVersionDoes() {
    ModelVersionSpec spec = spec(1);
    ModelVersionStatus st = new ModelVersionStatus();
    drive(spec, st, 2);
    assertThat(st.phase).isEqualTo(Rollout.CANARY);
    String fp = st.loadedFingerprint;

    spec.rollout.steps.get(1).weight = 60;
    Rollout.Outcome o = rollout.reconcile(spec, st, 2, now);
    assertThat(o.transitions())
        .extracting(Rollout.Transition::reason)
        .doesNotContain(Reason.LoadStarted);
    assertThat(st.loadedFingerprint).isEqualTo(fp);
    assertThat(st.observedGeneration).isEqualTo(2);

    spec.version = 8;
    spec.source.mlflow = "models:/ranker/8";
    o = rollout.reconcile(spec, st, 3, now);
    assertThat(o.transitions())
        .extracting(Rollout.Transition::reason)
        .containsSequence(Reason.SpecChanged, Reason.LoadStarted);
    assertThat(st.phase).isEqualTo(Rollout.LOADING);
  }

  @Test
  void aVersionTheServerCannotLoadFails() {
    server.failLoading("ranker", 7);
    ModelVersionStatus st = new ModelVersionStatus();
    drive(spec(0), st, 2);
    assertThat(st.phase).isEqualTo(Rollout.FAILED);
    assertThat(st.message).contains("could not load");
  }

  /** Reconciles {@code calls} times, a minute apart, collecting the reasons told. */
  private List<Reason> tick(ModelVersionSpec spec, ModelVersionStatus st, int calls) {
    List<Reason> reasons = new ArrayList<>();
    for (int i = 0; i < calls; i++) {
      rollout.reconcile(spec, st, 1, now).transitions().forEach(t -> reasons.add(t.reason()));
      now = now.plus(Duration.ofMinutes(1));
    }
    return reasons;
  }

  @Test
  void pauseHoldsTheWeightAndRunsNoAnalysisUntilResumed() {
    ModelVersionSpec spec = spec(1);
    ModelVersionStatus st = new ModelVersionStatus();
    observed.put("p99LatencyMs", 9.0);
    observed.put("errorRate", 0.0001);
    drive(spec, st, 3);
    assertThat(st.phase).isEqualTo(Rollout.CANARY);
    int runs = st.analysisRuns.size();

    spec.rollout.control = ModelVersionSpec.Control.PAUSE;
    List<Reason> paused = tick(spec, st, 10);
    assertThat(paused).containsExactly(Reason.RolloutPaused); // told once
    assertThat(st.phase).isEqualTo(Rollout.CANARY);
    assertThat(st.trafficWeight).isEqualTo(10);
    assertThat(router.weight("ranker", 7)).isEqualTo(10);
    assertThat(st.analysisRuns).hasSize(runs);
    assertThat(Conditions.isTrue(st.conditions, Conditions.PROGRESSING)).isFalse();

    spec.rollout.control = ModelVersionSpec.Control.RUN;
    assertThat(tick(spec, st, 1)).startsWith(Reason.RolloutResumed);
    assertThat(st.paused).isNull();
    drive(spec, st, 20);
    assertThat(st.phase).isEqualTo(Rollout.PROMOTED);
  }

  @Test
  void abortRollsBackWhileLoadingOrServing() {
    ModelVersionSpec spec = spec(1);
    ModelVersionStatus st = new ModelVersionStatus();
    drive(spec, st, 3); // a canary at 10 %, no data yet
    assertThat(st.phase).isEqualTo(Rollout.CANARY);
    spec.rollout.control = ModelVersionSpec.Control.ABORT;
    // then the registry's champion alias is made to agree, as after any rollback
    assertThat(tick(spec, st, 1)).startsWith(Reason.RolloutAborted);
    assertThat(st.phase).isEqualTo(Rollout.ROLLED_BACK);
    assertThat(st.trafficWeight).isZero();
    assertThat(router.weight("ranker", 7)).isZero();
    assertThat(server.state("ranker", 7)).isEqualTo(InferenceServerControl.LoadState.ABSENT);

    ModelVersionStatus fresh = new ModelVersionStatus();
    assertThat(tick(spec, fresh, 1)).contains(Reason.RolloutAborted); // before it ever loads
    assertThat(fresh.phase).isEqualTo(Rollout.ROLLED_BACK);
  }

  @Test
  void promoteNowSendsAllTrafficAndAFinishedRolloutIgnoresControls() {
    ModelVersionSpec spec = spec(1);
    ModelVersionStatus st = new ModelVersionStatus();
    drive(spec, st, 3); // inconclusive so far: only a person may promote now
    spec.rollout.control = ModelVersionSpec.Control.PROMOTE;
    assertThat(tick(spec, st, 1))
        .containsExactly(Reason.PromotedManually, Reason.ChampionAliasSet, Reason.RolloutRecorded);
    assertThat(st.phase).isEqualTo(Rollout.PROMOTED);
    assertThat(st.trafficWeight).isEqualTo(100);
    assertThat(router.stable("ranker")).hasValue(7);

    spec.rollout.control = ModelVersionSpec.Control.ABORT;
    tick(spec, st, 2);
    assertThat(st.phase).isEqualTo(Rollout.PROMOTED);
    assertThat(router.stable("ranker")).hasValue(7);
  }

  @Test
  void thePreviousVersionIsUnloadedOnceAGracePeriodAfterThePromotion() {
    Rollout retiring =
        new Rollout(
            repo,
            server,
            router,
            new ObservedMetricsAnalysis((m, v) -> observed),
            io.liverec.api.run.RegistryAliases.NONE,
            java.util.Optional.of(Duration.ofMinutes(5)));
    server.load("ranker", 6);
    router.promote("ranker", 6);
    observed.put("p99LatencyMs", 9.0);
    observed.put("errorRate", 0.0001);
    ModelVersionSpec spec = spec(1);
    ModelVersionStatus st = new ModelVersionStatus();
    Rollout.Outcome o = null;
    for (int i = 0; i < 50 && !Rollout.PROMOTED.equals(st.phase); i++) {
      o = retiring.reconcile(spec, st, 1, now);
      now = now.plus(o.requeueAfter().orElse(Duration.ZERO));
    }
    assertThat(st.phase).isEqualTo(Rollout.PROMOTED);
    assertThat(st.stableVersion).isEqualTo(6);
    Instant promoted = Instant.parse(st.stepStartedAt);
    // still serving right after the promotion; the rollout asks to look again at the deadline
    assertThat(server.state("ranker", 6)).isEqualTo(InferenceServerControl.LoadState.READY);
    assertThat(st.retiredVersion).isNull();
    assertThat(o.requeueAfter()).hasValue(Duration.ofMinutes(5));

    now = promoted.plus(Duration.ofMinutes(4));
    o = retiring.reconcile(spec, st, 1, now);
    assertThat(server.state("ranker", 6)).isEqualTo(InferenceServerControl.LoadState.READY);
    assertThat(o.requeueAfter()).hasValue(Duration.ofMinutes(1));

    now = promoted.plus(Duration.ofMinutes(5));
    o = retiring.reconcile(spec, st, 1, now);
    assertThat(o.transitions()).extracting(Rollout.Transition::reason).contains(Reason.Unloaded);
    assertThat(o.requeueAfter()).isEmpty();
    assertThat(server.state("ranker", 6)).isEqualTo(InferenceServerControl.LoadState.ABSENT);
    assertThat(server.state("ranker", 7)).isEqualTo(InferenceServerControl.LoadState.READY);
    assertThat(st.retiredVersion).isEqualTo(6);

    // the state is in status: another look (or another operator) does not unload again
    server.load("ranker", 6);
    o = retiring.reconcile(spec, st, 1, now.plus(Duration.ofHours(1)));
    assertThat(o.transitions())
        .extracting(Rollout.Transition::reason)
        .doesNotContain(Reason.Unloaded);
    assertThat(server.state("ranker", 6)).isEqualTo(InferenceServerControl.LoadState.READY);
  }

  @Test
  void withoutAGracePeriodThePreviousVersionStaysLoaded() {
    server.load("ranker", 6);
    router.promote("ranker", 6);
    observed.put("p99LatencyMs", 9.0);
    observed.put("errorRate", 0.0001);
    ModelVersionSpec spec = spec(1);
    ModelVersionStatus st = new ModelVersionStatus();
    drive(spec, st, 50);
    assertThat(st.phase).isEqualTo(Rollout.PROMOTED);
    assertThat(st.retiredVersion).isNull();
    assertThat(server.state("ranker", 6)).isEqualTo(InferenceServerControl.LoadState.READY);
  }

  private void drive(ModelVersionSpec spec, ModelVersionStatus st, int calls) {
    for (int i = 0; i < calls; i++) {
      Rollout.Outcome o = rollout.reconcile(spec, st, 1, now);
      now = now.plus(o.requeueAfter().orElse(Duration.ZERO));
    }
  }

  static ModelVersionSpec spec(int failureLimit) {
    ModelVersionSpec spec = new ModelVersionSpec();
    spec.model = "ranker";
    spec.version = 7;
    spec.source.mlflow = "models:/ranker/7";
    spec.rollout.steps =
        new ArrayList<>(
            List.of(new ModelVersionSpec.Step(10, "3m"), new ModelVersionSpec.Step(50, null)));
    spec.rollout.analysis.interval = "1m";
    spec.rollout.analysis.failureLimit = failureLimit;
    spec.rollout.analysis.metrics =
        List.of(
            new ModelVersionSpec.Metric("p99LatencyMs", null, 15.0),
            new ModelVersionSpec.Metric("errorRate", null, 0.001));
    return spec;
  }
}
