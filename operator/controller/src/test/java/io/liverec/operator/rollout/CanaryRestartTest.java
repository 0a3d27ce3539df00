package io.liverec.operator.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.liverec.api.v1alpha1.ModelVersion;
import io.liverec.api.v1alpha1.ModelVersionSpec;
import io.liverec.operator.Fixtures;
import io.liverec.operator.ReconcileMetrics;
import io.liverec.operator.events.EventRecorder;
import io.liverec.serving.rollout.InProcessInferenceServer;
import io.liverec.serving.rollout.InProcessModelRepository;
import io.liverec.serving.rollout.InferenceServerControl;
import io.liverec.serving.rollout.Rollout;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The operator dies mid-rollout, in the cluster mode: an operator (fresh reconciler, rollout,
 * router, analysis and gateway client: nothing survives but the API server, the inference server
 * and the gateway) walks a canary to its second step and is stopped; a second one, built afresh,
 * resumes at that step from status and promotes the canary on the gateway's outcomes. The version
 * is loaded into the inference server once in all. (Own profile: it stops the application's
 * operator.)
 */
@QuarkusTest
@TestProfile(CanaryRestartTest.Restart.class)
@WithKubernetesTestServer(crud = true)
class CanaryRestartTest {
  static final Duration WAIT = Duration.ofSeconds(60);
  static final int PORT = ClusterGateway.freePort();

  /** The cluster mode on its own gateway port. */
  public static class Restart implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return CanaryInClusterTest.canaryConfig(PORT);
    }
  }

  /** The inference server outside the operator, counting the loads it is asked for. */
  static final class CountingServer implements InferenceServerControl {
    final InProcessInferenceServer server = new InProcessInferenceServer();
    final Map<String, AtomicInteger> loads = new ConcurrentHashMap<>();

    @Override
    public void load(String model, int version) {
      loads.computeIfAbsent(model + "/" + version, k -> new AtomicInteger()).incrementAndGet();
      server.load(model, version);
    }

    @Override
    public LoadState state(String model, int version) {
      return server.state(model, version);
    }

    @Override
    public void unload(String model, int version) {
      server.unload(model, version);
    }
  }

  @Inject KubernetesClient client;
  @Inject Operator operator;
  @Inject EventRecorder events;
  @Inject ReconcileMetrics metrics;

  @Test
  void restartedOperatorResumesAtTheSameStepWithoutReloading() {
    operator.stop();
    CountingServer triton = new CountingServer();
    ModelVersion mv = CanaryInClusterTest.rollout("ranker-r-v2", "ranker-r", 2, 0);
    mv.getSpec().rollout.steps.set(1, new ModelVersionSpec.Step(50, "4s"));
    try (ClusterGateway gw =
        new ClusterGateway(
            client,
            CanaryInClusterTest.NS,
            PORT,
            "ranker-r",
            1,
            Map.of(1, 0.15, 2, 0.35),
            Map.of(1, 3.0, 2, 3.0))) {
      Operator first = fresh(triton);
      try {
        client.resource(mv).create();
        await()
            .atMost(WAIT)
            .ignoreExceptions()
            .untilAsserted(
                () -> {
                  ModelVersion got = get();
                  assertThat(got.getStatus().currentStep).isEqualTo(1);
                  assertThat(got.getStatus().trafficWeight).isEqualTo(50);
                });
      } finally {
        first.stop();
      }
      String stepStarted = get().getStatus().stepStartedAt;
      assertThat(get().getStatus().phase).isEqualTo("Canary");

      Operator second = fresh(triton);
      try {
        await()
            .atMost(WAIT)
            .ignoreExceptions()
            .untilAsserted(
                () -> {
                  ModelVersion got = get();
                  assertThat(got.getStatus().analysisRuns)
                      .filteredOn(r -> r.step == 1)
                      .anySatisfy(
                          r ->
                              assertThat(java.time.Instant.parse(r.time))
                                  .isAfter(java.time.Instant.parse(stepStarted)));
                });
        assertThat(get().getStatus().currentStep).as("resumed at the same step").isEqualTo(1);
        await()
            .atMost(WAIT)
            .ignoreExceptions()
            .untilAsserted(() -> assertThat(get().getStatus().phase).isEqualTo("Promoted"));
      } finally {
        second.stop();
      }
    }
    assertThat(triton.loads.get("ranker-r/2")).as("loads of ranker-r/2").hasValue(1);
    List<String> reasons = Fixtures.eventReasons(client, CanaryInClusterTest.NS, "ranker-r-v2");
    assertThat(reasons.stream().filter("LoadStarted"::equals)).hasSize(1);
    assertThat(reasons.stream().filter("CanaryStepStarted"::equals))
        .as("each of the three steps started once")
        .hasSize(3);
  }

  /** An operator built from nothing but the API server, the inference server and the settings. */
  private Operator fresh(InferenceServerControl triton) {
    StatusTrafficRouter router = new StatusTrafficRouter(client);
    var analysis =
        new GatewayCanaryAnalysis(
            new GatewayOutcomes("http://127.0.0.1:" + PORT, Duration.ofSeconds(2)),
            router,
            0.05,
            0.05,
            100);
    Operator o =
        new Operator(
            c ->
                c.withKubernetesClient(client)
                    .withUseSSAToPatchPrimaryResource(false)
                    .withCloseClientOnStop(false));
    o.register(
        new ModelVersionReconciler(
            new Rollout(new InProcessModelRepository(), triton, router, analysis),
            events,
            metrics));
    o.start();
    return o;
  }

  private ModelVersion get() {
    return client
        .resources(ModelVersion.class)
        .inNamespace(CanaryInClusterTest.NS)
        .withName("ranker-r-v2")
        .get();
  }
}
