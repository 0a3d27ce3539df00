package io.liverec.pipelines.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import io.liverec.api.v1alpha1.DataSpec;
import io.liverec.pipelines.sim.Simulations;
import io.liverec.pipelines.sim.Simulator;
import io.liverec.pipelines.sim.SimulatorConfig;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded (DuckDB) and Spark engines produce the same samples, row by row. */
class EnginesAgreeTest {
  private static SparkSession spark;

  @TempDir static Path dir;

  @BeforeAll
  static void startSpark() {
    spark =
        SparkSession.builder()
            .master("local[2]")
            .appName("engines-agree")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.ui.explainMode", "simple")
            // one small day: compiling generated code costs more than it saves
            .config("spark.sql.codegen.wholeStage", "false")
            .config("spark.sql.adaptive.enabled", "false")
            .config("spark.sql.shuffle.partitions", "1")
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

  private static long count(Statement st, String sql) throws Exception {
    try (ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static String glob(Path out, String table) {
    return "read_parquet('"
        + out
        + "/"
        + table
        + "/*/*.parquet', hive_partitioning=true,"
        + " hive_types={'day': VARCHAR})";
  }

  private static void assertSameRows(Statement st, String a, String b) throws Exception {
    long na = count(st, "SELECT COUNT(*) FROM " + a);
    assertThat(na).isPositive();
    assertThat(count(st, "SELECT COUNT(*) FROM " + b)).isEqualTo(na);
    for (String[] pair : new String[][] {{a, b}, {b, a}}) {
      String except = "SELECT * FROM " + pair[0] + " EXCEPT ALL SELECT * FROM " + pair[1];
      assertThat(count(st, "SELECT COUNT(*) FROM (" + except + ")"))
          .as(() -> sample(st, except))
          .isZero();
    }
  }

  private static String sample(Statement st, String except) {
    StringBuilder sb = new StringBuilder("rows of " + except + ":\n");
    try (ResultSet rs =
        st.executeQuery("SELECT * FROM (" + except + ") ORDER BY request_id, position LIMIT 3")) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        for (int i = 1; i <= n; i++) {
          sb.append(rs.getMetaData().getColumnName(i)).append('=').append(rs.getObject(i));
          sb.append(' ');
        }
        sb.append('\n');
      }
    } catch (Exception e) {
      sb.append(e);
    }
    return sb.toString();
  }

  @Test
  void duckDbAndSparkAgreeRowByRowOnOneSimulatedDay() throws Exception {
    SimulatorConfig cfg = Simulations.smallConfig(5);
    cfg.days = 1;
    Path events = dir.resolve("events");
    new Simulator(cfg).run(events, n -> {});
    // bad rows in an extra file of the day: 4 duplicates, 3 negative positions, 2 null user ids
    Path good = events.resolve("impressions/day=2026-01-01/part-00000.parquet");
    Path bad = events.resolve("impressions/day=2026-01-01/part-99999.parquet");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement()) {
      String f = "read_parquet('" + good + "')";
      st.execute(
          "COPY (SELECT * FROM (SELECT * FROM "
              + f
              + " ORDER BY request_id, position LIMIT 4)"
              + " UNION ALL SELECT * FROM (SELECT * REPLACE (CAST(-1 AS INTEGER) AS position) FROM "
              + f
              + " ORDER BY request_id DESC, position LIMIT 3)"
              + " UNION ALL SELECT * FROM (SELECT * REPLACE (CAST(NULL AS BIGINT) AS user_id) FROM "
              + f
              + " ORDER BY request_id, position LIMIT 2 OFFSET 100)) TO '"
              + bad
              + "' (FORMAT parquet)");
    }
    for (DataSpec.Strategy s : new DataSpec.Strategy[] {DataSpec.Strategy.SKIP_ABOVE}) {
      SamplingOptions o = SamplingOptions.defaults().withStrategy(s, 2);
      Path duckOut = dir.resolve("duck-" + s);
      Path sparkOut = dir.resolve("spark-" + s);
      SamplingReport dr = new DuckDbSampler().sample(events, duckOut, o, d -> {});
      SamplingReport sr = new SparkSampler(spark).sample(events.toString(), sparkOut.toString(), o);
      System.out.printf(
          "%s: duckdb %d ms, spark %d ms, %d samples%n",
          s, dr.elapsedMs(), sr.elapsedMs(), dr.kept());
      assertThat(sr.kept()).isEqualTo(dr.kept());
      assertThat(sr.byRule()).isEqualTo(dr.byRule());
      assertThat(sr.positives()).isEqualTo(dr.positives());
      assertThat(sr.requests()).isEqualTo(dr.requests());
      assertThat(dr.quarantined())
          .containsEntry("impressions/duplicate_impression", 4L)
          .containsEntry("impressions/negative_position", 3L)
          .containsEntry("impressions/null_id", 2L);
      assertThat(sr.quarantined()).isEqualTo(dr.quarantined());
      try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
          Statement st = c.createStatement()) {
        assertSameRows(st, glob(duckOut, "samples"), glob(sparkOut, "samples"));
        assertSameRows(
            st, glob(duckOut, "quarantine/impressions"), glob(sparkOut, "quarantine/impressions"));
      }
    }
  }

  @Test
  void sparkFailsFastOnAMissingColumnNamingFileAndColumn() throws Exception {
    SimulatorConfig cfg = Simulations.smallConfig(6);
    cfg.days = 1;
    Path events = dir.resolve("events-bad-schema");
    new Simulator(cfg).run(events, n -> {});
    Path file = events.resolve("clicks/day=2026-01-01/part-00000.parquet");
    Path tmp = events.resolve("clicks.tmp");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement()) {
      st.execute(
          "COPY (SELECT * EXCLUDE (position) FROM read_parquet('"
              + file
              + "')) TO '"
              + tmp
              + "' (FORMAT parquet)");
    }
    java.nio.file.Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                new SparkSampler(spark)
                    .sample(
                        events.toString(),
                        dir.resolve("out-bad").toString(),
                        SamplingOptions.defaults()))
        .isInstanceOf(io.liverec.api.errors.LiverecException.class)
        .hasMessageContaining("clicks/day=2026-01-01/part-00000.parquet")
        .hasMessageContaining("missing column 'position'");
  }
}
