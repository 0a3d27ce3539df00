package io.liverec.operator.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.liverec.api.v1alpha1.ModelVersion;
import io.liverec.api.v1alpha1.ModelVersionSpec;
import io.liverec.operator.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The canary in the cluster, closed loop: the operator (reconciler on the Fabric8 mock API server)
 * writes each step's weight to status, a real in-process gateway follows it through its watch and
 * counts simulated users' clicks per arm, and every analysis interval the operator reads the
 * gateway's {@code GET /v1/canary/outcomes} and judges it with the outcome analysis (mSPRT per
 * weight epoch, SRM, technical SLOs). A better ranker is promoted, a worse one rolled back before
 * it reaches 50%, a slow one rolled back on its p99, and a gateway that cannot be read holds the
 * canary — never promoted — until it can.
 */
@QuarkusTest
@TestProfile(CanaryInClusterTest.Cluster.class)
@WithKubernetesTestServer(crud = true)
class CanaryInClusterTest {
  static final String NS = "canary";
  static final Duration WAIT = Duration.ofSeconds(60);
  static final int PORT = ClusterGateway.freePort();

  /** The cluster mode: the operator reads the gateway on {@link #PORT}. */
  public static class Cluster implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return canaryConfig(PORT);
    }
  }

  static Map<String, String> canaryConfig(int port) {
    return Map.of(
        "liverec.operator.gateway-url", "http://127.0.0.1:" + port,
        "liverec.operator.gateway-timeout", "2s",
        // about the smallest CTR change worth catching at this test's traffic
        "liverec.operator.canary-tau", "0.05",
        "liverec.operator.canary-burn-in", "100");
  }

  @Inject KubernetesClient client;

  @Test
  void betterRankerWalksTheStepsOnItsOutcomesAndIsPromoted() {
    try (ClusterGateway gw =
        new ClusterGateway(
            client, NS, PORT, "ranker-a", 1, Map.of(1, 0.15, 2, 0.35), Map.of(1, 3.0, 2, 3.0))) {
      client.resource(rollout("ranker-a-v2", "ranker-a", 2, 0)).create();
      await()
          .atMost(WAIT)
          .ignoreExceptions()
          .untilAsserted(
              () -> assertThat(get("ranker-a-v2").getStatus().phase).isEqualTo("Promoted"));
      ModelVersion got = get("ranker-a-v2");
      assertThat(got.getStatus().trafficWeight).isEqualTo(100);
      var passed =
          got.getStatus().analysisRuns.stream().filter(r -> "Successful".equals(r.result)).toList();
      assertThat(passed).extracting(r -> r.step).contains(0, 1, 2);
      // the steps below 100% passed on the outcome test: the canary was found better
      assertThat(passed)
          .filteredOn(r -> r.weight < 100)
          .allSatisfy(
              r -> {
                assertThat(r.metrics.get("ctrLift")).isGreaterThan(0.0);
                assertThat(r.metrics.get("ctrLift.canaryImpressions")).isPositive();
                assertThat(r.message).contains("better");
              });
      assertThat(Fixtures.eventReasons(client, NS, "ranker-a-v2"))
          .containsSubsequence(
              "LoadStarted", "CanaryStepStarted", "AnalysisSuccessful", "Promoted");
    }
  }

  @Test
  void worseRankerIsRolledBackByTheOutcomeTestBeforeHalfTheTraffic() {
    try (ClusterGateway gw =
        new ClusterGateway(
            client, NS, PORT, "ranker-b", 1, Map.of(1, 0.2, 2, 0.05), Map.of(1, 3.0, 2, 3.0))) {
      client.resource(rollout("ranker-b-v2", "ranker-b", 2, 0)).create();
      await()
          .atMost(WAIT)
          .ignoreExceptions()
          .untilAsserted(
              () -> assertThat(get("ranker-b-v2").getStatus().phase).isEqualTo("RolledBack"));
      ModelVersion got = get("ranker-b-v2");
      assertThat(got.getStatus().trafficWeight).isZero();
      assertThat(got.getStatus().analysisRuns)
          .as("every analysis ran below 50%")
          .allSatisfy(r -> assertThat(r.weight).isLessThan(50));
      var failed =
          got.getStatus().analysisRuns.stream().filter(r -> "Failed".equals(r.result)).toList();
      assertThat(failed).isNotEmpty();
      assertThat(failed.get(failed.size() - 1).message).contains("ctrLift", "worse");
      assertThat(failed.get(failed.size() - 1).metrics.get("ctrLift")).isNegative();
    }
  }

  @Test
  void injectedLatencyBreachesTheSloAndRollsBack() {
    // as good on clicks, but every call of v2 takes 80 ms against a p99 bound of 50 ms
    try (ClusterGateway gw =
        new ClusterGateway(
            client, NS, PORT, "ranker-d", 1, Map.of(1, 0.2, 2, 0.2), Map.of(1, 3.0, 2, 80.0))) {
      client.resource(rollout("ranker-d-v2", "ranker-d", 2, 0, 50.0)).create();
      await()
          .atMost(WAIT)
          .ignoreExceptions()
          .untilAsserted(
              () -> assertThat(get("ranker-d-v2").getStatus().phase).isEqualTo("RolledBack"));
      ModelVersion got = get("ranker-d-v2");
      var failed =
          got.getStatus().analysisRuns.stream().filter(r -> "Failed".equals(r.result)).toList();
      assertThat(failed).isNotEmpty();
      assertThat(failed.get(failed.size() - 1).message).contains("p99LatencyMs", "> max 50.0");
      assertThat(failed.get(failed.size() - 1).metrics.get("p99LatencyMs")).isGreaterThan(50.0);
      assertThat(got.getStatus().analysisRuns).allSatisfy(r -> assertThat(r.weight).isEqualTo(10));
    }
  }

  @Test
  void unreadableGatewayHoldsTheCanaryAndNeverPromotesIt() {
    // no gateway on the port yet: every analysis is a failed read
    client.resource(rollout("ranker-c-v2", "ranker-c", 2, 0)).create();
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .untilAsserted(
            () -> assertThat(get("ranker-c-v2").getStatus().analysisRuns).hasSizeGreaterThan(5));
    ModelVersion held = get("ranker-c-v2");
    assertThat(held.getStatus().phase).isEqualTo("Canary");
    assertThat(held.getStatus().currentStep).isZero();
    assertThat(held.getStatus().trafficWeight).isEqualTo(10);
    assertThat(held.getStatus().failedAnalyses).isZero();
    assertThat(held.getStatus().analysisRuns)
        .allSatisfy(
            r -> {
              assertThat(r.result).isEqualTo("Inconclusive");
              assertThat(r.message).contains("no measurement", "unreachable");
            });

    // the gateway comes back: the same canary is measured and, being better, promoted
    try (ClusterGateway gw =
        new ClusterGateway(
            client, NS, PORT, "ranker-c", 1, Map.of(1, 0.15, 2, 0.35), Map.of(1, 3.0, 2, 3.0))) {
      await()
          .atMost(WAIT)
          .ignoreExceptions()
          .untilAsserted(
              () -> {
                var st = get("ranker-c-v2").getStatus();
                assertThat(st.phase).as(st.message).isEqualTo("Promoted");
              });
    }
    assertThat(
            Fixtures.eventReasons(client, NS, "ranker-c-v2").stream().filter("LoadStarted"::equals))
        .hasSize(1);
  }

  /**
   * The p99 bound of the cases that test the outcome decision. The p99 is the in-process gateway's
   * wall-clock latency, so on a loaded machine (load average 7-12 seen in CI and with other builds)
   * a 3 ms model's p99 can pass 50 ms and, with failureLimit 0, roll a better canary back before
   * its outcomes are judged. Only a hung call breaches this; the SLO has its own case at 50 ms.
   */
  static final double OUTCOME_ONLY_P99_MS = 500.0;

  /** Steps 10% (1 s) → 50% → 100%, judged every 300 ms on CTR (sequential) and the SLOs. */
  static ModelVersion rollout(String name, String model, int version, int failureLimit) {
    return rollout(name, model, version, failureLimit, OUTCOME_ONLY_P99_MS);
  }

  static ModelVersion rollout(
      String name, String model, int version, int failureLimit, double maxP99Ms) {
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
    ModelVersionSpec.Metric ctr = new ModelVersionSpec.Metric("ctrLift", -0.01, null);
    ctr.test = ModelVersionSpec.Test.SEQUENTIAL;
    mv.getSpec().rollout.analysis.metrics =
        new ArrayList<>(
            List.of(
                new ModelVersionSpec.Metric("p99LatencyMs", null, maxP99Ms),
                new ModelVersionSpec.Metric("errorRate", null, 0.01),
                ctr));
    return mv;
  }

  private ModelVersion get(String name) {
    return client.resources(ModelVersion.class).inNamespace(NS).withName(name).get();
  }
}
