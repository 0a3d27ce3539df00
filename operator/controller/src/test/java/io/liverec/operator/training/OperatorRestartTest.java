package io.liverec.operator.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.liverec.api.v1alpha1.Conditions;
import io.liverec.api.v1alpha1.TrainingRun;
import io.liverec.operator.Fixtures;
import io.liverec.operator.OperatorSettings;
import io.liverec.operator.ReconcileMetrics;
import io.liverec.operator.TrainerPods;
import io.liverec.operator.events.EventRecorder;
import io.liverec.operator.model.TrainingJobs;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The operator process dies between steps: the Quarkus operator is stopped and fresh operators with
 * fresh reconciler instances take over the same API-server state. No second Job may appear, and
 * what status recorded survives. (Own profile: this class stops the application's operator.)
 */
@QuarkusTest
@TestProfile(OperatorRestartTest.Restart.class)
@WithKubernetesTestServer(crud = true)
class OperatorRestartTest {
  static final String NS = "restart";
  static final Duration WAIT = Duration.ofSeconds(20);

  /** A separate application instance for this class. */
  public static class Restart implements QuarkusTestProfile {}

  @Inject KubernetesClient client;
  @Inject Operator operator;
  @Inject OperatorSettings settings;
  @Inject EventRecorder events;
  @Inject ReconcileMetrics metrics;

  @Test
  void restartedOperatorsAdoptTheJobAndKeepStatus() {
    client.resource(Fixtures.trainingRun(NS, "ranker")).create();
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              assertThat(jobs()).containsExactly("ranker-g1");
              assertThat(get().getStatus().phase).isEqualTo("Pending");
            });
    String validSince =
        Conditions.find(get().getStatus().conditions, Conditions.VALID).lastTransitionTime;

    operator.stop();
    // while no operator runs, the Job makes progress and finishes
    client
        .resource(
            TrainerPods.terminated(
                NS,
                "ranker-g1-x1",
                "ranker-g1",
                "trainer",
                0,
                "{\"metrics\":{\"ctcvr_auc\":0.74},\"mlflowRunId\":\"r-9\"}"))
        .create();
    Job job = client.batch().v1().jobs().inNamespace(NS).withName("ranker-g1").get();
    job.setStatus(
        new JobStatusBuilder()
            .withSucceeded(1)
            .withConditions(
                new JobConditionBuilder().withType("Complete").withStatus("True").build())
            .build());
    client.resource(job).updateStatus();

    for (int restart = 0; restart < 2; restart++) {
      Operator fresh =
          new Operator(
              o ->
                  o.withKubernetesClient(client)
                      .withUseSSAToPatchPrimaryResource(false)
                      .withCloseClientOnStop(false));
      fresh.register(
          new TrainingRunReconciler(
              client, settings, events, metrics, java.time.Clock.systemUTC()));
      fresh.start();
      try {
        await()
            .atMost(WAIT)
            .ignoreExceptions()
            .untilAsserted(
                () -> {
                  TrainingRun r = get();
                  assertThat(r.getStatus().phase).isEqualTo("Succeeded");
                  assertThat(r.getStatus().metrics).containsEntry("ctcvr_auc", 0.74);
                  assertThat(r.getStatus().mlflowRunId).isEqualTo("r-9");
                });
      } finally {
        fresh.stop();
      }
      assertThat(jobs()).as("after restart %d", restart).containsExactly("ranker-g1");
      assertThat(Conditions.find(get().getStatus().conditions, Conditions.VALID).lastTransitionTime)
          .isEqualTo(validSince);
    }
    assertThat(Fixtures.eventReasons(client, NS, "ranker").stream().filter("JobCreated"::equals))
        .hasSize(1);
    assertThat(
            Fixtures.eventReasons(client, NS, "ranker").stream().filter("ResultRecorded"::equals))
        .hasSize(1);
  }

  private TrainingRun get() {
    return client.resources(TrainingRun.class).inNamespace(NS).withName("ranker").get();
  }

  private List<String> jobs() {
    return client
        .batch()
        .v1()
        .jobs()
        .inNamespace(NS)
        .withLabel(TrainingJobs.LABEL_RUN, "ranker")
        .list()
        .getItems()
        .stream()
        .map(j -> j.getMetadata().getName())
        .toList();
  }
}
