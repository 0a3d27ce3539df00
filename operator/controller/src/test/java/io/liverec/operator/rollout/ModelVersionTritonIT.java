package io.liverec.operator.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.liverec.api.v1alpha1.Conditions;
import io.liverec.api.v1alpha1.ModelVersion;
import io.liverec.api.v1alpha1.ModelVersionSpec;
import io.liverec.operator.Backends;
import io.liverec.operator.Fixtures;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The operator with its real backends: a ModelVersion whose source is an MLflow registry version is
 * downloaded from the test MLflow server, published into the test tritonserver's repository, loaded
 * there and promoted; a version the registry lacks fails naming the field without touching the
 * serving one; deleting the resource unloads its version from Triton.
 */
@QuarkusTest
@TestProfile(ModelVersionTritonIT.RealBackends.class)
@WithKubernetesTestServer(crud = true)
class ModelVersionTritonIT {
  static final String NS = "serving-triton";
  static final Duration WAIT = Duration.ofSeconds(60);

  /** Unique per run: the test Triton and MLflow outlive one build. */
  static final String MODEL = "op-ranker-" + Long.toString(System.currentTimeMillis(), 36);

  /** Points the operator at the test environment's Triton and MLflow. */
  public static class RealBackends implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      try {
        return Map.of(
            "liverec.operator.triton-grpc", TestEnv.tritonGrpc(),
            "liverec.operator.triton-repository", TestEnv.tritonRepository().toString(),
            "liverec.operator.triton-backend", "python",
            "liverec.operator.mlflow-tracking-uri", TestEnv.mlflowUri(),
            "liverec.operator.model-cache",
                Files.createTempDirectory("liverec-model-cache").toString());
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }

  @Inject KubernetesClient client;
  @Inject Backends.ObservedMetrics observed;

  private static final TritonClient triton = TritonClient.connect(TestEnv.tritonGrpc());

  @AfterAll
  static void close() {
    triton.close();
  }

  @Test
  void registryVersionsAreLoadedIntoTritonPromotedAndWithdrawn() throws IOException {
    String version = register(MODEL, 11);
    ModelVersion mv = rollout(MODEL + "-v" + version, Integer.parseInt(version));
    observed
        .of(MODEL, mv.getSpec().version)
        .putAll(Map.of("p99LatencyMs", 9.0, "errorRate", 0.0, "ctrLift", 0.01));
    client.resource(mv).create();

    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              ModelVersion got = get(mv.getMetadata().getName());
              assertThat(got.getStatus().phase).isEqualTo("Promoted");
              assertThat(Conditions.isTrue(got.getStatus().conditions, Conditions.READY)).isTrue();
            });
    int v = mv.getSpec().version;
    assertThat(triton.modelReady(MODEL, v)).isTrue();
    assertThat(TestEnv.tritonRepository().resolve(MODEL).resolve(version).resolve("model.onnx"))
        .exists();

    // a version the registry does not have: refused naming the field, v keeps serving
    ModelVersion missing = rollout(MODEL + "-v99", 99);
    client.resource(missing).create();
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              ModelVersion got = get(MODEL + "-v99");
              assertThat(got.getStatus().phase).isEqualTo("Failed");
              assertThat(Conditions.find(got.getStatus().conditions, Conditions.READY).message)
                  .contains("spec.source.mlflow")
                  .contains("models:/" + MODEL + "/99");
            });
    assertThat(triton.modelReady(MODEL, v)).isTrue();
    assertThat(Fixtures.eventReasons(client, NS, MODEL + "-v99")).contains("LoadFailed");

    // a canary held at 10%: loaded next to v, and unloaded when its resource is deleted
    String canaryVersion = register(MODEL, 12);
    ModelVersion canary = rollout(MODEL + "-v" + canaryVersion, Integer.parseInt(canaryVersion));
    canary.getSpec().rollout.steps =
        new ArrayList<>(
            List.of(new ModelVersionSpec.Step(10, "1h"), new ModelVersionSpec.Step(100, null)));
    int c = canary.getSpec().version;
    client.resource(canary).create();
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              assertThat(get(canary.getMetadata().getName()).getStatus().phase).isEqualTo("Canary");
              assertThat(triton.modelReady(MODEL, c)).isTrue();
            });
    assertThat(triton.modelReady(MODEL, v)).isTrue();

    client.resource(get(canary.getMetadata().getName())).delete();
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              assertThat(get(canary.getMetadata().getName())).isNull();
              assertThat(triton.modelReady(MODEL, c)).isFalse();
            });
    // the promoted version is production: deleting its resource does not take it down
    client.resource(get(mv.getMetadata().getName())).delete();
    await().atMost(WAIT).until(() -> get(mv.getMetadata().getName()) == null);
    assertThat(triton.modelReady(MODEL, v)).isTrue();
  }

  /** Registers a tiny ranker in MLflow the way the trainers do (model/model.onnx of a run). */
  private static String register(String model, long seed) throws IOException {
    Path dir = Files.createTempDirectory("op-ranker");
    Path onnx = TinyModels.ranker(dir.resolve("model.onnx"), TinyModels.rankerWeights(seed));
    try (MlflowGateway mlflow = new MlflowGateway(TestEnv.mlflowUri(), Retry.DEFAULT)) {
      String experiment = mlflow.ensureExperiment("operator-triton-it");
      var run = mlflow.createRun(experiment, model, System.currentTimeMillis(), Map.of());
      mlflow.uploadArtifact(run.getArtifactUri(), "model", onnx);
      mlflow.ensureRegisteredModel(model);
      return mlflow.createModelVersion(
          model, run.getArtifactUri() + "/model", run.getRunId(), Map.of());
    }
  }

  private ModelVersion rollout(String name, int version) {
    ModelVersion mv = Fixtures.modelVersion(NS, name);
    mv.getSpec().model = MODEL;
    mv.getSpec().version = version;
    mv.getSpec().source.mlflow = "models:/" + MODEL + "/" + version;
    mv.getSpec().triton.instances = 1;
    mv.getSpec().rollout.steps = new ArrayList<>(List.of(new ModelVersionSpec.Step(100, null)));
    mv.getSpec().rollout.analysis.interval = "300ms";
    return mv;
  }

  private ModelVersion get(String name) {
    return client.resources(ModelVersion.class).inNamespace(NS).withName(name).get();
  }
}
