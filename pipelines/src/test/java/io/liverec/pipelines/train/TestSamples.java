package io.liverec.pipelines.train;

import io.liverec.pipelines.features.ColumnSpec;
import io.liverec.pipelines.features.FeatureColumn;
import io.liverec.pipelines.features.FeatureKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

/**
 * Small sample Parquet written with DuckDB for feature and reader tests: 4 days (the last is the
 * holdout), planted NaN/inf/null values, a rooms side table with content vectors.
 */
final class TestSamples {

  static final int ROWS = 2000;

  /** Rows i with i % 97 == 0 → NaN viewers; i % 89 == 0 → +inf; i % 83 == 0 → null. */
  static boolean badViewers(int i) {
    return i % 97 == 0 || i % 89 == 0 || i % 83 == 0;
  }

  private TestSamples() {}

  static Path write(Path dir) throws Exception {
    Path samples = dir.resolve("samples");
    Files.createDirectories(samples);
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement()) {
      st.execute(
          "COPY (SELECT i AS id, i % 50 AS user_id, i % 37 AS room_id,"
              + " ['a','b','b','c','c','c'][i % 6 + 1] AS category, i % 10 AS position,"
              + " TIMESTAMP '2026-01-01 08:00:00' + to_days(CAST(i % 4 AS INTEGER)) AS ts,"
              + " CASE WHEN i % 97 = 0 THEN 'NaN'::DOUBLE WHEN i % 89 = 0 THEN 'inf'::DOUBLE"
              + "  WHEN i % 83 = 0 THEN NULL WHEN i % 4 = 3 THEN 1000.0 ELSE 10.0 END AS viewers,"
              + " CAST(i % 7 AS DOUBLE) AS activity,"
              + " [CAST(i % 37 AS BIGINT), CAST((i + 1) % 37 AS BIGINT)] AS recent_rooms,"
              + " CAST(i % 5 = 0 AS INTEGER) AS click, CAST(i % 10 = 0 AS INTEGER) AS conversion,"
              + " 1.0 + (i % 3) AS weight, 0.2 AS oracle_pctr, 0.5 AS oracle_pcvr,"
              + " 0.1 AS oracle_pctcvr FROM range("
              + ROWS
              + ") t(i)) TO '"
              + samples.resolve("part-0.parquet")
              + "' (FORMAT parquet)");
      st.execute(
          "COPY (SELECT r AS room_id, [CAST(r AS FLOAT) / 10, 1.0,"
              + " CASE WHEN r = 5 THEN 'NaN'::FLOAT ELSE 2.0 END] AS content FROM range(30) t(r))"
              + " TO '"
              + dir.resolve("rooms.parquet")
              + "' (FORMAT parquet)");
    }
    return samples;
  }

  static ColumnSpec spec() {
    return new ColumnSpec(
        "user_id",
        "click",
        "conversion",
        "weight",
        "ts",
        List.of(
            FeatureColumn.hash("user_id", 101),
            FeatureColumn.hash("room_id", 211),
            FeatureColumn.vocab("category", 3),
            FeatureColumn.bucket("position", 4),
            new FeatureColumn("viewers_b", "viewers", FeatureKind.BUCKET, null, 2, null, null),
            FeatureColumn.dense("viewers"),
            FeatureColumn.dense("activity"),
            FeatureColumn.sequence("recent_rooms", 211, 3, "room_id"),
            FeatureColumn.vector("content", 3)),
        Map.of("ctr", "oracle_pctr", "cvr", "oracle_pcvr", "ctcvr", "oracle_pctcvr"),
        new ColumnSpec.RoomsTable("../rooms.parquet", "room_id"));
  }
}
