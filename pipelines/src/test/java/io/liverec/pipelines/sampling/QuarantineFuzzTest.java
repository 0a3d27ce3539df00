package io.liverec.pipelines.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.liverec.api.errors.LiverecException;
import io.liverec.pipelines.events.EventSchema;
import io.liverec.pipelines.events.ParquetLogWriter;
import io.liverec.pipelines.sim.Simulations;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad rows are quarantined and counted by reason; bad files fail fast naming file and column. */
class QuarantineFuzzTest {
  @TempDir Path dir;

  /**
   * A ~10 000-row log (impressions and behaviours) with about 1% corrupted rows, each corruption
   * producing exactly one bad row: null ids, negative positions, out-of-range timestamps and
   * duplicates on non-clicked impressions; clicks without impression, clicks with null ids and
   * gifts without click as extra rows.
   */
  @Test
  void onePercentCorruptedRowsAreAllQuarantinedAndTheRunCompletes() throws Exception {
    Path events = dir.resolve("events");
    String day = "2026-02-01";
    long dayStart = LocalDate.parse(day).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    SplittableRandom rng = new SplittableRandom(2024);
    TreeMap<String, Long> expected = new TreeMap<>();
    long rows = 0;
    long corrupted = 0;
    try (ParquetLogWriter w = new ParquetLogWriter(events, 100_000)) {
      RandomLog.writeSideTables(w);
      w.startDay(day);
      long requestId = 0;
      while (rows < 10_000) {
        requestId++;
        long ts = dayStart + rng.nextLong(86_000_000L);
        long user = 1 + rng.nextInt(RandomLog.USERS);
        for (int pos = 0; pos < 8; pos++) {
          long room = 1 + (requestId * 8 + pos) % RandomLog.ROOMS;
          boolean click = rng.nextDouble() < 0.2;
          String corruption = null;
          if (!click && rng.nextDouble() < 0.011) {
            corruption =
                new String[] {
                      "null_id",
                      "negative_position",
                      "timestamp_out_of_range",
                      "duplicate_impression"
                    }
                    [rng.nextInt(4)];
          }
          int copies = "duplicate_impression".equals(corruption) ? 2 : 1;
          for (int c = 0; c < copies; c++) {
            var a = w.sink(EventSchema.IMPRESSIONS).begin();
            a.append(requestId);
            if ("null_id".equals(corruption)) {
              a.appendNull();
            } else {
              a.append(user);
            }
            a.append(room).append("feed").append("negative_position".equals(corruption) ? -1 : pos);
            a.append("timestamp_out_of_range".equals(corruption) ? dayStart - 5_000 : ts);
            a.append(1).append(new long[] {3L}).append(0).append(0.1).append(0.2);
            w.sink(EventSchema.IMPRESSIONS).end();
            rows++;
          }
          if (corruption != null) {
            expected.merge("impressions/" + corruption, 1L, Long::sum);
            corrupted++;
          }
          if (click) {
            clickRow(w, requestId, user, room, pos, ts);
            rows++;
            w.sink(EventSchema.WATCHES)
                .begin()
                .append(requestId)
                .append(user)
                .append(room)
                .append(pos)
                .append(ts + 2000)
                .append(1 + rng.nextInt(100));
            w.sink(EventSchema.WATCHES).end();
            rows++;
          }
        }
        double u = rng.nextDouble();
        if (u < 0.015) {
          clickRow(w, requestId, user, 5L, 50, ts); // position 50 was never shown
          expected.merge("clicks/without_impression", 1L, Long::sum);
          rows++;
          corrupted++;
        } else if (u < 0.03) {
          var a = w.sink(EventSchema.CLICKS).begin();
          a.appendNull().append(user).append(5L).append(0).append(ts);
          w.sink(EventSchema.CLICKS).end();
          expected.merge("clicks/null_id", 1L, Long::sum);
          rows++;
          corrupted++;
        } else if (u < 0.045) {
          // a gift for position 0 whose click, if any, is on another room
          w.sink(EventSchema.GIFTS)
              .begin()
              .append(requestId)
              .append(user)
              .append(99_999L)
              .append(0)
              .append(ts)
              .append(10);
          w.sink(EventSchema.GIFTS).end();
          expected.merge("gifts/without_click", 1L, Long::sum);
          rows++;
          corrupted++;
        }
      }
    }
    assertThat(rows).isBetween(10_000L, 10_020L);
    assertThat(corrupted / (double) rows).isBetween(0.007, 0.013);

    Path out = dir.resolve("out");
    SamplingReport r = new DuckDbSampler().sample(events, out, SamplingOptions.defaults(), d -> {});
    assertThat(r.quarantinedTotal()).isEqualTo(corrupted);
    assertThat(r.quarantined()).isEqualTo(expected);
    assertThat(r.kept()).isPositive();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT COUNT(*) FROM read_parquet('"
                    + out
                    + "/quarantine/*/*/*.parquet',"
                    + " union_by_name=true)")) {
      rs.next();
      assertThat(rs.getLong(1)).isEqualTo(corrupted);
    }
    assertThat(Files.readString(out.resolve(SamplingReport.MARKDOWN)))
        .contains("impressions/duplicate_impression");
  }

  private static void clickRow(ParquetLogWriter w, long req, long user, long room, int pos, long ts)
      throws Exception {
    w.sink(EventSchema.CLICKS)
        .begin()
        .append(req)
        .append(user)
        .append(room)
        .append(pos)
        .append(ts + 1000);
    w.sink(EventSchema.CLICKS).end();
  }

  @Test
  void aMissingColumnFailsFastNamingFileAndColumn() throws Exception {
    Path events = dir.resolve("events");
    Simulations.small(events, 3);
    Path bad = events.resolve("clicks/day=2026-01-02/part-00000.parquet");
    rewrite(bad, "SELECT * EXCLUDE (position)");
    assertThatThrownBy(
            () ->
                new DuckDbSampler()
                    .sample(events, dir.resolve("out"), SamplingOptions.defaults(), d -> {}))
        .isInstanceOf(LiverecException.class)
        .hasMessageContaining(bad.toString())
        .hasMessageContaining("missing column 'position'");
  }

  @Test
  void aWrongTypeFailsFastNamingFileAndColumn() throws Exception {
    Path events = dir.resolve("events");
    Simulations.small(events, 3);
    Path bad = events.resolve("impressions/day=2026-01-01/part-00000.parquet");
    rewrite(bad, "SELECT * REPLACE (CAST(ts AS VARCHAR) AS ts)");
    assertThatThrownBy(
            () ->
                new DuckDbSampler()
                    .sample(events, dir.resolve("out"), SamplingOptions.defaults(), d -> {}))
        .isInstanceOf(LiverecException.class)
        .hasMessageContaining(bad.toString())
        .hasMessageContaining("column 'ts' has type VARCHAR, expected BIGINT");
  }

  private static void rewrite(Path file, String select) throws Exception {
    Path tmp = file.resolveSibling("tmp.parquet.tmp");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement()) {
      st.execute(
          "COPY ("
              + select
              + " FROM read_parquet('"
              + file
              + "')) TO '"
              + tmp
              + "' (FORMAT parquet)");
    }
    Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }
}
