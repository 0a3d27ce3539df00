package io.liverec.pipelines.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import io.liverec.pipelines.events.EventSchema;
import io.liverec.pipelines.events.ParquetLogWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Duplicate impression keys are found wherever they are: the sampler screens requests by a bit mask
 * of their positions (exact below position 62) and checks the rest key by key, and it reads the
 * wide columns of kept and quarantined rows back by row id.
 */
class DuplicateImpressionsTest {
  @TempDir Path dir;

  private static final String DAY = "2026-04-01";
  private static final long DAY_START =
      LocalDate.parse(DAY).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();

  private static void impression(
      ParquetLogWriter w, long req, int pos, long room, long ts, String surface) throws Exception {
    w.sink(EventSchema.IMPRESSIONS)
        .begin()
        .append(req)
        .append(7L)
        .append(room)
        .append(surface)
        .append(pos)
        .append(ts)
        .append((int) ((ts / 3_600_000L) % 24))
        .append(new long[] {req, pos})
        .append(pos)
        .append(0.5)
        .append(0.25);
    w.sink(EventSchema.IMPRESSIONS).end();
  }

  private static void click(ParquetLogWriter w, long req, int pos, long room, long ts)
      throws Exception {
    w.sink(EventSchema.CLICKS).begin().append(req).append(7L).append(room).append(pos).append(ts);
    w.sink(EventSchema.CLICKS).end();
  }

  @Test
  void duplicatesBelowAndAbovePosition62AreQuarantinedAndKeptRowsKeepTheirColumns()
      throws Exception {
    Path events = dir.resolve("events");
    long ts = DAY_START + 3_600_000L;
    try (ParquetLogWriter w = new ParquetLogWriter(events, 1_000_000)) {
      RandomLog.writeSideTables(w);
      w.startDay(DAY);
      // request 1: positions 0..69, a click at 66, a duplicate of position 65 only (the copy
      // has a later ts, so the original is kept)
      for (int pos = 0; pos < 70; pos++) {
        impression(w, 1, pos, 1 + pos % 90, ts, "feed");
      }
      impression(w, 1, 65, 51, ts + 5, "dup");
      click(w, 1, 66, 1 + 66 % 90, ts + 1000);
      // request 2: positions 0..69 without duplicates, a click at 64
      for (int pos = 0; pos < 70; pos++) {
        impression(w, 2, pos, 1 + pos % 90, ts, "feed");
      }
      click(w, 2, 64, 1 + 64 % 90, ts + 1000);
      // request 3: 3 rows, position 1 twice with the same ts: the one with the lower room wins
      // (a duplicate below position 62, found by the bit mask)
      impression(w, 3, 0, 10, ts, "feed");
      impression(w, 3, 1, 12, ts, "dup");
      impression(w, 3, 1, 11, ts, "feed");
      click(w, 3, 1, 11, ts + 1000);
    }
    Path out = dir.resolve("out");
    SamplingReport r = new DuckDbSampler().sample(events, out, SamplingOptions.defaults(), d -> {});

    assertThat(r.quarantined())
        .containsExactlyEntriesOf(java.util.Map.of("impressions/duplicate_impression", 2L));
    // skip-above: request 1 keeps 0..66, request 2 keeps 0..64, request 3 keeps 0..1
    assertThat(r.kept()).isEqualTo(67 + 65 + 2);
    assertThat(r.requests()).isEqualTo(3);
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement()) {
      String samples = "read_parquet('" + out + "/samples/*/*.parquet')";
      try (ResultSet rs =
          st.executeQuery(
              "SELECT COUNT(*), COUNT(DISTINCT (request_id, position)),"
                  + " COUNT(*) FILTER (WHERE surface <> 'feed'),"
                  + " COUNT(*) FILTER (WHERE recent_rooms <> [request_id, position]"
                  + " OR room_viewers <> position),"
                  + " SUM(click) FROM "
                  + samples)) {
        rs.next();
        assertThat(rs.getLong(1)).isEqualTo(134);
        assertThat(rs.getLong(2)).isEqualTo(134);
        assertThat(rs.getLong(3)).as("kept copies of duplicates").isZero();
        assertThat(rs.getLong(4)).as("wide columns joined to the wrong row").isZero();
        assertThat(rs.getLong(5)).isEqualTo(3);
      }
      try (ResultSet rs =
          st.executeQuery(
              "SELECT request_id, position, room_id, surface, recent_rooms, reason FROM"
                  + " read_parquet('"
                  + out
                  + "/quarantine/impressions/*/*.parquet') ORDER BY request_id, position")) {
        String[] expected = {
          "1 65 51 dup [1, 65] duplicate_impression", "3 1 12 dup [3, 1] duplicate_impression"
        };
        for (String e : expected) {
          assertThat(rs.next()).isTrue();
          assertThat(
                  rs.getLong(1)
                      + " "
                      + rs.getInt(2)
                      + " "
                      + rs.getLong(3)
                      + " "
                      + rs.getString(4)
                      + " "
                      + rs.getString(5)
                      + " "
                      + rs.getString(6))
              .isEqualTo(e);
        }
        assertThat(rs.next()).isFalse();
      }
      try (ResultSet rs =
          st.executeQuery(
              "SELECT COUNT(*) FROM (SELECT request_id, position, LAG(request_id) OVER w AS pr,"
                  + " LAG(position) OVER w AS pp FROM read_parquet('"
                  + out
                  + "/samples/*/*.parquet', file_row_number = true)"
                  + " WINDOW w AS (ORDER BY file_row_number))"
                  + " WHERE pr IS NOT NULL AND (request_id < pr OR (request_id = pr AND position <= pp))")) {
        rs.next();
        assertThat(rs.getLong(1)).as("rows out of (request_id, position) order").isZero();
      }
    }
  }
}
