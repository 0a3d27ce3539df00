package io.liverec.featurestore.bench;

import io.liverec.featurestore.feast.FeastRepo;
import io.liverec.featurestore.server.FeatureServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The feature server in its own JVM, started as {@code manifests/base/feature-server.yaml} starts
 * it: {@link FeatureServer}'s main with the manifest's JVM flags and environment, on a free
 * loopback port. {@code -Dbench.serverJvmArgs="…"} adds flags (e.g. a JFR recording).
 */
final class ServerProcess implements AutoCloseable {
  /** The JVM flags of the manifest's container command. */
  static final List<String> MANIFEST_FLAGS = List.of("-XX:MaxRAMPercentage=75");

  private final Process process;
  private final int port;

  private ServerProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  static ServerProcess start(Path repo, Path dir) throws IOException, InterruptedException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(MANIFEST_FLAGS);
    cmd.add("-Djava.io.tmpdir=" + dir);
    String extra = System.getProperty("bench.serverJvmArgs", "").trim();
    if (!extra.isEmpty()) {
      cmd.addAll(List.of(extra.split("\\s+")));
    }
    cmd.addAll(
        List.of("-cp", System.getProperty("java.class.path"), FeatureServer.class.getName()));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put(FeastRepo.ENV_DIR, repo.toString());
    pb.environment().put(FeatureServer.ENV_HOST, "127.0.0.1");
    pb.environment().put(FeatureServer.ENV_PORT, Integer.toString(port));
    Path log = dir.resolve("feature-server.log");
    pb.redirectErrorStream(true).redirectOutput(log.toFile());
    Process p = pb.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (true) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
        return new ServerProcess(p, port);
      } catch (IOException notYet) {
        if (!p.isAlive() || System.nanoTime() > deadline) {
          p.destroyForcibly();
          throw new IllegalStateException(
              "the feature server process did not start: " + Files.readString(log));
        }
        Thread.sleep(200);
      }
    }
  }

  int port() {
    return port;
  }

  /** Stops the server (SIGTERM: its shutdown hook closes it, a JFR recording is written). */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
