package io.liverec.serving.triton;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.liverec.serving.TinyModels;
import io.liverec.serving.repository.ModelRepositoryPublisher;
import io.liverec.serving.repository.ServingOptions;
import io.liverec.testenv.TestEnv;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
    int http = TritonServingIT.freePort();
    int grpc = TritonServingIT.freePort();
    int metrics = TritonServingIT.freePort();
    ProcessBuilder pb =
        new ProcessBuilder(
                TestEnv.value("LIVEREC_TRITONSERVER", "tritonserver"),
                "--model-repository=" + repo,
                "--model-control-mode=explicit",
                "--exit-timeout-secs=3",
                "--backend-directory="
                    + TestEnv.value("LIVEREC_TRITONSERVER_BACKENDS", "tritonserver"),
                "--http-address=127.0.0.1",
                "--http-port=" + http,
                "--grpc-address=127.0.0.1",
                "--grpc-port=" + grpc,
                "--metrics-address=127.0.0.1",
                "--metrics-port=" + metrics)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("triton.log").toFile());
    pb.environment()
        .put(
            "LD_LIBRARY_PATH",
            TestEnv.value("LIVEREC_TRITONSERVER_LD_LIBRARY_PATH", "tritonserver"));
    pb.environment()
        .put(
            "PATH",
            TestEnv.value("LIVEREC_TRITONSERVER_PATH", "tritonserver")
                + ":"
                + System.getenv("PATH"));
    Process server = pb.start();
    try (TritonHttpClient client =
        new TritonHttpClient(
            URI.create("http://127.0.0.1:" + http),
            Duration.ofSeconds(5),
            Duration.ofMinutes(2),
            new RetryPolicy(60, Duration.ofMillis(100), Duration.ofMillis(500)))) {
      assertThat(client.serverLive()).as("server started: " + dir.resolve("triton.log")).isTrue();
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
    } finally {
      server.destroy();
      if (!server.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
        server.destroyForcibly();
      }
    }
  }
}
