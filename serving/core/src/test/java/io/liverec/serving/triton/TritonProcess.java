package io.liverec.serving.triton;

import io.liverec.testenv.TestEnv;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A tritonserver of a test's own (the test environment's binary and backends) on free loopback
 * ports, for tests that stop, freeze or reconfigure the server: the shared one of {@code
 * scripts/test-env.sh} must stay up for the other tests.
 */
public final class TritonProcess implements AutoCloseable {
  private final Process process;
  private final int http;
  private final int grpc;
  private final Path log;

  private TritonProcess(Process process, int http, int grpc, Path log) {
    this.process = process;
    this.http = http;
    this.grpc = grpc;
    this.log = log;
  }

  /**
   * Starts tritonserver in explicit model-control mode on {@code repository} and waits until it is
   * live (at most two minutes).
   *
   * @param strictReadiness Triton's default is {@code true}; LiveRec's deployments use {@code
   *     false}
   */
  public static TritonProcess start(Path repository, Path log, boolean strictReadiness)
      throws IOException {
    int http = freePort();
    int grpc = freePort();
    int metrics = freePort();
    ProcessBuilder pb =
        new ProcessBuilder(
                TestEnv.value("LIVEREC_TRITONSERVER", "tritonserver"),
                "--model-repository=" + repository,
                "--model-control-mode=explicit",
                "--strict-readiness=" + strictReadiness,
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
            .redirectOutput(log.toFile());
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
    TritonProcess t = new TritonProcess(pb.start(), http, grpc, log);
    try (TritonHttpClient client = t.httpClient()) {
      if (!client.serverLive()) {
        t.close();
        throw new IllegalStateException("tritonserver did not come up; see " + log);
      }
    } catch (RuntimeException e) {
      t.close();
      throw new IllegalStateException("tritonserver did not come up; see " + log, e);
    }
    return t;
  }

  /** An HTTP client that waits up to a minute for the server (repository calls, health). */
  public TritonHttpClient httpClient() {
    return new TritonHttpClient(
        java.net.URI.create("http://127.0.0.1:" + http),
        Duration.ofSeconds(5),
        Duration.ofMinutes(2),
        new RetryPolicy(120, Duration.ofMillis(100), Duration.ofMillis(500)));
  }

  /** {@code host:port} of the gRPC endpoint. */
  public String grpcTarget() {
    return "127.0.0.1:" + grpc;
  }

  public Path log() {
    return log;
  }

  /** Freezes the server (SIGSTOP): connections stay open, nothing answers. */
  public void freeze() {
    signal("STOP");
  }

  /** Resumes a frozen server (SIGCONT). */
  public void thaw() {
    signal("CONT");
  }

  private void signal(String name) {
    try {
      Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start();
      if (kill.waitFor() != 0) {
        throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Stops the server (SIGTERM, then SIGKILL after 30 s). */
  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    thaw(); // a frozen process does not handle SIGTERM
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
