package io.liverec.operator.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.liverec.api.v1alpha1.Conditions;
import io.liverec.api.v1alpha1.ModelVersion;
import io.liverec.api.v1alpha1.TrainingRun;
import io.liverec.operator.Fixtures;
import io.liverec.operator.TrainerPods;
import io.liverec.operator.model.Deployments;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * On the Fabric8 mock API server: a run with {@code spec.deploy} whose gates pass creates the next
 * ModelVersion for the version it registered; a regressed run whose gates fail creates nothing and
 * says which gate failed by how much.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class DeployOnGatesTest {
  static final String NS = "deploy";
  static final Duration WAIT = Duration.ofSeconds(20);

  @Inject KubernetesClient client;

  @Test
  void passingGatesCreateTheNextModelVersionAndFailingGatesCreateNothing() {
    TrainingRun good = withDeploy("good");
    client.resource(good).create();
    finish(
        "good",
        "{\"metrics\":{\"ctcvr_auc\":0.74},\"mlflowRunId\":\"r1\","
            + "\"modelUri\":\"models:/live-ranker/3\",\"modelVersion\":\"3\"}");
    ModelVersion mv =
        await()
            .atMost(WAIT)
            .ignoreExceptions()
            .until(() -> modelVersion("live-ranker-v3"), m -> m != null);
    assertThat(mv.getSpec().source.mlflow).isEqualTo("models:/live-ranker/3");
    assertThat(mv.getSpec().rollout.steps).extracting(s -> s.weight).containsExactly(5, 100);
    assertThat(mv.getMetadata().getLabels()).containsEntry(Deployments.LABEL_TRAINED_BY, "good");
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              var st = get("good").getStatus();
              assertThat(st.deployedModelVersion).isEqualTo("live-ranker-v3");
              assertThat(Conditions.isTrue(st.conditions, Deployments.DEPLOYED)).isTrue();
            });
    assertThat(Fixtures.eventReasons(client, NS, "good")).contains("ModelVersionCreated");

    TrainingRun bad = withDeploy("regressed");
    client.resource(bad).create();
    finish(
        "regressed",
        "{\"metrics\":{\"ctcvr_auc\":0.681},\"mlflowRunId\":\"r2\","
            + "\"gateFailures\":[\"ctcvr_auc = 0.6810 < min 0.7000\"]}");
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              var st = get("regressed").getStatus();
              assertThat(st.phase).isEqualTo("Succeeded");
              var deployed = Conditions.find(st.conditions, Deployments.DEPLOYED);
              assertThat(deployed.status).isEqualTo("False");
              assertThat(deployed.message).contains("ctcvr_auc = 0.6810 < min 0.7000");
            });
    assertThat(Fixtures.eventReasons(client, NS, "regressed")).contains("GatesFailed");
    assertThat(client.resources(ModelVersion.class).inNamespace(NS).list().getItems())
        .extracting(m -> m.getMetadata().getName())
        .doesNotContain("live-ranker-v4")
        .filteredOn(n -> !n.equals("live-ranker-v9"))
        .containsExactly("live-ranker-v3");
  }

  @Test
  void aVersionCreatedBeforeARestartLostTheStatusWriteIsNotCreatedTwice() {
    // as if an earlier operator created the ModelVersion and died before recording it
    TrainingRun run = withDeploy("restarted");
    var earlier = io.liverec.operator.model.Deployments.next(run, succeeded("9")).orElseThrow();
    earlier.getMetadata().setNamespace(NS);
    client.resource(earlier).create();
    client.resource(run).create();
    finish(
        "restarted",
        "{\"metrics\":{\"ctcvr_auc\":0.75},\"mlflowRunId\":\"r9\","
            + "\"modelUri\":\"models:/live-ranker/9\",\"modelVersion\":\"9\"}");
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .untilAsserted(
            () ->
                assertThat(get("restarted").getStatus().deployedModelVersion)
                    .isEqualTo("live-ranker-v9"));
    assertThat(client.resources(ModelVersion.class).inNamespace(NS).list().getItems())
        .extracting(m -> m.getMetadata().getName())
        .filteredOn(n -> n.equals("live-ranker-v9"))
        .hasSize(1);
  }

  private static io.liverec.api.v1alpha1.TrainingRunStatus succeeded(String version) {
    var st = new io.liverec.api.v1alpha1.TrainingRunStatus();
    st.phase = "Succeeded";
    st.modelVersion = version;
    return st;
  }

  private static TrainingRun withDeploy(String name) {
    return Fixtures.deployingTrainingRun(NS, name);
  }

  /** The run's Job succeeds with {@code result} as its pod's termination message. */
  private void finish(String run, String result) {
    String jobName = run + "-g1";
    Job job = await().atMost(WAIT).ignoreExceptions().until(() -> job(jobName), j -> j != null);
    client
        .resource(TrainerPods.terminated(NS, jobName + "-x1", jobName, "trainer", 0, result))
        .create();
    job.setStatus(
        new JobStatusBuilder()
            .withSucceeded(1)
            .withConditions(
                new JobConditionBuilder().withType("Complete").withStatus("True").build())
            .build());
    client.resource(job).updateStatus();
  }

  private TrainingRun get(String name) {
    return client.resources(TrainingRun.class).inNamespace(NS).withName(name).get();
  }

  private Job job(String name) {
    return client.batch().v1().jobs().inNamespace(NS).withName(name).get();
  }

  private ModelVersion modelVersion(String name) {
    return client.resources(ModelVersion.class).inNamespace(NS).withName(name).get();
  }
}
