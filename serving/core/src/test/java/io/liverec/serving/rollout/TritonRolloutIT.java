package io.liverec.serving.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.liverec.api.v1alpha1.ModelVersionSpec;
import io.liverec.api.v1alpha1.ModelVersionStatus;
import io.liverec.serving.TinyModels;
import io.liverec.serving.repository.ModelRepositoryPublisher;
import io.liverec.serving.repository.ServingOptions;
import io.liverec.serving.triton.TritonClient;
import io.liverec.serving.triton.proto.ModelConfig;
import io.liverec.serving.triton.proto.RepositoryIndexResponse;
import io.liverec.testenv.TestEnv;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rollout phase machine (the one the ModelVersion reconciler and the embedded CLI run) on the
 * real tritonserver of {@code scripts/test-env.sh}: versions published from export directories into
 * its repository, loaded through the repository API, served side by side during a canary; a version
 * Triton cannot load ends {@code Failed} with Triton's message while the serving versions keep
 * answering; withdrawing a canary unloads it and leaves the stable version up.
 */
class TritonRolloutIT {
  private static final Duration DEADLINE = Duration.ofMinutes(3);
  @TempDir Path dir;
  private final String model = "rollout_" + UUID.randomUUID().toString().substring(0, 8);
  private final ModelRepositoryPublisher publisher =
      new ModelRepositoryPublisher(TestEnv.tritonRepository());
  private final TritonClient triton = TritonClient.connect(TestEnv.tritonGrpc());
  private final TritonInferenceServer server = new TritonInferenceServer(triton, publisher);
  private final InProcessTrafficRouter router = new InProcessTrafficRouter();
  private final Rollout rollout =
      new Rollout(
          new TritonModelRepository(
              publisher,
              ServingOptions.cpu(ServingOptions.Backend.PYTHON),
              TritonModelRepository.SourceResolver.LOCAL_ONLY),
          server,
          router,
          new ObservedMetricsAnalysis((m, v) -> Map.of("p99LatencyMs", 5.0)));

  @AfterEach
  void unload() {
    try {
      triton.unload(model, false);
    } finally {
      server.close();
      triton.close();
    }
  }

