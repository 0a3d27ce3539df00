package io.liverec.operator.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.liverec.api.v1alpha1.Conditions;
import io.liverec.api.v1alpha1.ModelVersion;
import io.liverec.api.v1alpha1.TrainingRun;
import io.liverec.operator.Fixtures;
import io.liverec.operator.TestClock;
import io.liverec.operator.model.Deployments;
import io.liverec.operator.model.TrainingJobs;
import io.liverec.operator.model.TrainingSchedules;
import io.liverec.registry.MlflowGateway;
import io.liverec.registry.Retry;
import io.liverec.serving.TinyModels;
import io.liverec.serving.triton.TritonClient;
import io.liverec.testenv.TestEnv;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole lifecycle on the operator, end to end: the TrainingRun and ModelVersion reconcilers on
 * the Fabric8 mock API server with the test environment's real MLflow server and real tritonserver,
 * and a real in-process gateway whose simulated users are the canary's traffic ({@link
 * ClusterGateway}).
 *
 * <p>A scheduled TrainingRun over a tiny simulated world is applied; the operator's clock is moved
 * to its first time, which creates the dated child run and its trainer Job. The mock server has no
 * kubelet, so {@link Kubelet} runs the Job's container (its arguments and environment as the Job
 * carries them, the image's entry point) and records the pod and the Job's success. The run
 * finishes, its gates pass, the trainer registers the MLflow version, the operator creates exactly
 * one ModelVersion, which is published into Triton's repository, loaded there (Ready), walked
 * through its canary steps on the simulated users' clicks and promoted, and MLflow's {@code
 * champion} alias moves to it. Then the template's learning rate is cut ten-thousandfold (the model
 * hardly leaves its random start) and the next day's run regresses: its no-regression gate against
 * the champion fails, a condition and an Event name the gate and the shortfall, and neither an
 * MLflow version nor a ModelVersion is created.
 */
@QuarkusTest
@TestProfile(LifecycleIT.Lifecycle.class)
@WithKubernetesTestServer(crud = true)
class LifecycleIT {
  static final String NS = "lifecycle";
  static final Duration WAIT = Duration.ofSeconds(120);
  static final long TRAIN_TIMEOUT_SECONDS = 600;
  static final int PORT = ClusterGateway.freePort();

  /** Unique per run: the test Triton and MLflow outlive one build. */
  static final String MODEL = "e2e-ranker-" + Long.toString(System.currentTimeMillis(), 36);

