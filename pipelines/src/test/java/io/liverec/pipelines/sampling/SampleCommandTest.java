package io.liverec.pipelines.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.liverec.api.errors.ExitCode;
import io.liverec.api.errors.LiverecException;
import io.liverec.pipelines.sim.Simulations;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code liverec sample -f run.yaml}: the TrainingRun's spec.data drives the sampler. */
class SampleCommandTest {
  @TempDir Path dir;

  @Test
  void readsSamplingLabelsAndWeightsFromATrainingRunAndLetsFlagsOverride() throws Exception {
    Path events = dir.resolve("events");
    Simulations.small(events, 8);
    Path yaml = dir.resolve("run.yaml");
    Files.writeString(
        yaml,
        """
        apiVersion: liverec.io/v1alpha1
        kind: TrainingRun
        metadata: {name: r1}
        spec:
          task: ranking
          data:
            events: file://%s
            to: "2026-01-01"
            sampling: {strategy: click-around, window: 1}
            labels: {conversionWatchSeconds: 60}
            weights: {gift: 3, flower: 1, watch: 0.5, asyncView: 0}
        """
            .formatted(events));
    Path out = dir.resolve("out");
    int code =
        new CommandLine(new SampleCommand())
            .execute("-f", yaml.toString(), "--out", out.toString());
    assertThat(code).isZero();
    SamplingReport r = SamplingReport.read(out);
    assertThat(r.strategy()).isEqualTo("click-around");
    assertThat(r.window()).isEqualTo(1);
    assertThat(r.conversionWatchSeconds()).isEqualTo(60);
    assertThat(r.weights()).containsEntry("gift", 3.0).containsEntry("watch", 0.5);
    assertThat(r.days()).containsExactly("2026-01-01");
    assertThat(r.byRule()).containsKey("dropped_outside_window");

    Path out2 = dir.resolve("out2");
    code =
        new CommandLine(new SampleCommand())
            .execute("-f", yaml.toString(), "--strategy", "skip-above", "--out", out2.toString());
    assertThat(code).isZero();
    assertThat(SamplingReport.read(out2).byRule()).containsKey("dropped_below_last_click");
  }

  @Test
  void sparkEngineWithoutSparkOnTheClassPathFailsWithExitCode2AndSaysHowToRunIt() {
    SampleCommand cmd = new SampleCommand();
    cmd.sparkProbeClass = "org.apache.spark.sql.NoSuchSparkSession";
    Path out = dir.resolve("out-spark");
    new CommandLine(cmd)
        .parseArgs(
            "--events",
            dir.resolve("events").toString(),
            "--engine",
            "spark",
            "--out",
            out.toString());
    assertThatThrownBy(cmd::call)
        .isInstanceOfSatisfying(
            LiverecException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.BAD_INPUT))
        .hasMessageContaining("io.liverec.pipelines.sampling.SparkSamplingMain")
        .hasMessageContaining("spark-submit")
        .hasMessageContaining("manifests/spark/sampling-sparkapplication.yaml");
    assertThat(out).doesNotExist();
    // with Spark on the class path (as in these tests) the check passes
    SampleCommand withSpark = new SampleCommand();
    assertThat(withSpark.sparkProbeClass).isEqualTo(SampleCommand.SPARK_PROBE_CLASS);
    withSpark.requireSpark();
  }

  @Test
  void anUnknownEngineIsAUsageError() {
    int code =
        new CommandLine(new SampleCommand())
            .execute("--events", dir.toString(), "--engine", "flink");
    assertThat(code).isEqualTo(CommandLine.ExitCode.USAGE);
  }
}
