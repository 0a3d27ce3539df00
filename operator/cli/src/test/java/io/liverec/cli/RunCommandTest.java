package io.liverec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.liverec.testenv.TestEnv;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class RunCommandTest {
  static final Path SAMPLES = TestEnv.repoRoot().resolve("manifests/samples");

  @TempDir Path tmp;

  private record Result(int code, String out, String err) {}

  private static Result run(String... args) {
    CommandLine cli = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  void featureViewIsRegisteredInTheLocalRegistry() throws Exception {
    Path registry = tmp.resolve("registry");
    Result r =
        run(
            "run",
            "-f",
            SAMPLES.resolve("featureview-user-profile.yaml").toString(),
            "--registry-dir",
            registry.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("registered FeatureView liverec/user-profile as version 1");
    // a Feast repository: the one materialize and the feature server read
    assertThat(registry.resolve("registry.db")).exists();
    assertThat(registry.resolve("feature_store.yaml")).exists();
    // same definition again: same version
    r =
        run(
            "run",
            "-f",
            SAMPLES.resolve("featureview-user-profile.yaml").toString(),
            "--registry-dir",
            registry.toString());
    assertThat(r.out()).contains("as version 1");
  }

  @Test
  void modelVersionWalksTheCanaryOnAVirtualClock() {
    String mv = SAMPLES.resolve("modelversion-live-ranker.yaml").toString();
    Result ok =
        run(
            "run",
            "-f",
            mv,
            "--metric",
            "p99LatencyMs=11",
            "--metric",
            "errorRate=0.0002",
            "--metric",
            "ctrLift=0.004");
    assertThat(ok.code()).as(ok.err()).isZero();
    assertThat(ok.out())
        .contains("CanaryStepStarted", "canary step 3: 100%", "Promoted", "traffic 100%");
    // the 10m pause of step 0 is honoured on the virtual clock
    assertThat(ok.out())
        .containsPattern("\\+10m0s\\s+Canary\\s+CanaryStepStarted\\s+canary step 1");

    Result slow =
        run(
            "run",
            "-f",
            mv,
            "--metric",
            "p99LatencyMs=30",
            "--metric",
            "errorRate=0.0002",
            "--metric",
            "ctrLift=0.004");
    assertThat(slow.code()).isEqualTo(3);
    assertThat(slow.out()).contains("AnalysisFailed", "RolledBack");

    Result noData = run("run", "-f", mv);
    assertThat(noData.code()).isEqualTo(2);
    assertThat(noData.err())
        .contains("holds at canary step 0")
        .contains("no data for p99LatencyMs");
  }

  @Test
  void invalidResourceExitsTwoNamingTheField() throws Exception {
    String yaml =
        Files.readString(SAMPLES.resolve("modelversion-live-ranker.yaml"))
            .replace("- {weight: 50}", "- {weight: 20}");
    Path bad = tmp.resolve("bad.yaml");
    Files.writeString(bad, yaml);
    Result r = run("run", "-f", bad.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err())
        .contains("bad.yaml: ModelVersion live-ranker-v7 is invalid")
        .contains("spec.rollout.steps: rollout step weights must be strictly increasing");

    Result missing = run("run", "-f", tmp.resolve("nope.yaml").toString());
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).contains("nope.yaml: no such file");
  }

  @Test
  void trainingRunWithoutATrainerIsValidatedThenReportedAsNotYetAvailable() {
    var saved = RunCommand.runners;
    RunCommand.runners = java.util.Optional::empty;
    try {
      Result r = run("run", "-f", SAMPLES.resolve("trainingrun-ranking.yaml").toString());
      assertThat(r.out()).contains("TrainingRun live-ranker-daily is valid");
      assertThat(r.code()).isEqualTo(2);
      assertThat(r.err()).contains("training is not yet available in embedded mode");
    } finally {
      RunCommand.runners = saved;
    }
  }

  @Test
  void aScheduledTrainingRunIsNotTrainedEmbeddedAndSaysWhatToDo() {
    Result r = run("run", "-f", SAMPLES.resolve("trainingrun-ranking-scheduled.yaml").toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err())
        .contains("spec.schedule: TrainingRun live-ranker-nightly is a schedule")
        .contains("set spec.data.from/to");
  }

  @Test
  void trainingRunIsHandedToTheTrainerAndItsResultWritten() throws Exception {
    var saved = RunCommand.runners;
    java.util.List<String> seen = new java.util.ArrayList<>();
    RunCommand.runners =
        () ->
            java.util.Optional.of(
                (run, dir) -> {
                  seen.add(run.getSpec().model.multitask.gradientSurgery + "@" + dir.getFileName());
                  io.liverec.api.run.TrainingResult res = new io.liverec.api.run.TrainingResult();
                  res.metrics.put("ctcvr_auc", 0.75);
                  res.mlflowRunId = "run-1";
                  return res;
                });
    try {
      Path out = tmp.resolve("termination-log");
      Result r =
          run(
              "run",
              "-f",
              SAMPLES.resolve("trainingrun-ranking.yaml").toString(),
              "--work-dir",
              tmp.toString(),
              "--result",
              out.toString());
      assertThat(r.code()).as(r.err()).isZero();
      assertThat(seen).containsExactly("pcgrad@live-ranker-daily");
      assertThat(io.liverec.api.run.TrainingResult.fromJson(Files.readString(out)).metrics)
          .containsEntry("ctcvr_auc", 0.75);
    } finally {
      RunCommand.runners = saved;
    }
  }
}
