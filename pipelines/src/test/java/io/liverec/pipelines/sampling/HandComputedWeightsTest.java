package io.liverec.pipelines.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import io.liverec.api.v1alpha1.DataSpec;
import io.liverec.pipelines.events.EventSchema;
import io.liverec.pipelines.events.ParquetLogWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Labels and weights on a four-impression request whose values were worked out by hand. */
class HandComputedWeightsTest {
  @TempDir Path dir;
  Path events;

  /**
   * Request 1 on 2026-05-01, positions 0..3:
   *
   * <ul>
   *   <li>0: click, watch 30 s, gift 10 coins, 2 flowers, 1 async work
   *   <li>1: click, watch 5 s
   *   <li>2: no click
   *   <li>3: click, no watch row
   * </ul>
   */
  @BeforeEach
  void writeLog() throws Exception {
    events = dir.resolve("events");
    long ts = 1_777_593_600_000L + 3_600_000L; // 2026-05-01T01:00Z
    try (ParquetLogWriter w = new ParquetLogWriter(events, 1000)) {
      RandomLog.writeSideTables(w);
      w.startDay("2026-05-01");
      for (int pos = 0; pos < 4; pos++) {
        w.sink(EventSchema.IMPRESSIONS)
            .begin()
            .append(1L)
            .append(7L)
            .append(10L + pos)
            .append("feed")
            .append(pos)
            .append(ts)
            .append(1)
            .append(new long[0])
            .append(0)
            .append(0.1)
            .append(0.3);
        w.sink(EventSchema.IMPRESSIONS).end();
      }
      for (int pos : new int[] {0, 1, 3}) {
        behaviour(w, EventSchema.CLICKS, pos, ts);
        w.sink(EventSchema.CLICKS).end();
      }
      behaviour(w, EventSchema.WATCHES, 0, ts).append(30);
      w.sink(EventSchema.WATCHES).end();
      behaviour(w, EventSchema.WATCHES, 1, ts).append(5);
      w.sink(EventSchema.WATCHES).end();
      behaviour(w, EventSchema.GIFTS, 0, ts).append(10);
      w.sink(EventSchema.GIFTS).end();
      behaviour(w, EventSchema.FLOWERS, 0, ts).append(2);
      w.sink(EventSchema.FLOWERS).end();
      behaviour(w, EventSchema.ASYNC_VIEWS, 0, ts).append(1);
      w.sink(EventSchema.ASYNC_VIEWS).end();
    }
  }

  private static org.duckdb.DuckDBAppender behaviour(
      ParquetLogWriter w, EventSchema.Table t, int pos, long ts) throws Exception {
    return w.sink(t).begin().append(1L).append(7L).append(10L + pos).append(pos).append(ts + 1000);
  }

  private List<double[]> run(SamplingOptions o) throws Exception {
    Path out = dir.resolve("out");
    new DuckDbSampler().sample(events, out, o, d -> {});
    List<double[]> rows = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT position, click, conversion, gift, weight FROM read_parquet('"
                    + out
                    + "/samples/*/*.parquet') ORDER BY position")) {
      while (rs.next()) {
        rows.add(
            new double[] {rs.getInt(1), rs.getInt(2), rs.getInt(3), rs.getInt(4), rs.getDouble(5)});
      }
    }
    return rows;
  }

  @Test
  void defaultWeights() throws Exception {
    // w = gift 5, flower 2, watch 1, asyncView 0.5
    // pos 0: 1 + 5 + 2 + ln 31 + 0.5 = 8.5 + 3.433987204 = 11.933987 (6 decimals)
    // pos 1: 1 + ln 6 = 2.791759
    // pos 2: not clicked: 1
    // pos 3: 1 + ln 1 = 1
    List<double[]> rows = run(SamplingOptions.defaults());
    assertThat(rows).hasSize(4);
    assertThat(rows.get(0)).containsExactly(0, 1, 1, 1, 11.933987);
    assertThat(rows.get(1)).containsExactly(1, 1, 0, 0, 2.791759);
    assertThat(rows.get(2)).containsExactly(2, 0, 0, 0, 1.0);
    assertThat(rows.get(3)).containsExactly(3, 1, 0, 0, 1.0);
  }

  @Test
  void weightsAndThresholdFromTheSpec() throws Exception {
    DataSpec d = new DataSpec();
    d.weights.gift = 3.0;
    d.weights.flower = 0.0;
    d.weights.watch = 2.0;
    d.weights.asyncView = 1.0;
    d.labels.conversionWatchSeconds = 5;
    // pos 0: 1 + 3 + 0 + 2 ln 31 + 1 = 5 + 6.867974409 = 11.867974
    // pos 1: 1 + 2 ln 6 = 1 + 3.583518938 = 4.583519; watch 5 >= 5: conversion
    List<double[]> rows = run(SamplingOptions.from(d));
    assertThat(rows.get(0)).containsExactly(0, 1, 1, 1, 11.867974);
    assertThat(rows.get(1)).containsExactly(1, 1, 1, 0, 4.583519);
    assertThat(rows.get(3)).containsExactly(3, 1, 0, 0, 1.0);
  }
}
