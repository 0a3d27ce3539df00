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
import io.liverec.serving.TinyModels;
import io.liverec.serving.repository.ModelRepositoryPublisher;
import io.liverec.serving.repository.ServingOptions;
import io.liverec.serving.rollout.InferenceServerControl;
import io.liverec.serving.rollout.Rollout;
import io.liverec.serving.rollout.TritonInferenceServer;
import io.liverec.serving.rollout.TritonModelRepository;
import io.liverec.serving.triton.TritonClient;
import io.liverec.serving.triton.proto.RepositoryIndexResponse;
import io.liverec.testenv.TestEnv;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The canary in the cluster with the real tritonserver of {@code scripts/test-env.sh} as the model
 * backend: the operator (reconciler on the Fabric8 mock API server) publishes each version into
 * Triton's repository and loads it there through {@link TritonInferenceServer}, a real in-process
 * gateway follows the status weights and counts simulated users' clicks per arm (as in {@link
 * CanaryInClusterTest}), and the operator judges the canary on them. A first version is promoted; a
 * better one is walked to its second step, the operator is stopped and a new one (nothing kept but
 * the API server and Triton) resumes, promotes it and, a grace period later, unloads the previous
 * version from Triton; a degraded one is rolled back and unloaded. Triton's repository index is the
 * witness of what is loaded, and every version was asked to load once in all.
 */
@QuarkusTest
@TestProfile(CanaryOnTritonIT.OnTriton.class)
@WithKubernetesTestServer(crud = true)
class CanaryOnTritonIT {
  static final String NS = "canary-triton";
  static final Duration WAIT = Duration.ofSeconds(60);
  static final Duration RETIRE_AFTER = Duration.ofSeconds(2);
  static final int PORT = ClusterGateway.freePort();

  /** Unique per run: the test Triton outlives one build. */
  static final String MODEL = "canary-tri-" + Long.toString(System.currentTimeMillis(), 36);

