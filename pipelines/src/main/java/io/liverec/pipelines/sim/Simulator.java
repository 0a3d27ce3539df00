package io.liverec.pipelines.sim;

import io.liverec.pipelines.events.EventSchema;
import io.liverec.pipelines.events.ParquetLogWriter;
import io.liverec.pipelines.featureviews.FeatureSnapshots;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.LongConsumer;
import org.duckdb.DuckDBAppender;

/**
 * Simulates a live-streaming app's event log: requests arrive over the day, each gets a ranked list
 * of the rooms live at that hour from the {@link RankingPolicy}, and users click, watch, send
 * flowers and gifts, follow and view recorded works according to the {@link PlantedEffects}. Writes
 * the day-partitioned Parquet log described in docs/DATA.md, streaming (memory is bounded by one
 * hour of requests and one Parquet chunk per table), then the time-varying user and room features
 * derived from it as feature-view tables ({@link FeatureSnapshots}, {@code features/}).
 * Deterministic for a seed: one generator, consumed in a fixed order.
 *
 * <p>Size: one class because it is the generator loop: {@code run} writes the side tables and then
 * walks days, hours and requests, drawing ranking, clicks and behaviours from one random generator
 * in a fixed order, and determinism for a seed depends on that order staying in one place. The
 * planted effects, the world and the ranking policy are already their own classes; besides the loop
 * only small sampling and ring-buffer helpers used by it remain.
 */
public final class Simulator {
  private static final long HOUR_MS = 3_600_000L;

  /** Share of a day's requests per hour of day (UTC): a quiet night, a busy evening. */
  private static final double[] HOUR_WEIGHT = new double[24];

  static {
    for (int h = 0; h < 24; h++) {
      double evening = Math.exp(-Math.pow(h - 21, 2) / 8.0) + Math.exp(-Math.pow(h + 3, 2) / 8.0);
      double noon = 0.4 * Math.exp(-Math.pow(h - 12.5, 2) / 6.0);
      HOUR_WEIGHT[h] = 0.12 + evening + noon;
    }
    double s = Arrays.stream(HOUR_WEIGHT).sum();
    for (int h = 0; h < 24; h++) {
      HOUR_WEIGHT[h] /= s;
    }
  }

  private final SimulatorConfig cfg;
  private final World world;
  private RankingPolicy policy;

  public Simulator(SimulatorConfig cfg) {
    if (cfg.users < 1 || cfg.rooms < 1 || cfg.days < 1) {
      throw new IllegalArgumentException("users, rooms and days must be >= 1");
    }
    this.cfg = cfg.copy();
    this.world = new World(this.cfg);
    int[] followersById = new int[cfg.rooms + 1];
    System.arraycopy(world.followers, 0, followersById, 1, cfg.rooms);
    this.policy = new PopularityPolicy(followersById, cfg.policyPopularityWeight, cfg.policyNoise);
  }

  /** Replaces the logging policy (e.g. with a trained ranker for closed-loop tests). */
  public Simulator withPolicy(RankingPolicy newPolicy) {
    this.policy = newPolicy;
    return this;
  }

  public SimulatorConfig config() {
    return cfg.copy();
  }