  @Test
  void stableAndCanaryServeSideBySideAndABrokenVersionFailsWithoutTakingThemDown()
      throws Exception {
    // v1: an export directory (model.onnx + the feature transform) rolled out to promotion
    Path v1 = Files.createDirectories(dir.resolve("export-1"));
    TinyModels.ranker(v1.resolve("model.onnx"), TinyModels.rankerWeights(1));
    Files.writeString(v1.resolve("transform.json"), "{\"fields\":3}");
    ModelVersionStatus st1 = new ModelVersionStatus();
    driveUntil(spec(1, v1.toUri().toString()), st1, Rollout.PROMOTED);
    assertThat(triton.modelReady(model, 1)).isTrue();
    assertThat(publisher.root().resolve(model + "/1/transform.json")).exists();
    ModelConfig config = triton.modelConfig(model, 1);
    assertThat(config.getInstanceGroup(0).getCount()).as("spec.triton.instances").isEqualTo(1);
    assertThat(config.getMaxBatchSize()).as("spec.triton.maxBatchSize").isEqualTo(64);
    assertThat(config.getDynamicBatching().getPreferredBatchSizeList()).allMatch(b -> b <= 64);

    // v2: an ONNX file; while its canary runs both versions are loaded and answer
    Path v2 = TinyModels.ranker(dir.resolve("v2.onnx"), TinyModels.rankerWeights(2));
    ModelVersionStatus st2 = new ModelVersionStatus();
    driveUntil(spec(2, v2.toString()), st2, Rollout.CANARY);
    assertThat(triton.modelReady(model, 1)).isTrue();
    assertThat(triton.modelReady(model, 2)).isTrue();
    var in = TinyModels.rankerInputs(3, 4);
    assertThat(triton.infer(model, 1, in, List.of()).get("ctr").floats())
        .isNotEqualTo(triton.infer(model, 2, in, List.of()).get("ctr").floats());

    // v3 is in the repository (published earlier, corrupted on disk since): Triton cannot load it
    Path v3 = TinyModels.ranker(dir.resolve("v3.onnx"), TinyModels.rankerWeights(3));
    publisher.publish(
        model,
        3,
        v3,
        Map.of(),
        ServingOptions.cpu(ServingOptions.Backend.PYTHON)
            .withBatching(64, true)
            .withInstances(1, false));
    Files.write(publisher.root().resolve(model + "/3/model.onnx"), new byte[] {1, 2, 3});
    ModelVersionStatus st3 = new ModelVersionStatus();
    driveUntil(spec(3, v3.toString()), st3, Rollout.FAILED);
    assertThat(st3.message)
        .contains("could not load " + model + "/3")
        .contains("load failed for model '" + model + "'");
    assertThat(triton.modelReady(model, 1)).as("stable survives a failed load").isTrue();
    assertThat(triton.modelReady(model, 2)).as("canary survives a failed load").isTrue();
    assertThat(triton.infer(model, 1, in, List.of())).containsKey("ctr");
    assertThat(publisher.versions(model))
        .as("the failed version is withdrawn")
        .containsExactly(1, 2);

    // v4 has the model's tensors but an operator no runtime has: refused before Triton sees it
    Path v4 = TinyModels.unrunnableRanker(dir.resolve("v4.onnx"));
    ModelVersionStatus st4 = new ModelVersionStatus();
    driveUntil(spec(4, v4.toString()), st4, Rollout.FAILED);
    assertThat(st4.message).contains("LiveRecNoSuchOperator");
    assertThat(publisher.versions(model)).containsExactly(1, 2);
    assertThat(server.serving(model)).containsExactly(1, 2);

    // deleting the canary's resource withdraws it: unloaded, removed, v1 still serving
    rollout.cleanup(spec(2, v2.toString()), st2);
    assertThat(triton.modelReady(model, 2)).isFalse();
    assertThat(triton.modelReady(model, 1)).isTrue();
    assertThat(publisher.versions(model)).containsExactly(1);
    assertThat(server.serving(model)).containsExactly(1);
  }

  @Test
  void anUnloadedVersionIsAbsentNotFailed() throws Exception {
    ServingOptions options =
        ServingOptions.cpu(ServingOptions.Backend.PYTHON)
            .withBatching(64, true)
            .withInstances(1, false);
    for (int v = 1; v <= 2; v++) {
      Path onnx = TinyModels.ranker(dir.resolve("u" + v + ".onnx"), TinyModels.rankerWeights(v));
      publisher.publish(model, v, onnx, Map.of(), options);
      server.load(model, v);
      awaitState(v, InferenceServerControl.LoadState.READY);
    }
    assertThat(server.serving(model)).containsExactly(1, 2);

    // a retired version: Triton keeps it in its index as UNAVAILABLE, reason "unloaded"
    server.unload(model, 2);
    RepositoryIndexResponse.ModelIndex retired = unloaded(2);
    assertThat(retired.getState()).isEqualTo("UNAVAILABLE");
    assertThat(retired.getReason()).isEqualTo(TritonInferenceServer.UNLOADED);
    assertThat(server.state(model, 2)).isEqualTo(InferenceServerControl.LoadState.ABSENT);
    assertThat(server.failure(model, 2)).isEmpty();
    assertThat(server.state(model, 1)).isEqualTo(InferenceServerControl.LoadState.READY);

    // the last version unloaded with its model: absent as well
    server.unload(model, 1);
    assertThat(unloaded(1).getReason()).isEqualTo(TritonInferenceServer.UNLOADED);
    assertThat(server.state(model, 1)).isEqualTo(InferenceServerControl.LoadState.ABSENT);
    assertThat(server.failure(model, 1)).isEmpty();

    // a version Triton could not load is still a failure, with Triton's reason
    Files.write(publisher.root().resolve(model + "/2/model.onnx"), new byte[] {1, 2, 3});
    server.load(model, 2);
    awaitState(2, InferenceServerControl.LoadState.FAILED);
    assertThat(server.failure(model, 2)).hasValueSatisfying(m -> assertThat(m).isNotBlank());
  }

