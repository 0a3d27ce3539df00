package io.liverec.pipelines.sampling;

import io.liverec.pipelines.events.EventSchema;
import io.liverec.pipelines.events.ParquetLogWriter;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Random event logs for property tests: requests of random length with random clicks (none, one,
 * several, anywhere in the list) and random behaviours, written in the log's Parquet layout, plus
 * the rows themselves so a test can compute the expected samples independently of the SQL.
 */
final class RandomLog {
  static final int USERS = 50;
  static final int ROOMS = 100;

  /** One impression and what followed it. */
  record Imp(
      String day,
      long requestId,
      int position,
      long userId,
      long roomId,
      long ts,
      boolean click,
      int watch,
      int gift,
      int flowers,
      boolean follow,
      int async) {}

  final List<Imp> rows = new ArrayList<>();

  /** Writes {@code requestsPerDay} random requests for each day to {@code dir}. */
  static RandomLog write(Path dir, long seed, int requestsPerDay, List<String> days)
      throws SQLException {
    RandomLog log = new RandomLog();
    SplittableRandom rng = new SplittableRandom(seed);
    long requestId = 0;
    try (ParquetLogWriter w = new ParquetLogWriter(dir, 1_000_000)) {
      writeSideTables(w);
      for (String day : days) {
        w.startDay(day);
        long dayStart =
            LocalDate.parse(day).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        for (int q = 0; q < requestsPerDay; q++) {
          requestId++;
          long user = 1 + rng.nextInt(USERS);
          long ts = dayStart + rng.nextLong(86_400_000L - 60_000L);
          int len = 1 + rng.nextInt(12);
          double clickRate = rng.nextDouble() < 0.3 ? 0 : rng.nextDouble() * 0.4;
          List<Long> roomsShown = new ArrayList<>();
          for (int pos = 0; pos < len; pos++) {
            long room;
            do {
              room = 1 + rng.nextInt(ROOMS);
            } while (roomsShown.contains(room));
            roomsShown.add(room);
            boolean click = rng.nextDouble() < clickRate;
            int watch = click ? 1 + rng.nextInt(120) : 0;
            int gift = click && rng.nextDouble() < 0.2 ? 1 + rng.nextInt(50) : 0;
            int flowers = click && rng.nextDouble() < 0.3 ? 1 + rng.nextInt(5) : 0;
            boolean follow = click && rng.nextDouble() < 0.1;
            int async = click && rng.nextDouble() < 0.2 ? 1 + rng.nextInt(3) : 0;
            Imp imp =
                new Imp(
                    day, requestId, pos, user, room, ts, click, watch, gift, flowers, follow,
                    async);
            log.rows.add(imp);
            writeImpression(w, imp, rng);
            if (click) {
              behaviour(w, EventSchema.CLICKS, imp).end(w, EventSchema.CLICKS);
              behaviour(w, EventSchema.WATCHES, imp).append(watch);
              w.sink(EventSchema.WATCHES).end();
              if (gift > 0) {
                behaviour(w, EventSchema.GIFTS, imp).append(gift);
                w.sink(EventSchema.GIFTS).end();
              }
              if (flowers > 0) {
                behaviour(w, EventSchema.FLOWERS, imp).append(flowers);
                w.sink(EventSchema.FLOWERS).end();
              }
              if (follow) {
                behaviour(w, EventSchema.FOLLOWS, imp);
                w.sink(EventSchema.FOLLOWS).end();
              }
              if (async > 0) {
                behaviour(w, EventSchema.ASYNC_VIEWS, imp).append(async);
                w.sink(EventSchema.ASYNC_VIEWS).end();
              }
            }
          }
        }
      }
    }
    return log;
  }

  static void writeSideTables(ParquetLogWriter w) throws SQLException {
    for (int u = 1; u <= USERS; u++) {
      w.sink(EventSchema.USERS)
          .begin()
          .append((long) u)
          .append(u % 3)
          .append(u % 7)
          .append(u % 50)
          .append(u % 4)
          .append(u % 5)
          .append(u % 5);
      w.sink(EventSchema.USERS).end();
    }
    float[] vec = new float[EventSchema.MODALITY_DIM];
    for (int r = 1; r <= ROOMS; r++) {
      w.sink(EventSchema.ROOMS)
          .begin()
          .append((long) r)
          .append(1_000_000L + r)
          .append(r % 20)
          .append(r % 5)
          .append(r % 4)
          .append(r * 10)
          .append(r % 24)
          .append(4)
          .append("2026-01-01")
          .append(vec)
          .append(vec)
          .append(vec);
      w.sink(EventSchema.ROOMS).end();
    }
  }

  static void writeImpression(ParquetLogWriter w, Imp imp, SplittableRandom rng)
      throws SQLException {
    w.sink(EventSchema.IMPRESSIONS)
        .begin()
        .append(imp.requestId())
        .append(imp.userId())
        .append(imp.roomId())
        .append("feed")
        .append(imp.position())
        .append(imp.ts())
        .append((int) ((imp.ts() / 3_600_000L) % 24))
        .append(new long[] {1 + rng.nextInt(ROOMS), 1 + rng.nextInt(ROOMS)})
        .append(rng.nextInt(10))
        .append(rng.nextDouble())
        .append(rng.nextDouble());
    w.sink(EventSchema.IMPRESSIONS).end();
  }

  private static Appending behaviour(ParquetLogWriter w, EventSchema.Table t, Imp imp)
      throws SQLException {
    var a =
        w.sink(t)
            .begin()
            .append(imp.requestId())
            .append(imp.userId())
            .append(imp.roomId())
            .append(imp.position())
            .append(imp.ts() + 1000);
    return new Appending(a);
  }

  /** Small wrapper so a behaviour row can be ended or extended fluently. */
  record Appending(org.duckdb.DuckDBAppender a) {
    Appending append(int v) throws SQLException {
      a.append(v);
      return this;
    }

    void end(ParquetLogWriter w, EventSchema.Table t) throws SQLException {
      w.sink(t).end();
    }
  }
}
