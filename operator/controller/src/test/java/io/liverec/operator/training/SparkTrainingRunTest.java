package io.liverec.operator.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.liverec.api.v1alpha1.Conditions;
import io.liverec.api.v1alpha1.DataSpec;
import io.liverec.api.v1alpha1.TrainingRun;
import io.liverec.operator.Fixtures;
import io.liverec.operator.OperatorSettings;
import io.liverec.operator.ReconcileMetrics;
import io.liverec.operator.events.EventRecorder;
import io.liverec.operator.model.SparkApplications;
import io.liverec.operator.model.TrainingJobs;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * TrainingRuns with {@code spec.data.engine: spark} on the mock API server (CRUD mode) with the
 * Kubeflow Spark Operator's CRD installed; the test plays the Spark operator by writing the
 * SparkApplication's status. The trainer Job comes only after the application completed, a final
 * failure fails the run with the Spark operator's message, a restarted operator submits nothing
 * twice, and engine duckdb runs as before. (Own profile: a runs claim is configured, and the last
 * test stops the application's operator.)
 */
@QuarkusTest
@TestProfile(SparkTrainingRunTest.Spark.class)
@WithKubernetesTestServer(crud = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SparkTrainingRunTest {
  static final String NS = "spark";
  static final Duration WAIT = Duration.ofSeconds(20);

  /** The operator with a runs claim, which the Spark stage needs. */
  public static class Spark implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("liverec.operator.runs-claim", "liverec-runs");
    }
  }

  @Inject KubernetesClient client;
  @Inject Operator operator;
  @Inject OperatorSettings settings;
  @Inject EventRecorder events;
  @Inject ReconcileMetrics metrics;

  @BeforeEach
  void installTheSparkOperatorsCrd() {
    String crd = SparkApplications.PLURAL + "." + SparkApplications.GROUP;
    if (client.apiextensions().v1().customResourceDefinitions().withName(crd).get() != null) {
      return;
    }
    client
        .resource(
            new CustomResourceDefinitionBuilder()
                .withNewMetadata()
                .withName(crd)
                .endMetadata()
                .withNewSpec()
                .withGroup(SparkApplications.GROUP)
                .withScope("Namespaced")
                .withNewNames()
                .withKind(SparkApplications.KIND)
                .withPlural(SparkApplications.PLURAL)
                .withSingular("sparkapplication")
                .endNames()
                .addNewVersion()
                .withName(SparkApplications.VERSION)
                .withServed(true)
                .withStorage(true)
                .withNewSubresources()
                .withNewStatus()
                .endStatus()
                .endSubresources()
                .endVersion()
                .endSpec()
                .build())
        .create();
  }

  private static TrainingRun sparkRun(String name) {
    TrainingRun run = Fixtures.trainingRun(NS, name);
    run.getSpec().data.engine = DataSpec.Engine.SPARK;
    run.getSpec().resources.spark.executor.instances = 3;
    return run;
  }

  @Test
  @Order(1)
  void theJobTrainsOnTheApplicationsOutputOnlyAfterItCompleted() {
    client.resource(sparkRun("sparky")).create();
    GenericKubernetesResource app =
        await().atMost(WAIT).ignoreExceptions().until(() -> app("sparky-g1-spark"), a -> a != null);
    assertThat(app.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.getKind()).isEqualTo("TrainingRun");
              assertThat(o.getName()).isEqualTo("sparky");
              assertThat(o.getController()).isTrue();
            });
    Map<?, ?> spec = (Map<?, ?>) app.getAdditionalProperties().get("spec");
    assertThat(spec.get("image")).isEqualTo("example.org/liverec-spark:test");
    List<String> args = new ArrayList<>();
    ((List<?>) spec.get("arguments")).forEach(a -> args.add(a.toString()));
    String out = "file:///var/lib/liverec/runs/spark/sparky-g1/sparky";
    assertThat(String.join(" ", args))
        .contains("--events s3://liverec-data/events", "--out " + out)
        .contains("--from 2026-11-01 --to 2026-11-27")
        .contains("--feature-views room-realtime,user-activity");
    assertThat(((Map<?, ?>) spec.get("executor")).get("instances")).isEqualTo(3);
    assertThat(spec.get("volumes").toString()).contains("liverec-runs");
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              TrainingRun r = get("sparky");
              assertThat(r.getStatus().phase).isEqualTo("Pending");
              assertThat(r.getStatus().sparkApplication).isEqualTo("sparky-g1-spark");
              assertThat(Conditions.find(r.getStatus().conditions, Conditions.READY).reason)
                  .isEqualTo("SparkApplicationCreated");
            });

    // the Spark operator runs it: the run is Running, and still has no Job
    setState("sparky-g1-spark", "RUNNING", null, 1);
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              assertThat(get("sparky").getStatus().phase).isEqualTo("Running");
              assertThat(get("sparky").getStatus().sparkState).isEqualTo("RUNNING");
            });
    assertThat(jobNames("sparky")).isEmpty();

    // completed: the trainer Job, whose run directory is where the application wrote
    setState("sparky-g1-spark", "COMPLETED", null, 1);
    Job job = await().atMost(WAIT).ignoreExceptions().until(() -> job("sparky-g1"), j -> j != null);
    List<String> jobArgs = job.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs();
    String workDir = jobArgs.get(jobArgs.indexOf("--work-dir") + 1);
    assertThat("file://" + workDir + "/sparky").isEqualTo(out);
    assertThat(job.getSpec().getTemplate().getSpec().getVolumes().toString())
        .contains("liverec-runs");
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              TrainingRun r = get("sparky");
              assertThat(r.getStatus().jobName).isEqualTo("sparky-g1");
              assertThat(r.getStatus().sparkState).isEqualTo("COMPLETED");
            });
    assertThat(Fixtures.eventReasons(client, NS, "sparky"))
        .contains(
            "SparkApplicationCreated",
            "SparkApplicationRunning",
            "SparkApplicationCompleted",
            "JobCreated");

    // deleting the run deletes its application
    client.resource(get("sparky")).delete();
    await().atMost(WAIT).ignoreExceptions().until(() -> app("sparky-g1-spark") == null);
  }

  @Test
  @Order(2)
  void aFinalFailureFailsTheRunWithTheSparkOperatorsMessageAndNoJob() {
    client.resource(sparkRun("sparkfail")).create();
    await().atMost(WAIT).ignoreExceptions().until(() -> app("sparkfail-g1-spark"), a -> a != null);

    // a failed first attempt with a retry left (backoffLimit 1): the Spark operator reruns it
    setState("sparkfail-g1-spark", "FAILED", "driver pod OOMKilled", 1);
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              TrainingRun r = get("sparkfail");
              assertThat(r.getStatus().sparkState).isEqualTo("FAILED");
              assertThat(r.getStatus().phase).isEqualTo("Pending");
              assertThat(Conditions.find(r.getStatus().conditions, Conditions.READY).message)
                  .contains("retries", "driver pod OOMKilled");
            });

    // the retry failed too: final
    setState("sparkfail-g1-spark", "FAILED", "executor lost: disk full", 2);
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              TrainingRun r = get("sparkfail");
              assertThat(r.getStatus().phase).isEqualTo("Failed");
              var ready = Conditions.find(r.getStatus().conditions, Conditions.READY);
              assertThat(ready.reason).isEqualTo("SparkApplicationFailed");
              assertThat(ready.message).contains("sparkfail-g1-spark", "executor lost: disk full");
            });
    assertThat(jobNames("sparkfail")).isEmpty();
    assertThat(
            Fixtures.eventReasons(client, NS, "sparkfail").stream()
                .filter("SparkApplicationFailed"::equals))
        .hasSize(1);
    assertThat(apps("sparkfail")).containsExactly("sparkfail-g1-spark");
  }

  @Test
  @Order(3)
  void engineDuckDbSubmitsNoSparkApplication() {
    client.resource(Fixtures.trainingRun(NS, "ducky")).create();
    await().atMost(WAIT).ignoreExceptions().until(() -> job("ducky-g1"), j -> j != null);
    assertThat(apps("ducky")).isEmpty();
    // the Job is created before the status patch lands: wait for the status, then check it
    TrainingRun ducky =
        await()
            .atMost(WAIT)
            .ignoreExceptions()
            .until(() -> get("ducky"), r -> r.getStatus() != null);
    assertThat(ducky.getStatus().sparkApplication).isNull();
  }

  @Test
  @Order(4)
  void restartedOperatorsFindTheApplicationAndSubmitNoSecond() {
    client.resource(sparkRun("sparkrestart")).create();
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .until(
            () -> get("sparkrestart").getStatus().sparkApplication,
            "sparkrestart-g1-spark"::equals);
    operator.stop();
    setState("sparkrestart-g1-spark", "RUNNING", null, 1);

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
                () -> assertThat(get("sparkrestart").getStatus().phase).isEqualTo("Running"));
        if (restart == 1) {
          setState("sparkrestart-g1-spark", "COMPLETED", null, 1);
          await()
              .atMost(WAIT)
              .ignoreExceptions()
              .until(() -> job("sparkrestart-g1"), j -> j != null);
        }
      } finally {
        fresh.stop();
      }
      assertThat(apps("sparkrestart")).as("after restart %d", restart).hasSize(1);
    }
    assertThat(jobNames("sparkrestart")).containsExactly("sparkrestart-g1");
    assertThat(
            Fixtures.eventReasons(client, NS, "sparkrestart").stream()
                .filter("SparkApplicationCreated"::equals))
        .hasSize(1);
  }

  private void setState(String name, String state, String error, int attempts) {
    GenericKubernetesResource app = app(name);
    Map<String, Object> appState = new LinkedHashMap<>();
    appState.put("state", state);
    if (error != null) {
      appState.put("errorMessage", error);
    }
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("applicationState", appState);
    status.put("executionAttempts", attempts);
    status.put("submissionAttempts", 1);
    app.setAdditionalProperty("status", status);
    client.genericKubernetesResources(SparkApplications.CONTEXT).resource(app).updateStatus();
  }

  private GenericKubernetesResource app(String name) {
    return client
        .genericKubernetesResources(SparkApplications.CONTEXT)
        .inNamespace(NS)
        .withName(name)
        .get();
  }

  private List<String> apps(String run) {
    return client
        .genericKubernetesResources(SparkApplications.CONTEXT)
        .inNamespace(NS)
        .withLabel(TrainingJobs.LABEL_RUN, run)
        .list()
        .getItems()
        .stream()
        .map(a -> a.getMetadata().getName())
        .toList();
  }

  private TrainingRun get(String name) {
    return client.resources(TrainingRun.class).inNamespace(NS).withName(name).get();
  }

  private Job job(String name) {
    return client.batch().v1().jobs().inNamespace(NS).withName(name).get();
  }

  private List<String> jobNames(String run) {
    return client
        .batch()
        .v1()
        .jobs()
        .inNamespace(NS)
        .withLabel(TrainingJobs.LABEL_RUN, run)
        .list()
        .getItems()
        .stream()
        .map(j -> j.getMetadata().getName())
        .toList();
  }
}
