package io.liverec.featurestore.offline;

import static org.assertj.core.api.Assertions.assertThat;

import io.liverec.api.v1alpha1.FeatureViewSpec;
import io.liverec.api.v1alpha1.FeatureViewSpec.Field;
import io.liverec.api.v1alpha1.FeatureViewSpec.ValueType;
import io.liverec.featurestore.FeastPython;
import io.liverec.featurestore.UserStats;
import io.liverec.featurestore.feast.FeastFeatureRegistry;
import io.liverec.featurestore.feast.FeastRepo;
import io.liverec.featurestore.feast.OnlineStoreConfig;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * LiveRec's point-in-time join, on DuckDB and on Spark, equals the real Feast's
 * get_historical_features with its DuckDB (SQL) offline store — on generated data with equal event
 * times, rows exactly at the ttl edge and one second past it, entity rows at a feature's exact
 * event time, duplicate entity rows and keys that have no feature rows — and never lets a feature
 * written after a sample's time into that sample.
 */
class PointInTimeJoinIT {
  private static final List<String> REFS =
      List.of(
          "user_stats:age",
          "user_stats:score",
          "user_stats:ratio",
          "user_stats:recent",
          "user_stats:written_at",
          "user_flags:city",
          "user_flags:vip");

  @TempDir static Path dir;
  private static SparkSession spark;