  private void awaitState(int version, InferenceServerControl.LoadState want)
      throws InterruptedException {
    Instant end = Instant.now().plus(DEADLINE);
    while (server.state(model, version) != want) {
      assertThat(server.state(model, version))
          .as(model + "/" + version + " on the way to " + want)
          .isIn(InferenceServerControl.LoadState.LOADING, InferenceServerControl.LoadState.ABSENT);
      assertThat(Instant.now()).as(model + "/" + version + " " + want).isBefore(end);
      Thread.sleep(100);
    }
  }

  /** The index entry of a version being unloaded, once Triton is done (UNLOADING is absent too). */
  private RepositoryIndexResponse.ModelIndex unloaded(int version) throws InterruptedException {
    Instant end = Instant.now().plus(DEADLINE);
    RepositoryIndexResponse.ModelIndex m = indexEntry(version);
    while ("UNLOADING".equals(m.getState())) {
      assertThat(server.state(model, version)).isEqualTo(InferenceServerControl.LoadState.ABSENT);
      assertThat(Instant.now()).as(model + "/" + version + " unloaded").isBefore(end);
      Thread.sleep(50);
      m = indexEntry(version);
    }
    return m;
  }

  private RepositoryIndexResponse.ModelIndex indexEntry(int version) {
    return triton.repositoryIndex(false).stream()
        .filter(m -> m.getName().equals(model) && m.getVersion().equals(Integer.toString(version)))
        .findFirst()
        .orElseThrow(() -> new AssertionError(model + "/" + version + " not in Triton's index"));
  }

  @Test
  void aSourceThatIsNotThereFailsNamingTheField() {
    ModelVersionStatus st = new ModelVersionStatus();
    rollout.reconcile(spec(1, dir.resolve("missing").toString()), st, 1, Instant.now());
    assertThat(st.phase).isEqualTo(Rollout.FAILED);
    assertThat(st.message).startsWith("spec.source.uri: ").contains("does not exist");
    assertThat(publisher.versions(model)).isEmpty();
  }

  private void driveUntil(ModelVersionSpec spec, ModelVersionStatus st, String phase)
      throws InterruptedException {
    Instant end = Instant.now().plus(DEADLINE);
    Instant clock = Instant.now();
    while (!phase.equals(st.phase)) {
      assertThat(Instant.now()).as("reached " + phase + ", at " + st.phase).isBefore(end);
      assertThat(Rollout.isTerminal(st.phase) && !phase.equals(st.phase))
          .as("ended " + st.phase + " (" + st.message + ") instead of " + phase)
          .isFalse();
      Rollout.Outcome o = rollout.reconcile(spec, st, 1, clock);
      Duration wait = o.requeueAfter().orElse(Duration.ZERO);
      if (Rollout.LOADING.equals(st.phase)) {
        Thread.sleep(Math.min(200, Math.max(20, wait.toMillis()))); // Triton works in real time
      }
      clock = clock.plus(wait); // canary pauses pass on the rollout's clock
    }
  }

  private ModelVersionSpec spec(int version, String uri) {
    ModelVersionSpec spec = new ModelVersionSpec();
    spec.model = model;
    spec.version = version;
    spec.source.uri = uri;
    spec.triton.maxBatchSize = 64;
    spec.triton.instances = 1;
    spec.rollout.steps = new ArrayList<>(List.of(new ModelVersionSpec.Step(20, "2m")));
    spec.rollout.analysis.interval = "1m";
    spec.rollout.analysis.metrics =
        List.of(new ModelVersionSpec.Metric("p99LatencyMs", null, 15.0));
    return spec;
  }
}
