package io.liverec.serving.triton;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.liverec.serving.TinyModels;
import io.liverec.serving.repository.ModelRepositoryPublisher;
import io.liverec.serving.repository.ServingOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Why LiveRec judges readiness per model version and runs Triton with {@code
 * --strict-readiness=false}: a second real tritonserver, started here with Triton's default
 * (strict) readiness, reports the whole server not ready after one version fails to load, although
 * the serving version is still ready and answering.
 */
class StrictReadinessIT {
  @TempDir Path dir;

  @Test
  void withStrictReadinessOneFailedVersionMakesTheServerNotReady() throws Exception {
    Path repo = dir.resolve("repository");
    ModelRepositoryPublisher p = new ModelRepositoryPublisher(repo);
    ServingOptions python =
        ServingOptions.cpu(ServingOptions.Backend.PYTHON)
            .withInstances(1, false)
            .withVersionPolicy(ServingOptions.specific(1, 2));
    p.publish(
        "m",
        1,
        TinyModels.ranker(dir.resolve("1.onnx"), TinyModels.rankerWeights(1)),
        Map.of(),
        python);
    p.publish(
        "m",
        2,
        TinyModels.ranker(dir.resolve("2.onnx"), TinyModels.rankerWeights(2)),
        Map.of(),
        python);
    Files.write(repo.resolve("m/2/model.onnx"), new byte[] {0});
    try (TritonProcess server = TritonProcess.start(repo, dir.resolve("triton.log"), true);
        TritonHttpClient client = server.httpClient()) {
      assertThat(client.serverReady()).isTrue();
      // as a rollout does: the stable version first, then stable + canary
      client.load(
          "m",
          p.config("m").orElseThrow().toBuilder()
              .setVersionPolicy(ServingOptions.specific(1))
              .build());
      assertThat(client.serverReady()).isTrue();
      assertThatThrownBy(() -> client.load("m", null)).isInstanceOf(ModelLoadException.class);
      assertThat(client.modelReady("m", 1)).isTrue();
      assertThat(client.infer("m", 1, TinyModels.rankerInputs(1, 2), List.of())).containsKey("ctr");
      assertThat(client.serverReady())
          .as("strict readiness: the failed version 2 counts")
          .isFalse();
    }
  }
}
