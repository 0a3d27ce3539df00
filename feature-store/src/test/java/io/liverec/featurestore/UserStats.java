package io.liverec.featurestore;

import io.liverec.api.v1alpha1.FeatureViewSpec;
import io.liverec.api.v1alpha1.FeatureViewSpec.Field;
import io.liverec.api.v1alpha1.FeatureViewSpec.ValueType;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * A generated {@code user_stats} feature table (Parquet, written with DuckDB) with the awkward
 * cases: several rows per user, equal event times told apart by the created time, null values,
 * users without rows; and the expected latest rows computed here in plain Java.
 */
public final class UserStats {
  public static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  /** One source row. */
  public record Row(
      long userId,
      Integer age,
      Double score,
      Float ratio,
      String city,
      Boolean vip,
      List<Long> recent,
      Instant eventTs,
      Instant createdTs) {}

  public final List<Row> rows = new ArrayList<>();
  public final Path file;

  public UserStats(Path file, int users, long seed) throws Exception {
    this.file = file;
    Random rnd = new Random(seed);
    for (long u = 1; u <= users; u++) {
      int n = u % 7 == 0 ? 0 : 1 + rnd.nextInt(5); // every 7th user has no row at all
      Instant last = null;
      for (int i = 0; i < n; i++) {
        Instant ts =
            last != null && rnd.nextInt(4) == 0
                ? last // same event time as the previous row: the created time decides
                : T0.plusSeconds(rnd.nextInt(3 * 86_400));
        last = ts;
        Instant created = ts.plusSeconds(60 + i * 7L + rnd.nextInt(50));
        rows.add(
            new Row(
                u,
                18 + rnd.nextInt(50),
                rnd.nextInt(10) == 0 ? null : Math.round(rnd.nextDouble() * 1e6) / 1e3,
                rnd.nextFloat(),
                "city" + rnd.nextInt(9),
                rnd.nextBoolean(),
                List.of(rnd.nextLong(1000), rnd.nextLong(1000)),
                ts,
                created));
      }
    }
    write();
  }

  private void write() throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement()) {
      st.execute(
          "CREATE TABLE t (user_id BIGINT, age INTEGER, score DOUBLE, ratio FLOAT, city VARCHAR,"
              + " vip BOOLEAN, recent BIGINT[], event_ts TIMESTAMP, created_ts TIMESTAMP)");
      try (PreparedStatement ps =
          c.prepareStatement("INSERT INTO t VALUES (?, ?, ?, ?, ?, ?, list_value(?, ?), ?, ?)")) {
        for (Row r : rows) {
          ps.setLong(1, r.userId());
          ps.setObject(2, r.age());
          ps.setObject(3, r.score());
          ps.setObject(4, r.ratio());
          ps.setString(5, r.city());
          ps.setObject(6, r.vip());
          ps.setLong(7, r.recent().get(0));
          ps.setLong(8, r.recent().get(1));
          ps.setObject(9, LocalDateTime.ofInstant(r.eventTs(), ZoneOffset.UTC));
          ps.setObject(10, LocalDateTime.ofInstant(r.createdTs(), ZoneOffset.UTC));
          ps.addBatch();
        }
        ps.executeBatch();
      }
      st.execute(
          "COPY (SELECT *, CAST(epoch(event_ts) AS BIGINT) AS written_at FROM t ORDER BY event_ts)"
              + " TO '"
              + file
              + "' (FORMAT parquet)");
    }
  }

  /** The view's spec over this table. */
  public FeatureViewSpec spec(String ttl) {
    FeatureViewSpec s = new FeatureViewSpec();
    s.entities = new ArrayList<>(List.of(new Field("user_id", ValueType.INT64)));
    s.features =
        new ArrayList<>(
            List.of(
                new Field("age", ValueType.INT32),
                new Field("score", ValueType.DOUBLE),
                new Field("ratio", ValueType.FLOAT),
                new Field("city", ValueType.STRING),
                new Field("vip", ValueType.BOOL),
                new Field("recent", ValueType.INT64_LIST)));
    s.source.uri = "file://" + file.toAbsolutePath();
    s.source.timestampField = "event_ts";
    s.source.createdTimestampField = "created_ts";
    s.ttl = ttl;
    s.tags = new LinkedHashMap<>(Map.of("team", "ranking"));
    return s;
  }

  /** The latest row per user with start ≤ event time ≤ end (created time breaks ties). */
  public Map<Long, Row> latest(Instant start, Instant end) {
    Map<Long, Row> out = new LinkedHashMap<>();
    Comparator<Row> order = Comparator.comparing(Row::eventTs).thenComparing(Row::createdTs);
    for (Row r : rows) {
      if (r.eventTs().isBefore(start) || r.eventTs().isAfter(end)) {
        continue;
      }
      out.merge(r.userId(), r, (a, b) -> order.compare(a, b) >= 0 ? a : b);
    }
    return out;
  }

  public Optional<Row> latest(long user, Instant start, Instant end) {
    return Optional.ofNullable(latest(start, end).get(user));
  }

  static Timestamp sql(Instant t) {
    return Timestamp.valueOf(LocalDateTime.ofInstant(t, ZoneOffset.UTC));
  }
}