  /** Real Triton and MLflow (as ModelVersionTritonIT) and the cluster canary on the gateway. */
  public static class Lifecycle implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      Map<String, String> config = new HashMap<>(CanaryInClusterTest.canaryConfig(PORT));
      try {
        config.putAll(
            Map.of(
                "liverec.operator.triton-grpc", TestEnv.tritonGrpc(),
                "liverec.operator.triton-repository", TestEnv.tritonRepository().toString(),
                "liverec.operator.triton-backend", "python",
                "liverec.operator.mlflow-tracking-uri", TestEnv.mlflowUri(),
                "liverec.operator.model-cache",
                    Files.createTempDirectory("liverec-e2e-models").toString()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return config;
    }
  }

  @Inject KubernetesClient client;
  @Inject TestClock clock;

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path tmp;

  private final long started = System.nanoTime();

  /** Where the time goes, printed as it passes (the pods' logs stay in tmp when the test fails). */
  private void stage(String what) {
    System.out.printf("LifecycleIT: %-60s +%.1f s%n", what, (System.nanoTime() - started) / 1e9);
  }

  @AfterEach
  void realTime() {
    clock.reset();
  }

  @Test
  void scheduledRunTrainsGatesDeploysCanariesAndPromotesThenARegressedRunCreatesNothing()
      throws Exception {
    Path events = tmp.resolve("events");
    Kubelet kubelet = new Kubelet(client, tmp.resolve("pods"));

    // what served before the schedule: the gateway bundle's ranker, v1 of the registered model
    // (registered by hand, never champion, so the first run has nothing to regress from)
    int bundle = Integer.parseInt(registerBundleRanker(tmp));

    // the template: daily at 03:00 UTC over the 3 days up to yesterday
    client.resource(template("daily", events)).create();
    TrainingRun scheduled =
        await()
            .atMost(WAIT)
            .ignoreExceptions()
            .until(() -> run("daily"), r -> "Scheduled".equals(r.getStatus().phase));
    Instant first = Instant.parse(scheduled.getStatus().schedule.nextScheduleTime);
    Instant second = first.plus(Duration.ofDays(1));
    LocalDate day1 = first.atZone(ZoneOffset.UTC).toLocalDate();
    stage("bundle ranker v" + bundle + " registered; daily scheduled for " + first);
    // the world both windows read: the 3 days before the first time and the day before the second
    simulate(events, day1.minusDays(3), 4, tmp);
    stage("simulated " + day1.minusDays(3) + " .. " + day1);

    // day 1: the time comes, a dated child and its Job appear; the "kubelet" runs the Job's pod
    clock.jumpTo(first.plusSeconds(30));
    String child1 = TrainingSchedules.childName(run("daily"), first);
    Job job1 = awaitJob(child1);
    stage("day 1: " + job1.getMetadata().getName() + " created");
    assertThat(job1.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
        .as("the operator's MLflow reaches the trainer through the Job")
        .anySatisfy(
            e -> {
              assertThat(e.getName()).isEqualTo("MLFLOW_TRACKING_URI");
              assertThat(e.getValue()).isEqualTo(TestEnv.mlflowUri());
            });
    Kubelet.Ran ran1 = kubelet.run(job1, TRAIN_TIMEOUT_SECONDS);
    stage("day 1: pod ran, exit " + ran1.exitCode());
    assertThat(ran1.exitCode()).as(ran1.tail()).isZero();
    assertThat(ran1.terminationMessage()).as(ran1.tail()).contains("\"modelVersion\"");

    TrainingRun done1 =
        await()
            .atMost(WAIT)
            .ignoreExceptions()
            .until(() -> run(child1), r -> r.getStatus().deployedModelVersion != null);
    var st1 = done1.getStatus();
    assertThat(st1.phase).isEqualTo("Succeeded");
    assertThat(st1.gateFailures).isEmpty();
    assertThat(done1.getSpec().data.from).isEqualTo(day1.minusDays(3).toString());
    assertThat(done1.getSpec().data.to).isEqualTo(day1.minusDays(1).toString());
    String version = st1.modelVersion;
    stage("day 1: " + child1 + " deployed " + st1.deployedModelVersion);
    double auc1 = st1.metrics.get("ctr_auc");
    stage("day 1: ctr_auc " + auc1);
    assertThat(auc1).as("the tiny world's ranker learned").isGreaterThan(0.6);

    // the trainer registered the MLflow version; the operator deployed exactly one ModelVersion
    try (MlflowGateway mlflow = new MlflowGateway(TestEnv.mlflowUri(), Retry.DEFAULT)) {
      assertThat(mlflow.getVersion(MODEL, version).runId()).isEqualTo(st1.mlflowRunId);
      assertThat(mlflow.versionByAlias(MODEL, "champion")).isEmpty();
    }
    String mvName = Deployments.name(MODEL, Integer.parseInt(version));
    assertThat(st1.deployedModelVersion).isEqualTo(mvName);
    assertThat(modelVersions()).containsExactly(mvName);
    ModelVersion mv = modelVersion(mvName);
    assertThat(mv.getSpec().source.mlflow).isEqualTo("models:/" + MODEL + "/" + version);
    assertThat(mv.getMetadata().getLabels()).containsEntry(Deployments.LABEL_TRAINED_BY, child1);

    // its canary: loaded into Triton, walked on the simulated users' clicks (the new ranker is
    // planted better than the bundle's ranker they were served before), promoted
    int v = mv.getSpec().version;
    assertThat(v).isGreaterThan(bundle);
    try (TritonClient triton = TritonClient.connect(TestEnv.tritonGrpc());
        ClusterGateway gw =
            new ClusterGateway(
                client,
                NS,
                PORT,
                MODEL,
                bundle,
                Map.of(bundle, 0.15, v, 0.35),
                Map.of(bundle, 3.0, v, 3.0))) {
      await()
          .atMost(WAIT)
          .ignoreExceptions()
          .untilAsserted(
              () -> {
                var got = modelVersion(mvName).getStatus();
                assertThat(Conditions.isTrue(got.conditions, Conditions.READY))
                    .as(got.phase + ": " + got.message)
                    .isTrue();
                assertThat(got.phase).isEqualTo("Promoted");
              });
      stage("day 1: " + mvName + " promoted");
      assertThat(triton.modelReady(MODEL, v)).as("loaded into tritonserver").isTrue();
      assertThat(TestEnv.tritonRepository().resolve(MODEL).resolve(version).resolve("model.onnx"))
          .exists();
      var promoted = modelVersion(mvName).getStatus();
      assertThat(promoted.trafficWeight).isEqualTo(100);
      assertThat(promoted.analysisRuns)
          .filteredOn(r -> r.weight < 100 && "Successful".equals(r.result))
          .isNotEmpty()
          .allSatisfy(r -> assertThat(r.metrics.get("ctrLift")).isPositive());
      assertThat(gw.impressions.get()).isPositive();
    }
    assertThat(Fixtures.eventReasons(client, NS, mvName))
        .containsSubsequence("LoadStarted", "CanaryStepStarted", "AnalysisSuccessful", "Promoted");
    try (MlflowGateway mlflow = new MlflowGateway(TestEnv.mlflowUri(), Retry.DEFAULT)) {
      await()
          .atMost(WAIT)
          .ignoreExceptions()
          .untilAsserted(
              () ->
                  assertThat(mlflow.versionByAlias(MODEL, "champion").orElseThrow().version())
                      .isEqualTo(version));
    }

    // day 2, regressed: the template's learning rate is cut to 1e-7, so the model hardly moves
    client
        .resources(TrainingRun.class)
        .inNamespace(NS)
        .withName("daily")
        .edit(
            r -> {
              r.getSpec().training.learningRate = 1e-7;
              return r;
            });
    clock.jumpTo(second.plusSeconds(30));
    String child2 = TrainingSchedules.childName(run("daily"), second);
    Job job2 = awaitJob(child2);
    stage("day 2: " + job2.getMetadata().getName() + " created");
    Kubelet.Ran ran2 = kubelet.run(job2, TRAIN_TIMEOUT_SECONDS);
    stage("day 2: pod ran, exit " + ran2.exitCode());
    assertThat(ran2.exitCode()).as(ran2.tail()).isZero();

    TrainingRun done2 =
        await()
            .atMost(WAIT)
            .ignoreExceptions()
            .until(
                () -> run(child2),
                r ->
                    Conditions.find(r.getStatus().conditions, Deployments.DEPLOYED) != null
                        && "Succeeded".equals(r.getStatus().phase));
    var st2 = done2.getStatus();
    stage("day 2: " + child2 + " gates failed: " + st2.gateFailures);
    assertThat(done2.getSpec().training.learningRate).isEqualTo(1e-7);
    double auc2 = st2.metrics.get("ctr_auc");
    assertThat(auc2).as("the weak config regressed beyond the tolerance").isLessThan(auc1 - 0.01);
    String gate = "no regression on ctr_auc vs champion v" + version;
    assertThat(st2.gateFailures)
        .anySatisfy(f -> assertThat(f).startsWith(gate).contains("short by"));
    var deployed = Conditions.find(st2.conditions, Deployments.DEPLOYED);
    assertThat(deployed.status).isEqualTo("False");
    assertThat(deployed.message).contains(gate, "short by");
    assertThat(events(child2))
        .anySatisfy(
            e -> {
              assertThat(e.getReason()).isEqualTo("GatesFailed");
              assertThat(e.getMessage()).contains("no ModelVersion created", gate, "short by");
            });
    assertThat(st2.modelVersion).isNull();
    assertThat(st2.deployedModelVersion).isNull();
    // nothing was created: no ModelVersion, no MLflow version, the champion stays
    await().during(Duration.ofSeconds(3)).atMost(WAIT).until(() -> modelVersions().size() == 1);
    assertThat(modelVersions()).containsExactly(mvName);
    try (MlflowGateway mlflow = new MlflowGateway(TestEnv.mlflowUri(), Retry.DEFAULT)) {
      assertThat(mlflow.versionByAlias(MODEL, "champion").orElseThrow().version())
          .isEqualTo(version);
      String next = String.valueOf(Integer.parseInt(version) + 1);
      assertThatThrownBy(() -> mlflow.getVersion(MODEL, next)).as("no version " + next);
    }
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .untilAsserted(
            () ->
                assertThat(run("daily").getStatus().schedule.lastSuccessfulRun).isEqualTo(child2));
  }

  /** A tiny ranker registered in MLflow as the trainers register theirs (model/model.onnx). */
  private static String registerBundleRanker(Path tmp) throws IOException {
    Path onnx =
        TinyModels.ranker(
            Files.createDirectories(tmp.resolve("bundle")).resolve("model.onnx"),
            TinyModels.rankerWeights(5));
    try (MlflowGateway mlflow = new MlflowGateway(TestEnv.mlflowUri(), Retry.DEFAULT)) {
      String experiment = mlflow.ensureExperiment("e2e-lifecycle");
      var run = mlflow.createRun(experiment, "bundle", System.currentTimeMillis(), Map.of());
      mlflow.uploadArtifact(run.getArtifactUri(), "model", onnx);
      mlflow.ensureRegisteredModel(MODEL);
      return mlflow.createModelVersion(
          MODEL, run.getArtifactUri() + "/model", run.getRunId(), Map.of());
    }
  }

  /** The scheduled template: a small ranker, gated on a floor and on no regression. */
  private static TrainingRun template(String name, Path events) {
    String yaml =
        """
        apiVersion: liverec.io/v1alpha1
        kind: TrainingRun
        metadata: {name: %s, namespace: %s, uid: uid-%s}
        spec:
          task: ranking
          data: {events: %s, holdoutDays: 1}
          model: {embeddingDim: 8}
          training: {epochs: 1, batchSize: 256, seed: 3}
          resources: {cpu: "1", memory: 2Gi}
          tracking: {experiment: e2e-lifecycle, registeredModel: %s}
          gates:
            - {metric: ctr_auc, min: 0.40}
          releaseGates:
            noRegression: {tolerance: 0.01, metrics: [ctr_auc]}
          schedule:
            cron: "0 3 * * *"
            window: {days: 3, endOffsetDays: 1}
          deploy:
            triton: {instances: 1}
            rollout:
              steps:
                - {weight: 10, pause: 1s}
                - {weight: 50}
                - {weight: 100}
              analysis:
                interval: 300ms
                metrics:
                  - {name: p99LatencyMs, max: 50}
                  - {name: errorRate, max: 0.01}
                  - {name: ctrLift, min: -0.01, test: sequential}
        """
            .formatted(name, NS, name, events.toAbsolutePath(), MODEL);
    return Serialization.unmarshal(yaml, TrainingRun.class);
  }

  /** {@code liverec simulate} in a child JVM, as the trainer (the world the runs read). */
  private static void simulate(Path events, LocalDate start, int days, Path tmp)
      throws IOException, InterruptedException {
    Path log = tmp.resolve("simulate.log");
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g",
                "-cp",
                System.getProperty("java.class.path"),
                Kubelet.ENTRY_POINT,
                "simulate",
                "--users",
                "300",
                "--rooms",
                "60",
                "--days",
                String.valueOf(days),
                "--start",
                start.toString(),
                "--seed",
                "7",
                "--out",
                events.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    assertThat(p.waitFor(300, TimeUnit.SECONDS)).as("simulate finished").isTrue();
    assertThat(p.exitValue()).as(Files.readString(log)).isZero();
  }

  private Job awaitJob(String run) {
    String name = TrainingJobs.jobName(run, 1);
    return await()
        .atMost(WAIT)
        .ignoreExceptions()
        .until(
            () -> client.batch().v1().jobs().inNamespace(NS).withName(name).get(), j -> j != null);
  }

  private TrainingRun run(String name) {
    return client.resources(TrainingRun.class).inNamespace(NS).withName(name).get();
  }

  private ModelVersion modelVersion(String name) {
    return client.resources(ModelVersion.class).inNamespace(NS).withName(name).get();
  }

  private List<String> modelVersions() {
    return client.resources(ModelVersion.class).inNamespace(NS).list().getItems().stream()
        .map(m -> m.getMetadata().getName())
        .toList();
  }

  private List<Event> events(String name) {
    return client.v1().events().inNamespace(NS).list().getItems().stream()
        .filter(e -> name.equals(e.getInvolvedObject().getName()))
        .toList();
  }
}
