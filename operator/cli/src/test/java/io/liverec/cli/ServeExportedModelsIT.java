package io.liverec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.liverec.serving.inference.DataType;
import io.liverec.serving.inference.Tensor;
import io.liverec.serving.onnx.OnnxRuntimeBackend;
import io.liverec.serving.repository.ModelRepositoryPublisher;
import io.liverec.serving.repository.ModelSignature;
import io.liverec.serving.repository.ServingOptions;
import io.liverec.serving.repository.TritonModelConfig;
import io.liverec.serving.triton.TritonApi;
import io.liverec.serving.triton.TritonClient;
import io.liverec.serving.triton.TritonHttpClient;
import io.liverec.testenv.TestEnv;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real exports served by the real tritonserver: a tiny world simulated and a ranker and a
 * two-tower recall model trained through the CLI's public commands, their ONNX files published into
 * the test server's repository (Python backend: the wheel's server has no onnxruntime backend),
 * loaded, and served over gRPC and HTTP exactly as the embedded ONNX Runtime backend serves them
 * (max |Δ| ≤ 1e-5).
 */
class ServeExportedModelsIT {
  @TempDir Path tmp;

  @Test
  void theExportedRankerAndUserTowerServeTheSameOnTritonAsEmbedded() throws Exception {
    TinyWorld world = TinyWorld.train(tmp, "it", 1);
    Path rankerRun = world.rankerRun();
    Path recallRun = world.recallRun();

    String suffix = UUID.randomUUID().toString().substring(0, 8);
    String ranker = "it_ranker_" + suffix;
    String tower = "it_tower_" + suffix;
    ModelRepositoryPublisher publisher = new ModelRepositoryPublisher(TestEnv.tritonRepository());
    ServingOptions python =
        ServingOptions.cpu(ServingOptions.Backend.PYTHON)
            .withInstances(1, false)
            .withVersionPolicy(ServingOptions.specific(1));
    Path rankerOnnx = rankerRun.resolve("model.onnx");
    Path towerOnnx = recallRun.resolve("user_tower.onnx");
    publisher.publish(
        ranker,
        1,
        rankerOnnx,
        Map.of("transform.json", rankerRun.resolve("transform.json")),
        python);
    publisher.publish(tower, 1, towerOnnx, Map.of(), python);
    // the onnxruntime-backend config a GPU/NGC Triton would get serves the very same tensors
    assertThat(
            TritonModelConfig.signatureDifference(
                publisher.config(ranker).orElseThrow().toBuilder()
                    .setBackend("onnxruntime")
                    .build(),
                TritonModelConfig.of(
                    ranker,
                    ModelSignature.read(rankerOnnx),
                    ServingOptions.cpu(ServingOptions.Backend.ONNXRUNTIME))))
        .isEmpty();

    try (TritonClient grpc = TritonClient.connect(TestEnv.tritonGrpc());
        TritonHttpClient http = TritonHttpClient.connect(URI.create(TestEnv.tritonHttp()));
        OnnxRuntimeBackend embedded = new OnnxRuntimeBackend(TestEnv.tritonRepository(), 1)) {
      grpc.load(ranker, null);
      grpc.load(tower, null);
      try {
        assertThat(grpc.modelReady(ranker, 1)).isTrue();
        assertThat(grpc.modelReady(tower, 1)).isTrue();
        List<Tensor> rIn = inputs(rankerOnnx, 64, 1);
        List<Tensor> tIn = inputs(towerOnnx, 64, 2);
        Map<String, Tensor> rExpected = embedded.infer(ranker, 1, rIn, List.of());
        assertThat(rExpected).containsKeys("ctr", "cvr", "ctcvr");
        Map<String, Tensor> tExpected = embedded.infer(tower, 1, tIn, List.of());
        assertThat(tExpected).containsOnlyKeys("user_vector");
        for (TritonApi api : List.<TritonApi>of(grpc, http)) {
          assertClose(rExpected, api.infer(ranker, 1, rIn, List.of()));
          assertClose(tExpected, api.infer(tower, 1, tIn, List.of()));
        }
      } finally {
        grpc.unload(ranker, false);
        grpc.unload(tower, false);
      }
      assertThat(grpc.modelReady(ranker, 1)).isFalse();
    }
  }

  /** Rows of valid inputs: ids 0..2 (every embedding table has them), dense values ~ N(0, 1). */
  private static List<Tensor> inputs(Path onnx, int rows, long seed) {
    Random r = new Random(seed);
    List<Tensor> in = new ArrayList<>();
    for (ModelSignature.Port p : ModelSignature.read(onnx).inputs()) {
      long[] shape = p.shape().clone();
      shape[0] = rows;
      int n = 1;
      for (long d : shape) {
        n *= (int) d;
      }
      if (p.type() == DataType.INT64) {
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
          v[i] = r.nextInt(3);
        }
        in.add(Tensor.ofLongs(p.name(), shape, v));
      } else {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
          v[i] = (float) r.nextGaussian();
        }
        in.add(Tensor.ofFloats(p.name(), shape, v));
      }
    }
    return in;
  }

  private static void assertClose(Map<String, Tensor> expected, Map<String, Tensor> actual) {
    assertThat(actual.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
    for (String name : expected.keySet()) {
      assertThat(actual.get(name).shape()).as(name).containsExactly(expected.get(name).shape());
      float[] e = expected.get(name).floats();
      float[] a = actual.get(name).floats();
      double max = 0;
      for (int i = 0; i < e.length; i++) {
        max = Math.max(max, Math.abs(e[i] - a[i]));
      }
      assertThat(max).as(name).isLessThanOrEqualTo(1e-5);
    }
  }
}