  /** Runs the simulation into {@code out}; {@code progress} receives impression counts. */
  public SimulationReport run(Path out, LongConsumer progress) {
    SplittableRandom rng = new SplittableRandom(cfg.seed * 0x9E3779B97F4A7C15L + 1);
    SimulationReport.Builder report = new SimulationReport.Builder(cfg);
    int[][] recent = new int[cfg.users][EventSchema.RECENT_ROOMS];
    int[] recentCount = new int[cfg.users];
    double[] activityCdf = cumulative(world.activity);
    long requestId = 0;
    try (ParquetLogWriter writer = new ParquetLogWriter(out, cfg.chunkRows)) {
      writeSideTables(writer);
      ParquetLogWriter.Sink imp = writer.sink(EventSchema.IMPRESSIONS);
      ParquetLogWriter.Sink clicks = writer.sink(EventSchema.CLICKS);
      ParquetLogWriter.Sink watches = writer.sink(EventSchema.WATCHES);
      ParquetLogWriter.Sink gifts = writer.sink(EventSchema.GIFTS);
      ParquetLogWriter.Sink flowers = writer.sink(EventSchema.FLOWERS);
      ParquetLogWriter.Sink follows = writer.sink(EventSchema.FOLLOWS);
      ParquetLogWriter.Sink asyncViews = writer.sink(EventSchema.ASYNC_VIEWS);
      ParquetLogWriter.Sink roomStats = writer.sink(EventSchema.ROOM_STATS);
      ParquetLogWriter.Sink sessions =
          cfg.sessionContent > 0 ? writer.sink(EventSchema.ROOM_SESSIONS) : null;
      long[] statImp = new long[cfg.rooms];
      long[] statClicks = new long[cfg.rooms];
      long[] statConv = new long[cfg.rooms];
      long[] statWatch = new long[cfg.rooms];
      long[] statGift = new long[cfg.rooms];
      int[] hourClicks = new int[cfg.rooms];
      double totalRequestsPerDay = cfg.users * cfg.requestsPerUserPerDay;
      Surface[] surfaces = Surface.values();

      for (int d = 0; d < cfg.days; d++) {
        LocalDate date = cfg.startDay.plusDays(d);
        String day = date.toString();
        long dayStart = date.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        writer.startDay(day);
        if (cfg.sessionContent > 0) {
          writeSessions(sessions, world.sessionContent(d));
        }
        for (int h = 0; h < 24; h++) {
          Arrays.fill(statImp, 0);
          Arrays.fill(statClicks, 0);
          Arrays.fill(statConv, 0);
          Arrays.fill(statWatch, 0);
          Arrays.fill(statGift, 0);
          Arrays.fill(hourClicks, 0);
          long[] live = liveRooms(d, h);
          int nReq = (int) Math.floor(totalRequestsPerDay * HOUR_WEIGHT[h] + rng.nextDouble());
          long[] offsets = new long[nReq];
          for (int i = 0; i < nReq; i++) {
            offsets[i] = (long) (rng.nextDouble() * HOUR_MS);
          }
          Arrays.sort(offsets);
          for (int i = 0; i < nReq && live.length > 0; i++) {
            int u = pick(activityCdf, rng.nextDouble());
            long ts = dayStart + h * HOUR_MS + offsets[i];
            Surface surface = pickSurface(surfaces, rng.nextDouble());
            int n = Math.min(surface.listLength(), live.length);
            long[] recentIds = snapshot(recent[u], recentCount[u]);
            Request req = new Request(++requestId, u + 1L, day, h, ts, surface.id(), recentIds);
            long[] ranked = policy.rank(req, live, n, rng);
            int clickedCount = 0;
            int[] clickedThisRequest = new int[n];
            for (int pos = 0; pos < n; pos++) {
              int r = (int) ranked[pos] - 1;
              boolean isRecent = contains(recent[u], recentCount[u], r + 1);
              double pctr =
                  PlantedEffects.sigmoid(
                      world.effects.clickLogit(u, r, h, surface.ordinal(), pos, isRecent));
              double pcvr =
                  PlantedEffects.sigmoid(world.effects.conversionLogit(u, r, h, surface.ordinal()));
              DuckDBAppender a = imp.begin();
              a.append(req.requestId())
                  .append(u + 1L)
                  .append(r + 1L)
                  .append(surface.id())
                  .append(pos)
                  .append(ts)
                  .append(h)
                  .append(recentIds)
                  .append(hourClicks[r])
                  .append(pctr)
                  .append(pcvr);
              imp.end();
              statImp[r]++;
              boolean click = rng.nextDouble() < pctr;
              boolean conversion = false;
              int watch = 0;
              int giftValue = 0;
              if (click) {
                hourClicks[r]++;
                statClicks[r]++;
                clickedThisRequest[clickedCount++] = r + 1;
                long clickTs = ts + 1000L * (pos + 1) + rng.nextInt(5000);
                behaviour(clicks, req.requestId(), u, r, pos, clickTs);
                clicks.end();
                conversion = rng.nextDouble() < pcvr;
                if (conversion) {
                  double extra = -Math.log(1 - rng.nextDouble()) * cfg.meanExtraWatchSeconds;
                  watch = cfg.conversionWatchSeconds + (int) Math.min(7200, extra);
                } else {
                  watch = 1 + rng.nextInt(Math.max(1, cfg.conversionWatchSeconds - 1));
                }
                behaviour(watches, req.requestId(), u, r, pos, clickTs).append(watch);
                watches.end();
                statWatch[r] += watch;
                long endTs = clickTs + watch * 1000L;
                if (conversion) {
                  statConv[r]++;
                  var fx = world.effects;
                  if (rng.nextDouble() < PlantedEffects.sigmoid(fx.flowerLogit(u, r))) {
                    int count = 1 + (int) Math.floor(-Math.log(1 - rng.nextDouble()) * 3);
                    behaviour(flowers, req.requestId(), u, r, pos, endTs - 1000).append(count);
                    flowers.end();
                    report.flowerRows++;
                  }
                  if (rng.nextDouble() < PlantedEffects.sigmoid(fx.giftLogit(u, r))) {
                    double v = Math.exp(1.5 + 0.5 * world.spender[u] + 0.8 * World.gaussian(rng));
                    giftValue = (int) Math.max(1, Math.min(1_000_000, Math.round(v)));
                    behaviour(gifts, req.requestId(), u, r, pos, endTs - 500).append(giftValue);
                    gifts.end();
                    statGift[r] += giftValue;
                  }
                  if (rng.nextDouble() < PlantedEffects.sigmoid(fx.followLogit(u, r))) {
                    behaviour(follows, req.requestId(), u, r, pos, endTs);
                    follows.end();
                    report.followRows++;
                  }
                }
                if (rng.nextDouble() < PlantedEffects.sigmoid(world.effects.asyncViewLogit(u, r))) {
                  int works = 1 + rng.nextInt(3);
                  behaviour(asyncViews, req.requestId(), u, r, pos, endTs + 1000).append(works);
                  asyncViews.end();
                  report.asyncViewRows++;
                }
              }
              report.impression(pos, pctr, pcvr, click, conversion, giftValue > 0, watch);
            }
            for (int c = 0; c < clickedCount; c++) {
              push(recent[u], recentCount, u, clickedThisRequest[c]);
            }
            report.requests++;
            progress.accept(n);
          }
          for (int r = 0; r < cfg.rooms; r++) {
            if (d < world.firstDay[r]) {
              continue;
            }
            DuckDBAppender a = roomStats.begin();
            a.append(r + 1L)
                .append(h)
                .append(world.isLive(r, d, h) ? 1 : 0)
                .append(statImp[r])
                .append(statClicks[r])
                .append(statConv[r])
                .append(statWatch[r])
                .append(statGift[r]);
            roomStats.end();
          }
        }
        report.days++;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("writing the simulated log to " + out, e);
    }
    // what the app's feature pipeline would have written meanwhile: user and room aggregates
    FeatureSnapshots.write(out);
    SimulationReport result = report.build();
    result.write(out);
    return result;
  }

  private static DuckDBAppender behaviour(
      ParquetLogWriter.Sink sink, long requestId, int u, int r, int pos, long ts)
      throws SQLException {
    return sink.begin().append(requestId).append(u + 1L).append(r + 1L).append(pos).append(ts);
  }

  private void writeSideTables(ParquetLogWriter writer) throws SQLException {
    ParquetLogWriter.Sink users = writer.sink(EventSchema.USERS);
    for (int u = 0; u < cfg.users; u++) {
      users
          .begin()
          .append(u + 1L)
          .append(world.gender[u])
          .append(world.ageBucket[u])
          .append(world.city[u])
          .append(world.device[u])
          .append(world.userLanguage[u])
          .append(world.spender[u]);
      users.end();
    }
    ParquetLogWriter.Sink rooms = writer.sink(EventSchema.ROOMS);
    int dim = EventSchema.MODALITY_DIM;
    for (int r = 0; r < cfg.rooms; r++) {
      float[] c = world.content[r];
      rooms
          .begin()
          .append(r + 1L)
          .append(World.HOST_ID_BASE + r + 1)
          .append(world.category[r])
          .append(world.roomLanguage[r])
          .append(world.coverStyle[r])
          .append(world.followers[r])
          .append(world.liveStart[r])
          .append(world.liveHours[r])
          .append(cfg.startDay.plusDays(world.firstDay[r]).toString())
          .append(Arrays.copyOfRange(c, 0, dim))
          .append(Arrays.copyOfRange(c, dim, 2 * dim))
          .append(Arrays.copyOfRange(c, 2 * dim, 3 * dim));
      rooms.end();
    }
  }

  /** The day's session vectors: written for every room, and read by the unit-pair term. */
  private void writeSessions(ParquetLogWriter.Sink sessions, float[][] c) throws SQLException {
    world.effects.useContent(c);
    int dim = EventSchema.MODALITY_DIM;
    for (int r = 0; r < cfg.rooms; r++) {
      sessions
          .begin()
          .append(r + 1L)
          .append(Arrays.copyOfRange(c[r], 0, dim))
          .append(Arrays.copyOfRange(c[r], dim, 2 * dim))
          .append(Arrays.copyOfRange(c[r], 2 * dim, 3 * dim));
      sessions.end();
    }
  }

  private long[] liveRooms(int day, int hour) {
    int count = 0;
    long[] tmp = new long[cfg.rooms];
    for (int r = 0; r < cfg.rooms; r++) {
      if (world.isLive(r, day, hour)) {
        tmp[count++] = r + 1L;
      }
    }
    return Arrays.copyOf(tmp, count);
  }

  static double[] cumulative(double[] weights) {
    double[] cdf = new double[weights.length];
    double s = 0;
    for (int i = 0; i < weights.length; i++) {
      s += weights[i];
      cdf[i] = s;
    }
    for (int i = 0; i < cdf.length; i++) {
      cdf[i] /= s;
    }
    return cdf;
  }

  static int pick(double[] cdf, double x) {
    int i = Arrays.binarySearch(cdf, x);
    int idx = i >= 0 ? i : -i - 1;
    return Math.min(idx, cdf.length - 1);
  }

  static Surface pickSurface(Surface[] surfaces, double x) {
    double acc = 0;
    for (Surface s : surfaces) {
      acc += s.share();
      if (x < acc) {
        return s;
      }
    }
    return surfaces[surfaces.length - 1];
  }

  /** Ring buffer of recent clicked room ids, newest at index (count-1) mod 20. */
  private static void push(int[] ring, int[] counts, int u, int roomId) {
    int c = counts[u];
    ring[c % ring.length] = roomId;
    counts[u] = c + 1;
  }

  private static long[] snapshot(int[] ring, int count) {
    int n = Math.min(count, ring.length);
    long[] out = new long[n];
    for (int i = 0; i < n; i++) {
      out[i] = ring[Math.floorMod(count - 1 - i, ring.length)];
    }
    return out;
  }

  private static boolean contains(int[] ring, int count, int roomId) {
    int n = Math.min(count, ring.length);
    for (int i = 0; i < n; i++) {
      if (ring[i] == roomId) {
        return true;
      }
    }
    return false;
  }
}
