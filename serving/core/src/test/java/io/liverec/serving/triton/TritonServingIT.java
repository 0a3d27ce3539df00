package io.liverec.serving.triton;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.liverec.serving.TinyModels;
import io.liverec.serving.inference.BackendUnavailableException;
import io.liverec.serving.inference.DeadlineExceededException;
import io.liverec.serving.inference.InvalidInputException;
import io.liverec.serving.inference.ModelNotFoundException;
import io.liverec.serving.inference.Tensor;
import io.liverec.serving.onnx.OnnxRuntimeBackend;
import io.liverec.serving.repository.ModelRepositoryPublisher;
import io.liverec.serving.repository.ServingOptions;
import io.liverec.serving.triton.proto.ModelConfig;
import io.liverec.serving.triton.proto.ModelStatistics;
import io.liverec.serving.triton.proto.RepositoryIndexResponse;
import io.liverec.testenv.TestEnv;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Against the real tritonserver of {@code scripts/test-env.sh} (the nvidia-pytriton wheel's, Python
 * backend): two versions of a ranker and of a user tower published into its repository, loaded,
 * served over gRPC and HTTP and compared with the embedded ONNX Runtime backend; a broken version
 * fails to load with Triton's message and the serving versions stay up; unload.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TritonServingIT {
  private static final double TOLERANCE = 1e-5;
  private final String suffix = UUID.randomUUID().toString().substring(0, 8);
  private final String ranker = "ranker_" + suffix;
  private final String tower = "tower_" + suffix;
  private ModelRepositoryPublisher publisher;
  private TritonClient grpc;
  private TritonHttpClient http;
  private OnnxRuntimeBackend embedded;
  @TempDir static Path dir;

  @BeforeAll
  void publishAndLoad() {
    publisher = new ModelRepositoryPublisher(TestEnv.tritonRepository());
    ServingOptions python =
        ServingOptions.cpu(ServingOptions.Backend.PYTHON)
            .withInstances(1, false)
            .withVersionPolicy(ServingOptions.specific(1, 2));
    for (int v = 1; v <= 2; v++) {
      publisher.publish(
          ranker,
          v,
          TinyModels.ranker(dir.resolve("r" + v + ".onnx"), TinyModels.rankerWeights(v)),
          Map.of(),
          python);
      publisher.publish(
          tower,
          v,
          TinyModels.userTower(dir.resolve("t" + v + ".onnx"), TinyModels.towerWeights(v)),
          Map.of(),
          python);
    }
    grpc = TritonClient.connect(TestEnv.tritonGrpc());
    http = TritonHttpClient.connect(URI.create(TestEnv.tritonHttp()));
    embedded = new OnnxRuntimeBackend(TestEnv.tritonRepository(), 1);
    grpc.load(ranker, null);
    http.load(tower, null);
  }

  @AfterAll
  void unloadAndClose() {
    for (String m : List.of(ranker, tower)) {
      try {
        grpc.unload(m, false);
      } catch (RuntimeException e) {
        // already unloaded by a test
      }
    }
    grpc.close();
    embedded.close();
  }

  @Test
  void bothVersionsAreReadyAndDescribedAlikeOverGrpcAndHttp() {
    for (TritonApi api : List.<TritonApi>of(grpc, http)) {
      assertThat(api.serverLive()).isTrue();
      assertThat(api.serverReady()).isTrue();
      assertThat(api.serverMetadata().getExtensionsList()).contains("model_repository");
      for (String m : List.of(ranker, tower)) {
        assertThat(api.modelReady(m, 1)).as(m + "/1").isTrue();
        assertThat(api.modelReady(m, 2)).as(m + "/2").isTrue();
        assertThat(api.modelReady(m, 3)).as(m + "/3").isFalse();
      }
      assertThat(api.modelMetadata(ranker, 0).getVersionsList())
          .containsExactlyInAnyOrder("1", "2");
      var meta = api.modelMetadata(ranker, 2);
      assertThat(meta.getVersionsList()).containsExactly("2");
      assertThat(meta.getInputsList())
          .extracting(t -> t.getName() + ":" + t.getDatatype() + t.getShapeList())
          .containsExactly("sparse:INT64[-1, 3]", "dense:FP32[-1, 4]");
      assertThat(meta.getOutputsList())
          .extracting(t -> t.getName() + ":" + t.getDatatype() + t.getShapeList())
          .containsExactly("ctr:FP32[-1, 1]", "cvr:FP32[-1, 1]");
      ModelConfig config = api.modelConfig(tower, 0);
      assertThat(config.getBackend()).isEqualTo("python");
      assertThat(config.getVersionPolicy().getSpecific().getVersionsList()).containsExactly(1L, 2L);
      assertThat(config.getDynamicBatching().getPreferredBatchSizeList())
          .containsExactly(256, 1024);
      assertThat(api.repositoryIndex(true))
          .filteredOn(e -> e.getName().equals(ranker))
          .extracting(RepositoryIndexResponse.ModelIndex::getVersion)
          .containsExactlyInAnyOrder("1", "2");
    }
  }

  @Test
  void grpcHttpAndEmbeddedGiveTheSameOutputsPerVersion() {
    List<Tensor> rIn = TinyModels.rankerInputs(11, 33);
    List<Tensor> tIn = TinyModels.towerInputs(12, 33);
    for (int v = 1; v <= 2; v++) {
      Map<String, Tensor> expected = embedded.infer(ranker, v, rIn, List.of());
      float[][] java =
          TinyModels.rankerForward(
              TinyModels.rankerWeights(v), rIn.get(0).longs(), rIn.get(1).floats(), 33);
      assertThat(maxDiff(expected.get("ctr").floats(), java[0])).isLessThan(1e-6);
      assertSame(expected, grpc.infer(ranker, v, rIn, List.of()));
      assertSame(expected, http.infer(ranker, v, rIn, List.of()));
      Map<String, Tensor> tExpected = embedded.infer(tower, v, tIn, List.of());
      assertSame(tExpected, grpc.infer(tower, v, tIn, List.of()));
      assertSame(tExpected, http.infer(tower, v, tIn, List.of()));
    }
    // the two versions are different models: the comparison above could tell them apart
    assertThat(
            maxDiff(
                grpc.infer(ranker, 1, rIn, List.of()).get("ctr").floats(),
                grpc.infer(ranker, 2, rIn, List.of()).get("ctr").floats()))
        .isGreaterThan(1e-2);
    assertThat(grpc.infer(ranker, 2, rIn, List.of("cvr"))).containsOnlyKeys("cvr");
  }

  @Test
  void statisticsCountWhatWasServed() {
    long before = count(grpc.statistics(ranker, 1));
    grpc.infer(ranker, 1, TinyModels.rankerInputs(3, 4), List.of());
    grpc.infer(ranker, 1, TinyModels.rankerInputs(4, 2), List.of());
    assertThat(count(grpc.statistics(ranker, 1))).isEqualTo(before + 2);
    assertThat(count(http.statistics(ranker, 1))).isEqualTo(before + 2);
  }

  @Test
  void errorsAreTypedAndCarryTritonsMessage() {
    List<Tensor> in = TinyModels.rankerInputs(1, 2);
    assertThatThrownBy(() -> grpc.infer(ranker, 7, in, List.of()))
        .isInstanceOf(ModelNotFoundException.class)
        .satisfies(e -> assertThat(((ModelNotFoundException) e).serverMessage()).contains(ranker));
    assertThatThrownBy(() -> http.infer("no_such_model", 1, in, List.of()))
        .isInstanceOf(ModelNotFoundException.class);
    assertThatThrownBy(
            () ->
                grpc.infer(
                    ranker,
                    1,
                    List.of(in.get(0), Tensor.ofFloats("dense", new long[] {2, 3}, new float[6])),
                    List.of()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("dense");
    assertThatThrownBy(() -> grpc.infer(ranker, 1, in, List.of(), Duration.ofNanos(1)))
        .isInstanceOf(DeadlineExceededException.class);
    try (TritonClient closed =
        new TritonClient(
            "127.0.0.1:" + freePort(),
            Duration.ofSeconds(2),
            Duration.ofSeconds(2),
            new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(20)))) {
      assertThatThrownBy(closed::serverLive).isInstanceOf(BackendUnavailableException.class);
    }
  }

  @Test
  void aBrokenVersionFailsToLoadWithTritonsMessageAndTheServingVersionsStayUp() throws Exception {
    String model = "broken_" + suffix;
    ServingOptions python =
        ServingOptions.cpu(ServingOptions.Backend.PYTHON).withInstances(1, false);
    publisher.publish(
        model,
        1,
        TinyModels.ranker(dir.resolve("b1.onnx"), TinyModels.rankerWeights(1)),
        Map.of(),
        python.withVersionPolicy(ServingOptions.specific(1)));
    grpc.load(model, null);
    assertThat(grpc.modelReady(model, 1)).isTrue();
    // version 2: a valid ONNX file when published, corrupted on disk before the load
    publisher.publish(
        model,
        2,
        TinyModels.ranker(dir.resolve("b2.onnx"), TinyModels.rankerWeights(2)),
        Map.of(),
        python);
    Files.write(
        publisher.root().resolve(model).resolve("2").resolve("model.onnx"), new byte[] {1, 2, 3});
    ModelConfig both =
        publisher.config(model).orElseThrow().toBuilder()
            .setVersionPolicy(ServingOptions.specific(1, 2))
            .build();
    for (TritonApi api : List.<TritonApi>of(grpc, http)) {
      assertThatThrownBy(() -> api.load(model, both))
          .isInstanceOf(ModelLoadException.class)
          .satisfies(
              e ->
                  assertThat(((ModelLoadException) e).serverMessage())
                      .contains("load failed for model '" + model + "'")
                      .contains("version 2"));
      // the serving version is untouched and the server stays ready (--strict-readiness=false)
      assertThat(api.modelReady(model, 1)).isTrue();
      assertThat(api.modelReady(model, 2)).isFalse();
      assertThat(api.serverReady()).isTrue();
      assertThat(api.infer(model, 1, TinyModels.rankerInputs(2, 3), List.of())).containsKey("ctr");
    }
    assertThat(grpc.repositoryIndex(false))
        .filteredOn(e -> e.getName().equals(model) && e.getVersion().equals("2"))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getState()).isEqualTo("UNAVAILABLE");
              assertThat(e.getReason()).isNotBlank();
            });
    grpc.unload(model, false);
    assertThat(grpc.modelReady(model, 1)).isFalse();
    assertThatThrownBy(() -> grpc.infer(model, 1, TinyModels.rankerInputs(2, 3), List.of()))
        .isInstanceOf(ModelNotFoundException.class);
  }

  private static long count(List<ModelStatistics> stats) {
    return stats.stream().mapToLong(s -> s.getInferenceStats().getSuccess().getCount()).sum();
  }

  private static void assertSame(Map<String, Tensor> expected, Map<String, Tensor> actual) {
    assertThat(actual.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
    for (String name : expected.keySet()) {
      Tensor e = expected.get(name);
      Tensor a = actual.get(name);
      assertThat(a.type()).as(name).isEqualTo(e.type());
      assertThat(a.shape()).as(name).containsExactly(e.shape());
      assertThat(maxDiff(a.floats(), e.floats())).as(name).isLessThanOrEqualTo(TOLERANCE);
    }
  }

  static double maxDiff(float[] a, float[] b) {
    assertThat(a).hasSameSizeAs(b);
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs(a[i] - b[i]));
    }
    return m;
  }

  static int freePort() {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
