package io.liverec.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.liverec.api.run.TrainingResult;
import io.liverec.api.v1alpha1.TrainingRun;
import io.liverec.api.v1alpha1.TrainingRunStatus;
import io.liverec.operator.Fixtures;
import io.liverec.operator.TrainerPods;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainingResultsTest {

  @Test
  void onlyASuccessfulTrainerContainerCountsAsAResult() {
    Pod failedTry = pod("trainer", 1, "{\"metrics\":{}}");
    Pod sidecar = pod("istio-proxy", 0, "done");
    Pod good = pod("trainer", 0, "{\"metrics\":{\"ctcvr_auc\":0.7}}");
    assertThat(TrainingResults.terminationMessage(List.of(failedTry, sidecar))).isEmpty();
    assertThat(TrainingResults.terminationMessage(List.of(failedTry, good)))
        .hasValue("{\"metrics\":{\"ctcvr_auc\":0.7}}");
    assertThat(TrainingResults.terminationMessage(List.of(new Pod()))).isEmpty();
  }

  @Test
  void statusGetsTheResultAndTheFirstGatesMetricAsKeyFigure() {
    TrainingRun run = Fixtures.trainingRun("ns", "r"); // gate: ctcvr_auc >= 0.70
    TrainingResult r =
        TrainingResult.fromJson(
            "{\"metrics\":{\"ctr_auc\":0.71,\"ctcvr_auc\":0.73456},\"mlflowRunId\":\"m1\",\"future\":1}");
    TrainingRunStatus st = new TrainingRunStatus();
    TrainingResults.apply(run, r, st);
    assertThat(st.keyMetric).isEqualTo("ctcvr_auc=0.7346");
    assertThat(st.mlflowRunId).isEqualTo("m1");

    run.getSpec().gates.clear();
    assertThat(TrainingResults.keyMetric(run, r.metrics)).isEqualTo("ctr_auc=0.7100");
    run.getSpec().gates.add(new io.liverec.api.v1alpha1.Gate("gauc", 0.6, null));
    assertThat(TrainingResults.keyMetric(run, r.metrics)).as("gate metric not reported").isNull();
  }

  @Test
  void trackedConditionSaysWhetherTheRunReachedMlflow() {
    java.time.Instant now = java.time.Instant.parse("2026-11-28T00:00:00Z");
    TrainingRunStatus synced = new TrainingRunStatus();
    TrainingResults.trackingCondition(
        TrainingResult.fromJson("{\"mlflowRunId\":\"m1\",\"modelVersion\":\"3\"}"), synced, 2, now);
    var c = io.liverec.api.v1alpha1.Conditions.find(synced.conditions, TrainingResults.TRACKED);
    assertThat(c.status).isEqualTo("True");
    assertThat(c.message).contains("m1").contains("version 3");

    TrainingRunStatus pending = new TrainingRunStatus();
    TrainingResults.trackingCondition(
        TrainingResult.fromJson("{\"trackingError\":\"ConnectException: refused\"}"),
        pending,
        2,
        now);
    c = io.liverec.api.v1alpha1.Conditions.find(pending.conditions, TrainingResults.TRACKED);
    assertThat(c.status).isEqualTo("False");
    assertThat(c.reason).isEqualTo("TrackingPending");
    assertThat(c.message).contains("refused").contains("liverec sync");

    TrainingRunStatus none = new TrainingRunStatus();
    TrainingResults.trackingCondition(TrainingResult.fromJson("{}"), none, 2, now);
    assertThat(none.conditions).isEmpty();
  }

  private static Pod pod(String container, int exit, String message) {
    return TrainerPods.terminated("ns", "run-g1-x", "run-g1", container, exit, message);
  }
}
