package io.liverec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.liverec.registry.MlflowGateway;
import io.liverec.registry.Retry;
import io.liverec.testenv.TestEnv;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Embedded rollouts ({@code liverec run -f modelversion.yaml}) keep MLflow's champion alias in
 * step: a completed rollout makes the version champion; a rolled-back one that CI had already
 * promoted hands the alias back to the previous champion.
 */
class RolloutChampionIT {
  @TempDir Path tmp;
  String uri;
  String model;
  MlflowGateway mlflow;

  @BeforeEach
  void registerThreeVersions() {
    uri = TestEnv.mlflowUri();
    mlflow = new MlflowGateway(uri, Retry.DEFAULT);
    model = "it-rollout-" + UUID.randomUUID();
    String experiment = mlflow.ensureExperiment("it-rollout");
    mlflow.ensureRegisteredModel(model);
    for (int i = 0; i < 3; i++) {
      var run = mlflow.createRun(experiment, "r" + i, System.currentTimeMillis(), Map.of());
      mlflow.createModelVersion(model, run.getArtifactUri() + "/model", run.getRunId(), Map.of());
    }
  }

  private Path modelVersion(int version) throws Exception {
    Path f = tmp.resolve("mv-" + version + ".yaml");
    Files.writeString(
        f,
        String.join(
            "\n",
            "apiVersion: liverec.io/v1alpha1",
            "kind: ModelVersion",
            "metadata: {name: ranker-v" + version + "}",
            "spec:",
            "  model: " + model,
            "  version: " + version,
            "  source: {mlflow: \"models:/" + model + "/" + version + "\"}",
            "  rollout:",
            "    steps: [{weight: 10}, {weight: 100}]",
            "    analysis:",
            "      interval: 1m",
            "      failureLimit: 0",
            "      metrics:",
            "        - {name: p99LatencyMs, max: 15}",
            "        - {name: errorRate, max: 0.001}",
            ""));
    return f;
  }

  private String lastOutput = "";

  private int run(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    CommandLine cli = Main.commandLine();
    StringWriter out = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(out, true));
    int code = cli.execute(all.toArray(String[]::new));
    lastOutput = out.toString();
    return code;
  }

  private Optional<String> champion() {
    return mlflow.versionByAlias(model, "champion").map(MlflowGateway.VersionInfo::version);
  }

  @Test
  void completedRolloutMakesChampionAndRollbackRestoresIt() throws Exception {
    int ok =
        run(
            "run",
            "-f",
            modelVersion(1).toString(),
            "--tracking-uri",
            uri,
            "--work-dir",
            tmp.resolve("w").toString(),
            "--metric",
            "p99LatencyMs=9",
            "--metric",
            "errorRate=0.0001");
    assertThat(ok).as(lastOutput).isZero();
    assertThat(champion()).contains("1");

    // A healthy rollout of v2 takes over.
    assertThat(
            run(
                "run",
                "-f",
                modelVersion(2).toString(),
                "--tracking-uri",
                uri,
                "--metric",
                "p99LatencyMs=9",
                "--metric",
                "errorRate=0.0001"))
        .isZero();
    assertThat(champion()).contains("2");

    // CI promotes v3 before its rollout; the canary is too slow and rolls back.
    assertThat(run("promote", "--tracking-uri", uri, "--model", model, "--version", "3")).isZero();
    assertThat(champion()).contains("3");
    int rolledBack =
        run(
            "run",
            "-f",
            modelVersion(3).toString(),
            "--tracking-uri",
            uri,
            "--metric",
            "p99LatencyMs=40",
            "--metric",
            "errorRate=0.0001");
    assertThat(rolledBack).isEqualTo(3);
    assertThat(champion()).contains("2");
  }
}
