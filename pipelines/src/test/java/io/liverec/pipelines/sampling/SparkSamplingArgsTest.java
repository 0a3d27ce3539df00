package io.liverec.pipelines.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import io.liverec.api.run.SparkSamplingArgs;
import io.liverec.api.v1alpha1.DataSpec;
import io.liverec.api.v1alpha1.TrainingRunSpec;
import io.liverec.pipelines.featureviews.FeatureSnapshots;
import io.liverec.pipelines.sim.Simulations;
import io.liverec.pipelines.train.RankingTrainer;
import io.liverec.pipelines.train.RunLayout;
import io.liverec.pipelines.train.TrainingInputs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line the operator gives the SparkApplication of a {@code spec.data.engine: spark} run
 * ({@link SparkSamplingArgs}) is one {@link SparkSamplingMain} reads back into the same sampling
 * rules, and run in local mode with exactly those arguments it leaves, in the trainer's run
 * directory, the samples and their point-in-time join that the trainer then trains on as they are.
 */
class SparkSamplingArgsTest {
  @TempDir Path dir;

  private static DataSpec data() {
    DataSpec d = new DataSpec();
    d.sampling.strategy = DataSpec.Strategy.CLICK_AROUND;
    d.sampling.window = 3;
    d.labels.conversionWatchSeconds = 45;
    d.weights.gift = 4.0;
    d.weights.flower = 1.5;
    d.weights.watch = 0.75;
    d.weights.asyncView = 0.25;
    d.featureViews =
        new ArrayList<>(List.of(FeatureSnapshots.ROOM_REALTIME, FeatureSnapshots.USER_ACTIVITY));
    return d;
  }

  @Test
  void theOperatorsArgumentsParseIntoTheSpecsSamplingRules() {
    DataSpec d = data();
    d.from = "2026-01-02";
    d.to = "2026-01-09";
    d.sampling.strategy = DataSpec.Strategy.SKIP_ABOVE;
    d.sampling.noClick = DataSpec.NoClickPolicy.KEEP_TOP_K;
    d.sampling.noClickTopK = 4;
    List<String> args = SparkSamplingArgs.of(d, "s3a://bucket/events", "file:///runs/x");
    Map<String, String> parsed = SparkSamplingMain.parse(args.toArray(String[]::new));
    assertThat(SparkSamplingMain.options(parsed)).isEqualTo(SamplingOptions.from(d));
    assertThat(parsed)
        .containsEntry("--events", "s3a://bucket/events")
        .containsEntry("--out", "file:///runs/x")
        .containsEntry("--feature-views", "room-realtime,user-activity");
    // and the defaults of an empty spec are the main class's defaults
    Map<String, String> empty =
        SparkSamplingMain.parse(
            SparkSamplingArgs.of(new DataSpec(), "/e", "/o").toArray(String[]::new));
    assertThat(SparkSamplingMain.options(empty)).isEqualTo(SamplingOptions.defaults());
    assertThat(empty).doesNotContainKeys("--feature-views", "--from", "--to");
    assertThat(SparkSamplingArgs.MAIN_CLASS).isEqualTo(SparkSamplingMain.class.getName());
  }

  @Test
  void inLocalModeThoseArgumentsLeaveWhatTheTrainerTrainsOn() throws Exception {
    Path log = dir.resolve("events");
    Simulations.small(log, 11);
    // the trainer's run directory, as the operator points both the Spark job and the Job at it
    Path runDir = dir.resolve("runs/ns/ranker-g1/ranker");
    DataSpec d = data();
    List<String> args = SparkSamplingArgs.of(d, log.toString(), runDir.toUri().toString());
    Map<String, String> props =
        Map.of(
            "spark.master", "local[2]",
            "spark.ui.enabled", "false",
            "spark.driver.host", "127.0.0.1",
            "spark.sql.shuffle.partitions", "2",
            "spark.sql.adaptive.enabled", "false",
            "spark.sql.warehouse.dir", dir.resolve("warehouse").toString());
    props.forEach(System::setProperty);
    try {
      SparkSamplingMain.main(args.toArray(String[]::new));
    } finally {
      props.keySet().forEach(System::clearProperty);
    }
    RunLayout layout = new RunLayout(runDir);
    assertThat(runDir.resolve(SamplingReport.JSON)).isRegularFile();
    assertThat(parquetFiles(layout.samples())).isNotEmpty();
    assertThat(parquetFiles(layout.featureSamples())).isNotEmpty();

    // the trainer (spec.data.events the log, engine spark) finds both and redoes neither
    Map<Path, FileTime> before = files(runDir);
    TrainingRunSpec spec = new TrainingRunSpec();
    spec.data = d;
    spec.data.events = log.toString();
    spec.data.engine = DataSpec.Engine.SPARK;
    TrainingInputs in = TrainingInputs.prepare(spec, layout, RankingTrainer.Options.defaults());
    assertThat(in.samples()).isEqualTo(layout.featureSamples());
    assertThat(in.views()).hasSize(2);
    assertThat(files(runDir)).isEqualTo(before);
  }

  private static List<Path> parquetFiles(Path table) throws IOException {
    try (Stream<Path> s = Files.walk(table)) {
      return s.filter(p -> p.toString().endsWith(".parquet")).toList();
    }
  }

  private static Map<Path, FileTime> files(Path root) throws IOException {
    Map<Path, FileTime> m = new TreeMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        m.put(p, Files.getLastModifiedTime(p));
      }
    }
    return m;
  }
}
