package io.liverec.pipelines.featureviews;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.liverec.api.errors.LiverecException;
import io.liverec.api.v1alpha1.DataSpec;
import io.liverec.api.v1alpha1.TrainingRunSpec;
import io.liverec.featurestore.offline.PointInTimeSql;
import io.liverec.pipelines.sampling.DuckDbSampler;
import io.liverec.pipelines.sampling.SamplingOptions;
import io.liverec.pipelines.sim.Simulations;
import io.liverec.pipelines.train.RankingTrainer;
import io.liverec.pipelines.train.RunLayout;
import io.liverec.pipelines.train.TrainingInputs;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The training samples joined point-in-time with the simulator's feature views by the DuckDB engine
 * ({@link TrainingFeatureJoin}) and by Spark ({@link SparkTrainingFeatureJoin}), each chosen by the
 * run's {@code spec.data.engine} on the trainer's path ({@link TrainingInputs}): the same rows with
 * the same feature values, nulls included.
 */
class PitEnginesAgreeTest {
  private static SparkSession spark;

  @TempDir static Path dir;

  @BeforeAll
  static void startSpark() {
    spark =
        SparkSession.builder()
            .master("local[2]")
            .appName("pit-engines-agree")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.codegen.wholeStage", "false")
            .config("spark.sql.adaptive.enabled", "false")
            .config("spark.sql.shuffle.partitions", "2")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.sql.warehouse.dir", dir.resolve("warehouse").toString())
            .getOrCreate();
  }

  @AfterAll
  static void stopSpark() {
    if (spark != null) {
      spark.stop();
    }
  }

  @Test
  void sparkWithoutSparkOnTheClassPathIsBadInputNamingTheField() {
    assertThatThrownBy(() -> TrainingFeatureEngines.requireSpark("org.example.NoSuchSpark"))
        .isInstanceOf(LiverecException.class)
        .hasMessageContaining("spec.data.engine");
  }

  private static long count(Statement st, String sql) throws Exception {
    try (ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void duckDbAndSparkJoinTheSameFeaturesOntoEverySample() throws Exception {
    Path log = dir.resolve("log");
    Simulations.small(log, 5);
    new DuckDbSampler().sample(log, log, SamplingOptions.defaults(), d -> {});
    List<PointInTimeSql.View> views =
        TrainingFeatureJoin.resolve(
            log, List.of(FeatureSnapshots.ROOM_REALTIME, FeatureSnapshots.USER_ACTIVITY));
    // the trainer's own path: the run's spec.data.engine chooses the engine of the same join
    TrainingRunSpec spec = new TrainingRunSpec();
    spec.data.events = log.toString();
    spec.data.featureViews =
        new ArrayList<>(List.of(FeatureSnapshots.ROOM_REALTIME, FeatureSnapshots.USER_ACTIVITY));
    var options = RankingTrainer.Options.defaults().withSamples(log.resolve("samples"));
    Path duck = TrainingInputs.prepare(spec, new RunLayout(dir.resolve("duck")), options).samples();
    spec.data.engine = DataSpec.Engine.SPARK;
    Path sparkOut =
        TrainingInputs.prepare(spec, new RunLayout(dir.resolve("spark")), options).samples();
    assertThat(views).hasSize(2);
    long rows;
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement()) {
      rows =
          count(
              st,
              "SELECT count(*) FROM read_parquet('" + log.resolve("samples") + "/**/*.parquet')");
    }

    String cols =
        "request_id, position, room_id, user_id, ts, CAST(day AS VARCHAR) AS day,"
            + " room_impressions_1h, room_clicks_1h, room_watch_seconds_1h, user_impressions_1d,"
            + " user_clicks_1d, user_watch_seconds_1d, user_gift_value_1d";
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement()) {
      st.execute(
          "CREATE TABLE d AS SELECT "
              + cols
              + " FROM read_parquet('"
              + duck
              + "/**/*.parquet', hive_partitioning = true)");
      st.execute(
          "CREATE TABLE s AS SELECT "
              + cols
              + " FROM read_parquet('"
              + sparkOut
              + "/**/*.parquet', hive_partitioning = true)");
      assertThat(count(st, "SELECT count(*) FROM d")).isEqualTo(rows).isGreaterThan(1000);
      assertThat(count(st, "SELECT count(*) FROM s")).isEqualTo(rows);
      // EXCEPT ALL compares whole rows, nulls equal to nulls
      assertThat(count(st, "SELECT count(*) FROM (SELECT * FROM d EXCEPT ALL SELECT * FROM s)"))
          .isZero();
      assertThat(count(st, "SELECT count(*) FROM (SELECT * FROM s EXCEPT ALL SELECT * FROM d)"))
          .isZero();
      // both have values and nulls to agree on
      assertThat(count(st, "SELECT count(*) FROM d WHERE room_clicks_1h IS NULL")).isPositive();
      assertThat(count(st, "SELECT count(*) FROM d WHERE user_clicks_1d IS NOT NULL")).isPositive();
    }
  }
}
