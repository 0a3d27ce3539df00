package io.liverec.featurestore;

import io.liverec.testenv.TestEnv;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real Feast Python SDK of the test virtualenv ({@code scripts/test-env.sh up}). */
public final class FeastPython {
  private FeastPython() {}

  public static Path python() {
    Path p =
        Path.of(TestEnv.require("LIVEREC_IT_FEAST_PYTHON", "Feast (Python SDK in .cache/venv)"));
    if (!Files.isExecutable(p)) {
      throw new AssertionError(p + " is missing; run `scripts/test-env.sh up`");
    }
    return p;
  }

  public static Path script() {
    return TestEnv.repoRoot().resolve("feature-store/src/test/python/feast_tool.py");
  }

  /** Runs {@code feast_tool.py args…}; returns stdout, fails with stderr on a non-zero exit. */
  public static String tool(String... args) {
    List<String> cmd = new ArrayList<>(List.of(python().toString(), script().toString()));
    cmd.addAll(List.of(args));
    return run(cmd);
  }

  /** Runs the {@code feast} CLI against a repository. */
  public static String cli(Path repo, String... args) {
    List<String> cmd =
        new ArrayList<>(
            List.of(python().resolveSibling("feast").toString(), "-c", repo.toString()));
    cmd.addAll(List.of(args));
    return run(cmd);
  }

  public static String run(List<String> cmd) {
    try {
      Path err = Files.createTempFile("feast-python", ".err");
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(err.toFile());
      pb.environment().put("TZ", "UTC");
      pb.environment().put("FEAST_USAGE", "False");
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(600, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("timed out: " + cmd);
      }
      String stderr = Files.readString(err);
      Files.deleteIfExists(err);
      if (p.exitValue() != 0) {
        throw new AssertionError(
            String.join(" ", cmd) + " exited " + p.exitValue() + ":\n" + stderr + "\n" + out);
      }
      return out;
    } catch (IOException e) {
      throw new AssertionError("cannot run " + cmd + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
