package io.liverec.operator.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.liverec.api.v1alpha1.Conditions;
import io.liverec.api.v1alpha1.ModelVersion;
import io.liverec.api.v1alpha1.ModelVersionSpec;
import io.liverec.operator.Backends;
import io.liverec.operator.Fixtures;
import io.liverec.serving.rollout.InferenceServerControl;
import io.liverec.serving.rollout.TrafficRouter;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithKubernetesTestServer(crud = true)
class ModelVersionReconcilerTest {
  static final String NS = "serving";
  static final Duration WAIT = Duration.ofSeconds(30);

  @Inject KubernetesClient client;
  @Inject Backends.ObservedMetrics observed;
  @Inject TrafficRouter router;
  @Inject InferenceServerControl server;

  @Test
  void healthyCanaryWalksTheStepsAndIsPromoted() {
    ModelVersion mv = fastRollout("ranker-v7", "ranker", 7, 0);
    observed
        .of("ranker", 7)
        .putAll(java.util.Map.of("p99LatencyMs", 9.0, "errorRate", 0.0, "ctrLift", 0.01));
    client.resource(mv).create();

    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              ModelVersion got = get("ranker-v7");
              assertThat(got.getStatus().phase).isEqualTo("Promoted");
              assertThat(got.getStatus().trafficWeight).isEqualTo(100);
              assertThat(Conditions.isTrue(got.getStatus().conditions, Conditions.READY)).isTrue();
            });
    assertThat(router.stable("ranker")).hasValue(7);
    ModelVersion got = get("ranker-v7");
    assertThat(got.getStatus().analysisRuns).extracting(r -> r.step).contains(0, 1, 2);
    assertThat(got.getStatus().observedGeneration).isEqualTo(1L);
    List<String> reasons = Fixtures.eventReasons(client, NS, "ranker-v7");
    assertThat(reasons)
        .containsSubsequence(
            "LoadStarted",
            "Loaded",
            "CanaryStepStarted",
            "AnalysisSuccessful",
            "CanaryStepStarted",
            "Promoted");
    assertThat(reasons.stream().filter("CanaryStepStarted"::equals)).hasSize(3);
  }

  @Test
  void failingCanaryIsRolledBackAndDeletionWithdrawsIt() {
    ModelVersion mv = fastRollout("ranker-v8", "ranker", 8, 1);
    observed
        .of("ranker", 8)
        .putAll(java.util.Map.of("p99LatencyMs", 40.0, "errorRate", 0.0, "ctrLift", 0.0));
    client.resource(mv).create();

    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              ModelVersion got = get("ranker-v8");
              assertThat(got.getStatus().phase).isEqualTo("RolledBack");
              assertThat(got.getStatus().trafficWeight).isZero();
              assertThat(got.getStatus().failedAnalyses).isEqualTo(2);
            });
    assertThat(router.weight("ranker", 8)).isZero();
    assertThat(server.state("ranker", 8)).isEqualTo(InferenceServerControl.LoadState.ABSENT);
    assertThat(Fixtures.eventReasons(client, NS, "ranker-v8"))
        .contains("AnalysisFailed", "RolledBack");

    // a rollout held for missing data, then deleted: the finalizer withdraws the version
    ModelVersion held = fastRollout("ranker-v9", "ranker", 9, 0);
    client.resource(held).create();
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              ModelVersion g = get("ranker-v9");
              assertThat(g.getStatus().phase).isEqualTo("Canary");
              assertThat(g.getStatus().analysisRuns)
                  .isNotEmpty()
                  .allSatisfy(r -> assertThat(r.result).isEqualTo("Inconclusive"));
            });
    assertThat(router.weight("ranker", 9)).isEqualTo(10);
    client.resource(get("ranker-v9")).delete();
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              assertThat(get("ranker-v9")).isNull();
              assertThat(router.weight("ranker", 9)).isZero();
              assertThat(server.state("ranker", 9))
                  .isEqualTo(InferenceServerControl.LoadState.ABSENT);
            });
  }

  @Test
  void stepOnlySpecChangeKeepsTheLoadedVersion() {
    ModelVersion mv = fastRollout("ranker-v10", "ranker", 10, 0);
    mv.getSpec().rollout.steps.get(0).pause = "1h";
    observed
        .of("ranker", 10)
        .putAll(java.util.Map.of("p99LatencyMs", 9.0, "errorRate", 0.0, "ctrLift", 0.01));
    client.resource(mv).create();
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .until(() -> get("ranker-v10").getStatus(), s -> s != null && "Canary".equals(s.phase));
    String fingerprint = get("ranker-v10").getStatus().loadedFingerprint;

    client
        .resources(ModelVersion.class)
        .inNamespace(NS)
        .withName("ranker-v10")
        .edit(
            m -> {
              m.getSpec().rollout.steps.get(0).weight = 20;
              return m;
            });
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .untilAsserted(
            () -> assertThat(get("ranker-v10").getStatus().observedGeneration).isEqualTo(2L));
    ModelVersion got = get("ranker-v10");
    assertThat(got.getStatus().phase).isEqualTo("Canary");
    assertThat(got.getStatus().loadedFingerprint).isEqualTo(fingerprint);
    assertThat(
            Fixtures.eventReasons(client, NS, "ranker-v10").stream().filter("LoadStarted"::equals))
        .hasSize(1);
  }

  private ModelVersion fastRollout(String name, String model, int version, int failureLimit) {
    ModelVersion mv = Fixtures.modelVersion(NS, name);
    mv.getSpec().model = model;
    mv.getSpec().version = version;
    mv.getSpec().source.mlflow = "models:/" + model + "/" + version;
    mv.getSpec().rollout.steps =
        new ArrayList<>(
            List.of(
                new ModelVersionSpec.Step(10, "1s"),
                new ModelVersionSpec.Step(50, null),
                new ModelVersionSpec.Step(100, null)));
    mv.getSpec().rollout.analysis.interval = "300ms";
    mv.getSpec().rollout.analysis.failureLimit = failureLimit;
    return mv;
  }

  private ModelVersion get(String name) {
    return client.resources(ModelVersion.class).inNamespace(NS).withName(name).get();
  }
}
