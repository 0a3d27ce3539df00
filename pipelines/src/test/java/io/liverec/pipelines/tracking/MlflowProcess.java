package io.liverec.pipelines.tracking;

import io.liverec.testenv.TestEnv;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real MLflow server owned by one test, so the test can stop it mid-run and start it again on the
 * same store (fault injection). Uses the virtualenv that {@code scripts/test-env.sh} installs.
 */
final class MlflowProcess implements AutoCloseable {
  private final Path dir;
  private final int port;
  private Process process;

  MlflowProcess(Path dir) throws IOException {
    this.dir = dir;
    try (ServerSocket s = new ServerSocket(0)) {
      this.port = s.getLocalPort();
    }
  }

  String uri() {
    return "http://127.0.0.1:" + port;
  }

  void start() throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(
                List.of(
                    TestEnv.mlflowExecutable().toString(),
                    "server",
                    "--backend-store-uri",
                    "sqlite:///" + dir.resolve("mlflow.db"),
                    "--artifacts-destination",
                    dir.resolve("artifacts").toString(),
                    "--serve-artifacts",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    Integer.toString(port),
                    "--workers",
                    "1"))
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("server.log").toFile());
    process = pb.start();
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError("mlflow server exited; see " + dir.resolve("server.log"));
      }
      try {
        HttpResponse<Void> r =
            http.send(
                HttpRequest.newBuilder(URI.create(uri() + "/health")).build(),
                HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // still starting
      }
      Thread.sleep(250);
    }
    throw new AssertionError("mlflow server not ready in 90 s; see " + dir.resolve("server.log"));
  }

  void stop() throws InterruptedException {
    if (process == null) {
      return;
    }
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    process.waitFor();
    process = null;
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }
}
