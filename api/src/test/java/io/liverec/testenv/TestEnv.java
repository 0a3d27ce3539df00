package io.liverec.testenv;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Endpoints of the real servers that {@code scripts/test-env.sh up} started. Read from the
 * environment first, then from {@code .cache/test-env/endpoints.env}, so a test also runs from an
 * IDE once the servers are up. A missing server fails the test with the command that starts it; it
 * never skips silently.
 */
public final class TestEnv {
  private TestEnv() {}

  /** Repository root (set by the build as {@code liverec.repo.root}). */
  public static Path repoRoot() {
    String root = System.getProperty("liverec.repo.root");
    if (root != null) {
      return Path.of(root);
    }
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.exists(p.resolve("mvnw"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException("cannot find the repository root (no mvnw above cwd)");
    }
    return p;
  }

  /** The MLflow tracking server URI, e.g. {@code http://127.0.0.1:15000}. */
  public static String mlflowUri() {
    return require("LIVEREC_IT_MLFLOW_URI", "MLflow tracking server");
  }

  /**
   * The {@code mlflow} executable of the test virtualenv, for tests that start and stop a server of
   * their own (fault injection).
   */
  public static Path mlflowExecutable() {
    Path exe = repoRoot().resolve(".cache/venv/bin/mlflow");
    if (!Files.isExecutable(exe)) {
      throw new AssertionError(
          "MLflow is not installed for the tests ("
              + exe
              + " missing). Install it with `scripts/test-env.sh up`.");
    }
    return exe;
  }

  /** Triton's gRPC endpoint, {@code host:port}. */
  public static String tritonGrpc() {
    return require("LIVEREC_IT_TRITON_GRPC", "tritonserver");
  }

  /** Triton's HTTP endpoint, e.g. {@code http://127.0.0.1:18000}. */
  public static String tritonHttp() {
    return require("LIVEREC_IT_TRITON_HTTP", "tritonserver");
  }

  /** The model repository the test tritonserver serves (explicit model control). */
  public static Path tritonRepository() {
    return Path.of(require("LIVEREC_IT_TRITON_REPOSITORY", "tritonserver"));
  }

  /**
   * A test-env variable by name (e.g. {@code LIVEREC_TRITONSERVER}, the binary, for a test that
   * starts a server of its own), failing with the command to run when it is unset.
   */
  public static String value(String variable, String what) {
    return require(variable, what);
  }

  public static String require(String variable, String what) {
    String value = System.getenv(variable);
    if (value == null || value.isBlank()) {
      value = fromFile().get(variable);
    }
    if (value == null || value.isBlank()) {
      throw new AssertionError(
          what
              + " is not running for the integration tests ("
              + variable
              + " unset). Start it with `scripts/test-env.sh up`, or run the whole suite with"
              + " `scripts/test.sh`.");
    }
    return value;
  }

  private static Map<String, String> fromFile() {
    Path file = repoRoot().resolve(".cache/test-env/endpoints.env");
    Map<String, String> values = new HashMap<>();
    if (!Files.exists(file)) {
      return values;
    }
    try {
      for (String line : Files.readAllLines(file)) {
        int eq = line.indexOf('=');
        if (eq > 0 && !line.startsWith("#")) {
          values.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return values;
  }
}
