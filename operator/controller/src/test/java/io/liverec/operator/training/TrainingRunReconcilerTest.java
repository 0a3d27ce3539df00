package io.liverec.operator.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.liverec.api.v1alpha1.Conditions;
import io.liverec.api.v1alpha1.TrainingRun;
import io.liverec.operator.Fixtures;
import io.liverec.operator.TrainerPods;
import io.liverec.operator.model.TrainingJobs;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithKubernetesTestServer(crud = true)
class TrainingRunReconcilerTest {
  static final String NS = "train";
  static final Duration WAIT = Duration.ofSeconds(20);

  @Inject KubernetesClient client;

  @Test
  void jobLifecycleSpecChangeAndDeletion() {
    TrainingRun run = Fixtures.trainingRun(NS, "ranker");
    client.resource(run).create();

    // create -> Job with owner reference, GPU, deadline, mounted spec
    Job job = await().atMost(WAIT).ignoreExceptions().until(() -> job("ranker-g1"), j -> j != null);
    assertThat(job.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.getKind()).isEqualTo("TrainingRun");
              assertThat(o.getName()).isEqualTo("ranker");
              assertThat(o.getController()).isTrue();
            });
    var container = job.getSpec().getTemplate().getSpec().getContainers().get(0);
    // the fixture asks for a GPU, so the Job runs the CUDA variant of the trainer image
    assertThat(container.getImage()).isEqualTo("example.org/liverec-trainer-gpu:test");
    assertThat(container.getResources().getLimits())
        .containsEntry("nvidia.com/gpu", new Quantity("1"));
    assertThat(job.getSpec().getBackoffLimit()).isEqualTo(1);
    assertThat(job.getSpec().getActiveDeadlineSeconds()).isEqualTo(7200L);
    String cm = job.getSpec().getTemplate().getSpec().getVolumes().get(0).getConfigMap().getName();
    assertThat(
            client
                .configMaps()
                .inNamespace(NS)
                .withName(cm)
                .get()
                .getData()
                .get("trainingrun.yaml"))
        .contains("gradientSurgery: \"pcgrad\"");
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              TrainingRun r = get("ranker");
              assertThat(r.getStatus().phase).isEqualTo("Pending");
              assertThat(r.getStatus().observedGeneration).isEqualTo(1L);
              assertThat(Conditions.isTrue(r.getStatus().conditions, Conditions.VALID)).isTrue();
            });

    // Job running -> Running
    setJobStatus("ranker-g1", new JobStatusBuilder().withActive(1).build());
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .until(() -> get("ranker").getStatus().phase, "Running"::equals);

    // Job succeeded, pod left its result -> Succeeded with metrics in status
    client
        .resource(
            TrainerPods.terminated(
                NS,
                "ranker-g1-abcde",
                "ranker-g1",
                "trainer",
                0,
                "{\"metrics\":{\"ctcvr_auc\":0.7312,\"ctr_auc\":0.71},\"mlflowRunId\":\"abc123\",\"modelUri\":\"models:/live-ranker/3\",\"modelVersion\":\"3\"}"))
        .create();
    setJobStatus(
        "ranker-g1",
        new JobStatusBuilder()
            .withSucceeded(1)
            .withActive(0)
            .withConditions(
                new JobConditionBuilder().withType("Complete").withStatus("True").build())
            .build());
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              TrainingRun r = get("ranker");
              assertThat(r.getStatus().phase).isEqualTo("Succeeded");
              assertThat(r.getStatus().metrics).containsEntry("ctcvr_auc", 0.7312);
              assertThat(r.getStatus().mlflowRunId).isEqualTo("abc123");
              assertThat(r.getStatus().modelUri).isEqualTo("models:/live-ranker/3");
              assertThat(r.getStatus().keyMetric).isEqualTo("ctcvr_auc=0.7312");
              assertThat(Conditions.isTrue(r.getStatus().conditions, Conditions.READY)).isTrue();
            });
    assertThat(Fixtures.eventReasons(client, NS, "ranker"))
        .contains("JobCreated", "JobRunning", "ResultRecorded");

    // metadata-only change: no new Job
    client
        .resources(TrainingRun.class)
        .inNamespace(NS)
        .withName("ranker")
        .edit(
            r -> {
              r.getMetadata().getLabels().put("team", "ranking");
              return r;
            });
    // spec change: generation 2 -> a new Job; the finished one of generation 1 is kept
    TrainingRun edited =
        client
            .resources(TrainingRun.class)
            .inNamespace(NS)
            .withName("ranker")
            .edit(
                r -> {
                  r.getSpec().training.epochs = 3;
                  return r;
                });
    assertThat(edited.getMetadata().getGeneration()).isEqualTo(2L);
    await().atMost(WAIT).ignoreExceptions().until(() -> job("ranker-g2"), j -> j != null);
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              TrainingRun r = get("ranker");
              assertThat(r.getStatus().jobName).isEqualTo("ranker-g2");
              assertThat(r.getStatus().observedGeneration).isEqualTo(2L);
              assertThat(r.getStatus().phase).isEqualTo("Pending");
              assertThat(r.getStatus().metrics).isEmpty();
            });
    assertThat(jobNames()).containsExactlyInAnyOrder("ranker-g1", "ranker-g2");

    // an invalid new generation starts nothing and keeps tracking the last good Job
    client
        .resources(TrainingRun.class)
        .inNamespace(NS)
        .withName("ranker")
        .edit(
            r -> {
              r.getSpec().training.epochs = 0;
              return r;
            });
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              TrainingRun r = get("ranker");
              assertThat(r.getStatus().observedGeneration).isEqualTo(3L);
              assertThat(Conditions.find(r.getStatus().conditions, Conditions.VALID).message)
                  .contains("spec.training.epochs");
              assertThat(r.getStatus().jobName).isEqualTo("ranker-g2");
            });
    assertThat(jobNames()).containsExactlyInAnyOrder("ranker-g1", "ranker-g2");

    // deletion -> Jobs and ConfigMaps gone
    client.resource(get("ranker")).delete();
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              assertThat(get("ranker")).isNull();
              assertThat(jobNames()).isEmpty();
              assertThat(
                      client
                          .configMaps()
                          .inNamespace(NS)
                          .withLabel(TrainingJobs.LABEL_RUN, "ranker")
                          .list()
                          .getItems())
                  .isEmpty();
            });
  }

  @Test
  void failedJobAndInvalidSpecAreReported() {
    TrainingRun run = Fixtures.trainingRun(NS, "flaky");
    client.resource(run).create();
    await().atMost(WAIT).ignoreExceptions().until(() -> job("flaky-g1"), j -> j != null);
    setJobStatus(
        "flaky-g1",
        new JobStatusBuilder()
            .withFailed(2)
            .withConditions(
                new JobConditionBuilder()
                    .withType("Failed")
                    .withStatus("True")
                    .withReason("BackoffLimitExceeded")
                    .withMessage("Job has reached the specified backoff limit")
                    .build())
            .build());
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              TrainingRun r = get("flaky");
              assertThat(r.getStatus().phase).isEqualTo("Failed");
              assertThat(Conditions.find(r.getStatus().conditions, Conditions.READY).message)
                  .contains("BackoffLimitExceeded");
            });

    // The mock server does not enforce the CRD schema, so the reconciler's validator must.
    TrainingRun bad = Fixtures.trainingRun(NS, "bad");
    bad.getSpec().model.multitask.tasks = List.of("ctr");
    bad.getSpec().model.multitask.structure = "independent";
    client.resource(bad).create();
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              TrainingRun r = get("bad");
              assertThat(r.getStatus().phase).isEqualTo("Invalid");
              assertThat(Conditions.find(r.getStatus().conditions, Conditions.VALID).message)
                  .contains("spec.model.multitask.gradientSurgery");
            });
    assertThat(job("bad-g1")).isNull();
  }

  private TrainingRun get(String name) {
    return client.resources(TrainingRun.class).inNamespace(NS).withName(name).get();
  }

  private Job job(String name) {
    return client.batch().v1().jobs().inNamespace(NS).withName(name).get();
  }

  private List<String> jobNames() {
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

  private void setJobStatus(
      String name, io.fabric8.kubernetes.api.model.batch.v1.JobStatus status) {
    Job j = job(name);
    j.setStatus(status);
    client.resource(j).updateStatus();
  }
}
