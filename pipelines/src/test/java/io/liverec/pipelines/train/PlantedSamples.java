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
 * Samples with a planted, learnable structure for trainer tests, written by DuckDB without the
 * simulator: the click logit has a user×category taste term and a position term, conversion depends
 * on user spending×category; labels are drawn with a hash so the data is reproducible. The true
 * probabilities are written as oracle columns.
 */
final class PlantedSamples {
  private PlantedSamples() {}

  static Path write(Path dir, int rows) throws Exception {
    Path samples = dir.resolve("samples");
    Files.createDirectories(samples);
    String probs =
        "SELECT *, 1 / (1 + exp(-(-1.6 + 1.8 * taste - 0.25 * position))) AS oracle_pctr,"
            + " 1 / (1 + exp(-(-0.8 + 1.5 * spend_match))) AS oracle_pcvr FROM ("
            + "SELECT i AS request_id, i % 60 AS user_id, (i % 60) % 8 AS user_group, (i * 7919) % 97 AS room_id,"
            + " ((i * 7919) % 97) % 8 AS category, i % 6 AS position, (i // 3) % 24 AS hour,"
            + " CAST('2026-01-01' AS DATE) + CAST(i * 4 // "
            + rows
            + " AS INTEGER) AS day,"
            + " CASE WHEN ((i % 60) % 8) = (((i * 7919) % 97) % 8) THEN 1.0"
            + "  WHEN ((i % 60) % 8) = ((((i * 7919) % 97) % 8) + 1) % 8 THEN 0.5 ELSE -0.5 END"
            + "  AS taste,"
            + " CASE WHEN ((i % 60) % 3) = (((i * 7919) % 97) % 3) THEN 1.0 ELSE -1.0 END"
            + "  AS spend_match,"
            + " [CAST(((i + 1) * 7919) % 97 AS BIGINT), CAST(((i + 2) * 7919) % 97 AS BIGINT)]"
            + "  AS recent_rooms, CAST((i * 31) % 1000 AS DOUBLE) AS room_viewers"
            + " FROM range("
            + rows
            + ") t(i))";
    String labels =
        "SELECT *, CAST((hash(request_id, 'c') % 1000000) / 1e6 < oracle_pctr AS INTEGER) AS click,"
            + " CAST((hash(request_id, 'v') % 1000000) / 1e6 < oracle_pcvr AS INTEGER) AS cv"
            + " FROM ("
            + probs
            + ")";
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement()) {
      st.execute(
          "COPY (SELECT request_id, user_id, user_group, room_id, category, position, hour, day,"
              + " recent_rooms, room_viewers, click, click * cv AS conversion, 1.0 AS weight,"
              + " oracle_pctr, oracle_pcvr FROM ("
              + labels
              + ")) TO '"
              + samples
              + "' (FORMAT parquet, PARTITION_BY (day))");
    }
    return samples;
  }

  static ColumnSpec spec() {
    return new ColumnSpec(
        "user_id",
        "click",
        "conversion",
        "weight",
        "CAST(day AS DATE)",
        List.of(
            FeatureColumn.vocab("user_id", 1000),
            FeatureColumn.vocab("room_id", 1000),
            FeatureColumn.vocab("user_group", 16),
            FeatureColumn.vocab("category", 16),
            FeatureColumn.vocab("position", 16),
            FeatureColumn.vocab("hour", 24),
            new FeatureColumn(
                "viewers_bucket", "room_viewers", FeatureKind.BUCKET, null, 8, null, null),
            FeatureColumn.dense("room_viewers"),
            FeatureColumn.sequence("recent_rooms", 1000, 2, "room_id")),
        Map.of("ctr", "oracle_pctr", "cvr", "oracle_pcvr"),
        null);
  }
}