  @BeforeAll
  static void startSpark() {
    spark =
        SparkSession.builder()
            .master("local[2]")
            .appName("pit-join")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.ui.explainMode", "simple")
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

  private record Sample(long userId, Instant ts, int label) {}

  /** Entity rows that hit the edges of the join. */
  private static List<Sample> samples(UserStats data, long seed) {
    Random rnd = new Random(seed);
    List<Sample> s = new ArrayList<>();
    int label = 0;
    for (long u = 1; u <= 40; u++) {
      for (int i = 0; i < 4; i++) {
        s.add(new Sample(u, UserStats.T0.plusSeconds(rnd.nextInt(5 * 86_400) - 86_400), label++));
      }
    }
    for (UserStats.Row r : data.rows) {
      if (rnd.nextInt(3) == 0) {
        s.add(new Sample(r.userId(), r.eventTs(), label++)); // at the feature's own time
        s.add(new Sample(r.userId(), r.eventTs().plus(Duration.ofDays(1)), label++)); // ttl edge
        s.add(new Sample(r.userId(), r.eventTs().plus(Duration.ofDays(1)).plusSeconds(1), label++));
      }
    }
    s.add(s.get(3)); // a duplicate entity row
    s.add(new Sample(999, UserStats.T0.plusSeconds(3600), label++)); // a key with no rows at all
    return s;
  }

  private static void writeSamples(List<Sample> samples, Path file) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement()) {
      st.execute("CREATE TABLE s (user_id BIGINT, event_timestamp TIMESTAMP, label INTEGER)");
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO s VALUES (?, ?, ?)")) {
        for (Sample x : samples) {
          ps.setLong(1, x.userId());
          ps.setObject(2, LocalDateTime.ofInstant(x.ts(), ZoneOffset.UTC));
          ps.setInt(3, x.label());
          ps.addBatch();
        }
        ps.executeBatch();
      }
      st.execute("COPY s TO '" + file + "' (FORMAT parquet)");
    }
  }

  private static FeastFeatureRegistry registry(UserStats data, Path repo) {
    FeastFeatureRegistry registry =
        new FeastFeatureRegistry(
            new FeastRepo(repo, "liverec", OnlineStoreConfig.parse("sqlite", repo)));
    FeatureViewSpec stats = data.spec("1d");
    stats.features =
        new ArrayList<>(
            List.of(
                new Field("age", ValueType.INT32),
                new Field("score", ValueType.DOUBLE),
                new Field("ratio", ValueType.FLOAT),
                new Field("recent", ValueType.INT64_LIST),
                new Field("written_at", ValueType.INT64)));
    registry.register("liverec", "user_stats", stats);
    FeatureViewSpec flags = data.spec("0s");
    flags.features =
        new ArrayList<>(
            List.of(new Field("city", ValueType.STRING), new Field("vip", ValueType.BOOL)));
    registry.register("liverec", "user_flags", flags);
    return registry;
  }

  /** The compared columns, in canonical types. */
  private static String normalized(String parquet) {
    return "SELECT user_id, CAST(event_timestamp AS TIMESTAMP) AS ts, label, CAST(age AS INTEGER) AS age,"
        + " CAST(score AS DOUBLE) AS score, CAST(ratio AS FLOAT) AS ratio, CAST(recent AS BIGINT[]) AS recent,"
        + " CAST(written_at AS BIGINT) AS written_at, city, vip FROM read_parquet('"
        + parquet
        + "')";
  }

  private static long count(Statement st, String sql) throws Exception {
    try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM (" + sql + ")")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static void assertSameRows(Statement st, String a, String b, long expected)
      throws Exception {
    assertThat(count(st, a)).isEqualTo(expected);
    assertThat(count(st, b)).isEqualTo(expected);
    assertThat(count(st, a + " EXCEPT ALL " + b)).as(a + " minus " + b).isZero();
    assertThat(count(st, b + " EXCEPT ALL " + a)).as(b + " minus " + a).isZero();
  }

  @Test
  void duckDbAndSparkEqualFeastsGetHistoricalFeatures() throws Exception {
    UserStats data = new UserStats(dir.resolve("user_stats.parquet"), 40, 21);
    Path repo = dir.resolve("repo");
    FeastFeatureRegistry registry = registry(data, repo);
    List<Sample> samples = samples(data, 22);
    Path entities = dir.resolve("samples.parquet");
    writeSamples(samples, entities);

    Path feast = dir.resolve("feast.parquet");
    FeastPython.tool(
        "historical",
        repo.toString(),
        entities.toString(),
        String.join(",", REFS),
        feast.toString());

    List<PointInTimeSql.View> views = FeatureRefs.resolve(registry, "liverec", REFS);
    Path duck = dir.resolve("duckdb.parquet");
    long n =
        DuckDbPointInTimeJoin.toParquet(
            "read_parquet('" + entities + "')", "event_timestamp", views, false, duck);
    assertThat(n).isEqualTo(samples.size());

    Path sparkOut = dir.resolve("spark");
    SparkPointInTimeJoin.join(
            spark, spark.read().parquet(entities.toString()), "event_timestamp", views, false)
        .coalesce(1)
        .write()
        .parquet(sparkOut.toString());

    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement()) {
      st.execute("SET TimeZone = 'UTC'");
      assertSameRows(st, normalized(duck.toString()), normalized(feast.toString()), samples.size());
      assertSameRows(
          st, normalized(sparkOut + "/*.parquet"), normalized(feast.toString()), samples.size());
      // the edges were really exercised: matches at the exact time, at the ttl edge, and misses
      assertThat(count(st, normalized(duck.toString()) + " WHERE written_at = epoch(ts)"))
          .isPositive();
      assertThat(count(st, normalized(duck.toString()) + " WHERE written_at = epoch(ts) - 86400"))
          .isPositive();
      assertThat(count(st, normalized(duck.toString()) + " WHERE written_at IS NULL")).isPositive();
      assertThat(
              count(
                  st,
                  normalized(duck.toString()) + " WHERE written_at IS NULL AND city IS NOT NULL"))
          .isPositive();
    }
  }

  @Test
  void aFeatureWrittenAfterASampleNeverLeaksIntoIt() throws Exception {
    UserStats data = new UserStats(dir.resolve("leak_stats.parquet"), 40, 31);
    Path repo = dir.resolve("leak-repo");
    FeastFeatureRegistry registry = registry(data, repo);
    List<Sample> samples = samples(data, 32);
    Path entities = dir.resolve("leak_samples.parquet");
    writeSamples(samples, entities);
    List<PointInTimeSql.View> views = FeatureRefs.resolve(registry, "liverec", REFS);
    Path duck = dir.resolve("leak_duckdb.parquet");
    DuckDbPointInTimeJoin.toParquet(
        "read_parquet('" + entities + "')", "event_timestamp", views, false, duck);
    Path sparkOut = dir.resolve("leak_spark");
    SparkPointInTimeJoin.join(
            spark, spark.read().parquet(entities.toString()), "event_timestamp", views, false)
        .coalesce(1)
        .write()
        .parquet(sparkOut.toString());
    Comparator<UserStats.Row> order =
        Comparator.comparing(UserStats.Row::eventTs).thenComparing(UserStats.Row::createdTs);
    for (String out : List.of(duck.toString(), sparkOut + "/*.parquet")) {
      try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
          Statement st = c.createStatement()) {
        st.execute("SET TimeZone = 'UTC'");
        int checked = 0;
        try (ResultSet rs =
            st.executeQuery(
                "SELECT user_id, epoch(ts), label, written_at, age FROM ("
                    + normalized(out)
                    + ")")) {
          while (rs.next()) {
            long user = rs.getLong(1);
            Instant ts = Instant.ofEpochSecond(rs.getLong(2));
            Long writtenAt = (Long) rs.getObject(4);
            // the oracle: the latest row at or before the sample, not older than the ttl
            UserStats.Row want =
                data.rows.stream()
                    .filter(r -> r.userId() == user)
                    .filter(
                        r ->
                            !r.eventTs().isAfter(ts)
                                && !r.eventTs().isBefore(ts.minus(Duration.ofDays(1))))
                    .max(order)
                    .orElse(null);
            if (writtenAt != null) {
              assertThat(writtenAt)
                  .as("sample %d at %s", rs.getInt(3), ts)
                  .isLessThanOrEqualTo(ts.getEpochSecond());
            }
            assertThat(writtenAt).isEqualTo(want == null ? null : want.eventTs().getEpochSecond());
            assertThat(rs.getObject(5)).isEqualTo(want == null ? null : want.age());
            checked++;
          }
        }
        assertThat(checked).isEqualTo(samples.size());
      }
    }
  }
}