  /** The cluster mode on its own gateway port (the test builds its operators on Triton). */
  public static class OnTriton implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return CanaryInClusterTest.canaryConfig(PORT);
    }
  }

  /** Loads asked of Triton per version, over every operator of the test. */
  static final Map<String, AtomicInteger> LOADS = new ConcurrentHashMap<>();

  /** The real Triton control, counting the loads it is asked for. */
  static final class CountingTriton implements InferenceServerControl, AutoCloseable {
    final TritonClient client = TritonClient.connect(TestEnv.tritonGrpc());
    final TritonInferenceServer server = new TritonInferenceServer(client, publisher());

    @Override
    public void load(String model, int version) {
      LOADS.computeIfAbsent(model + "/" + version, k -> new AtomicInteger()).incrementAndGet();
      server.load(model, version);
    }

    @Override
    public LoadState state(String model, int version) {
      return server.state(model, version);
    }

    @Override
    public Optional<String> failure(String model, int version) {
      return server.failure(model, version);
    }

    @Override
    public void unload(String model, int version) {
      server.unload(model, version);
    }

    @Override
    public void close() {
      server.close();
      client.close();
    }
  }

  @Inject KubernetesClient client;
  @Inject Operator operator;
  @Inject EventRecorder events;
  @Inject ReconcileMetrics metrics;

  private static final TritonClient triton = TritonClient.connect(TestEnv.tritonGrpc());

  @AfterAll
  static void close() {
    try {
      triton.unload(MODEL, false);
    } finally {
      triton.close();
    }
  }

  @Test
  void betterIsPromotedAndRetiresThePreviousDegradedIsRolledBackRestartLoadsNothingTwice()
      throws IOException {
    operator.stop();
    // v1 is the bundle's stable version the gateway starts from; 2 becomes the first promoted one
    try (ClusterGateway gw =
        new ClusterGateway(
            client,
            NS,
            PORT,
            MODEL,
            1,
            Map.of(1, 0.15, 2, 0.15, 3, 0.35, 4, 0.05),
            Map.of(1, 3.0, 2, 3.0, 3, 3.0, 4, 3.0))) {
      Running first = fresh();
      Running second;
      try {
        ModelVersion v2 = rollout(2, List.of(new ModelVersionSpec.Step(100, null)));
        client.resource(v2).create();
        awaitPhase("v2", "Promoted");
        assertThat(triton.modelReady(MODEL, 2)).isTrue();

        // the better ranker: stepped to 50%, where the operator stops
        ModelVersion v3 =
            rollout(
                3,
                List.of(
                    new ModelVersionSpec.Step(10, "1s"),
                    new ModelVersionSpec.Step(50, "4s"),
                    new ModelVersionSpec.Step(100, null)));
        client.resource(v3).create();
        await()
            .atMost(WAIT)
            .ignoreExceptions()
            .untilAsserted(
                () -> {
                  ModelVersion got = get("v3");
                  assertThat(got.getStatus().currentStep).isEqualTo(1);
                  assertThat(got.getStatus().trafficWeight).isEqualTo(50);
                });
        assertThat(triton.modelReady(MODEL, 2)).as("stable serves during the canary").isTrue();
        assertThat(triton.modelReady(MODEL, 3)).as("canary loaded next to it").isTrue();
      } finally {
        first.stop();
      }
      assertThat(get("v3").getStatus().phase).isEqualTo("Canary");

      second = fresh();
      try {
        awaitPhase("v3", "Promoted");
        ModelVersion promoted = get("v3");
        assertThat(promoted.getStatus().stableVersion).isEqualTo(2);
        assertThat(promoted.getStatus().analysisRuns)
            .filteredOn(r -> r.weight < 100 && "Successful".equals(r.result))
            .isNotEmpty()
            .allSatisfy(r -> assertThat(r.metrics.get("ctrLift")).isPositive());
        // the previous version is unloaded from Triton once the grace period is over
        await()
            .atMost(WAIT)
            .ignoreExceptions()
            .untilAsserted(
                () -> {
                  assertThat(get("v3").getStatus().retiredVersion).isEqualTo(2);
                  assertThat(indexEntry(2).getState()).isEqualTo("UNAVAILABLE");
                });
        assertThat(indexEntry(2).getReason()).isEqualTo("unloaded");
        assertThat(second.triton.state(MODEL, 2))
            .isEqualTo(InferenceServerControl.LoadState.ABSENT);
        assertThat(triton.modelReady(MODEL, 3)).isTrue();
        assertThat(indexEntry(3).getState()).isEqualTo("READY");
        assertThat(Fixtures.eventReasons(client, NS, MODEL + "-v3"))
            .containsSubsequence("CanaryStepStarted", "Promoted", "Unloaded");

        // the degraded ranker: rolled back below 50% and unloaded; the new stable one serves on
        ModelVersion v4 =
            rollout(
                4,
                List.of(
                    new ModelVersionSpec.Step(10, "1s"),
                    new ModelVersionSpec.Step(50, null),
                    new ModelVersionSpec.Step(100, null)));
        client.resource(v4).create();
        awaitPhase("v4", "RolledBack");
        ModelVersion rolledBack = get("v4");
        assertThat(rolledBack.getStatus().trafficWeight).isZero();
        assertThat(rolledBack.getStatus().analysisRuns)
            .allSatisfy(r -> assertThat(r.weight).isLessThan(50));
        assertThat(rolledBack.getStatus().analysisRuns)
            .filteredOn(r -> "Failed".equals(r.result))
            .last()
            .satisfies(r -> assertThat(r.message).contains("ctrLift", "worse"));
        assertThat(triton.modelReady(MODEL, 4)).isFalse();
        await()
            .atMost(WAIT)
            .untilAsserted(() -> assertThat(indexEntry(4).getReason()).isEqualTo("unloaded"));
        assertThat(second.triton.state(MODEL, 4))
            .isEqualTo(InferenceServerControl.LoadState.ABSENT);
        assertThat(rolledBack.getStatus().retiredVersion).isNull();
        assertThat(triton.modelReady(MODEL, 3)).as("the promoted one keeps serving").isTrue();
        assertThat(
                triton.repositoryIndex(false).stream()
                    .filter(m -> m.getName().equals(MODEL) && "READY".equals(m.getState()))
                    .map(RepositoryIndexResponse.ModelIndex::getVersion))
            .as("the versions Triton serves")
            .containsExactly("3");
      } finally {
        second.stop();
      }
    }
    for (int v = 2; v <= 4; v++) {
      assertThat(LOADS.get(MODEL + "/" + v)).as("loads of %s/%d", MODEL, v).hasValue(1);
      assertThat(
              Fixtures.eventReasons(client, NS, MODEL + "-v" + v).stream()
                  .filter("LoadStarted"::equals))
          .as("LoadStarted events of v%d", v)
          .hasSize(1);
    }
    assertThat(
            Fixtures.eventReasons(client, NS, MODEL + "-v3").stream()
                .filter("CanaryStepStarted"::equals))
        .as("each of v3's three steps started once across the restart")
        .hasSize(3);
  }

  /** One operator and the Triton control it owns. */
  private record Running(Operator operator, CountingTriton triton) {
    void stop() {
      operator.stop();
      triton.close();
    }
  }

  /** An operator built from nothing but the API server, Triton and the settings. */
  private Running fresh() {
    CountingTriton server = new CountingTriton();
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
            new Rollout(
                new TritonModelRepository(
                    publisher(),
                    ServingOptions.cpu(ServingOptions.Backend.PYTHON).withInstances(1, false),
                    TritonModelRepository.SourceResolver.LOCAL_ONLY),
                server,
                router,
                analysis,
                io.liverec.api.run.RegistryAliases.NONE,
                Optional.of(RETIRE_AFTER)),
            events,
            metrics));
    o.start();
    return new Running(o, server);
  }

  private static ModelRepositoryPublisher publisher() {
    return new ModelRepositoryPublisher(TestEnv.tritonRepository());
  }

  /** A ModelVersion of a tiny ONNX ranker, judged every 300 ms on CTR and the SLOs. */
  private static ModelVersion rollout(int version, List<ModelVersionSpec.Step> steps)
      throws IOException {
    Path dir = Files.createTempDirectory("canary-triton");
    Path onnx =
        TinyModels.ranker(dir.resolve("model.onnx"), TinyModels.rankerWeights(100 + version));
    ModelVersion mv = CanaryInClusterTest.rollout(MODEL + "-v" + version, MODEL, version, 0);
    mv.getMetadata().setNamespace(NS);
    mv.getSpec().source.mlflow = null;
    mv.getSpec().source.uri = onnx.toString();
    mv.getSpec().triton.instances = 1;
    mv.getSpec().rollout.steps = new ArrayList<>(steps);
    return mv;
  }

  private void awaitPhase(String version, String phase) {
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              ModelVersion got = get(version);
              assertThat(got.getStatus().phase)
                  .as("%s: %s", got.getMetadata().getName(), got.getStatus().message)
                  .isEqualTo(phase);
            });
  }

  private ModelVersion get(String version) {
    return client
        .resources(ModelVersion.class)
        .inNamespace(NS)
        .withName(MODEL + "-" + version)
        .get();
  }

  private static RepositoryIndexResponse.ModelIndex indexEntry(int version) {
    return triton.repositoryIndex(false).stream()
        .filter(m -> m.getName().equals(MODEL) && m.getVersion().equals(Integer.toString(version)))
        .findFirst()
        .orElseThrow(() -> new AssertionError(MODEL + "/" + version + " not in Triton's index"));
  }
}
