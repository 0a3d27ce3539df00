package io.liverec.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.liverec.api.v1alpha1.Reason;
import io.liverec.api.v1alpha1.TrainingRun;
import io.liverec.api.v1alpha1.TrainingRunStatus;
import io.liverec.operator.Fixtures;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Gates → the next ModelVersion, without a server. */
class DeploymentsTest {

  static TrainingRun deploying() {
    return Fixtures.deployingTrainingRun("ns", "nightly-20261207-0300");
  }

  static TrainingRunStatus succeeded(String version, List<String> gateFailures) {
    TrainingRunStatus st = new TrainingRunStatus();
    st.phase = "Succeeded";
    st.modelVersion = version;
    st.gateFailures = new ArrayList<>(gateFailures);
    return st;
  }

  @Test
  void aRunThatPassedItsGatesDeploysItsRegisteredVersionOnce() {
    TrainingRun run = deploying();
    TrainingRunStatus st = succeeded("8", List.of());
    var mv = Deployments.next(run, st).orElseThrow();
    assertThat(mv.getMetadata().getName()).isEqualTo("live-ranker-v8");
    assertThat(mv.getMetadata().getNamespace()).isEqualTo("ns");
    assertThat(mv.getMetadata().getLabels())
        .containsEntry(Deployments.LABEL_TRAINED_BY, "nightly-20261207-0300");
    assertThat(mv.getMetadata().getOwnerReferences())
        .as("deleting the run must not take its model out of service")
        .isNullOrEmpty();
    assertThat(mv.getSpec().model).isEqualTo("live-ranker");
    assertThat(mv.getSpec().version).isEqualTo(8);
    assertThat(mv.getSpec().source.mlflow).isEqualTo("models:/live-ranker/8");
    assertThat(mv.getSpec().rollout.steps).extracting(s -> s.weight).containsExactly(5, 100);
    assertThat(mv.getSpec().rollout).isNotSameAs(run.getSpec().deploy.rollout);

    Notice n = Deployments.created(st, mv);
    assertThat(n.reason()).isEqualTo(Reason.ModelVersionCreated);
    assertThat(n.message()).contains("live-ranker-v8").contains("models:/live-ranker/8");
    assertThat(st.deployedModelVersion).isEqualTo("live-ranker-v8");
    assertThat(Deployments.next(run, st)).as("recorded: not again").isEmpty();
  }

  @Test
  void nothingIsDeployedBeforeSuccessWithoutARegisteredVersionOrWithoutDeploy() {
    TrainingRun run = deploying();
    TrainingRunStatus running = succeeded("8", List.of());
    running.phase = "Running";
    assertThat(Deployments.next(run, running)).isEmpty();
    assertThat(Deployments.next(run, succeeded(null, List.of()))).isEmpty();
    TrainingRun plain = Fixtures.trainingRun("ns", "once");
    assertThat(Deployments.next(plain, succeeded("8", List.of()))).isEmpty();
  }

  @Test
  void failedGatesDeployNothingAndSayWhichGateByHowMuch() {
    TrainingRun run = deploying();
    TrainingRunStatus st = succeeded(null, List.of("ctcvr_auc = 0.6810 < min 0.7000"));
    assertThat(Deployments.next(run, st)).isEmpty();
    Notice n = Deployments.gatesFailed(run, st).orElseThrow();
    assertThat(n.warning()).isTrue();
    assertThat(n.reason()).isEqualTo(Reason.GatesFailed);
    assertThat(n.message()).contains("ctcvr_auc = 0.6810 < min 0.7000");
    assertThat(Deployments.gatesFailed(Fixtures.trainingRun("ns", "once"), st)).isEmpty();
  }

  @Test
  void everyFailedReleaseGateIsToldWithItsMiss() {
    // lines as io.liverec.pipelines.tracking.Gates writes them into TrainingResult.gateFailures
    List<String> failures =
        List.of(
            "no regression on ctcvr_auc vs champion v3: ctcvr_auc = 0.7400 < 0.7450 = champion v3"
                + " 0.7500 - tolerance 0.005 (short by 0.0050)",
            "onnx parity max |Δ| = 0.000300 > max 0.000100 (over by 0.000200)",
            "model size = 1250000 bytes > max 1000000 (over by 250000 bytes)");
    Notice n = Deployments.gatesFailed(deploying(), succeeded(null, failures)).orElseThrow();
    assertThat(n.reason()).isEqualTo(Reason.GatesFailed);
    assertThat(n.message())
        .contains("vs champion v3", "short by 0.0050", "over by 0.000200", "over by 250000 bytes");
  }
}
