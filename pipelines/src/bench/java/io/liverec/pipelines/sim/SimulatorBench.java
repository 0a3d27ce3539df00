package io.liverec.pipelines.sim;

import io.liverec.pipelines.events.EventSchema;
import io.liverec.pipelines.events.ParquetLogWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Benchmark (not a test): simulator throughput against its anchor, the bare Parquet writer
 * streaming the same number of impression rows (random values, no simulation) in the same run.
 * Prints impressions per second for both and their ratio. Run through {@code
 * scripts/bench-simulator.sh [impressions]} (default 2 000 000).
 */
public final class SimulatorBench {
  private SimulatorBench() {}

  public static void main(String[] args) throws Exception {
    long target = args.length > 0 ? Long.parseLong(args[0]) : 2_000_000L;
    Path work = Path.of(args.length > 1 ? args[1] : ".cache/bench-simulator");
    SimulatorConfig cfg = new SimulatorConfig();
    cfg.days = 3;
    cfg.rooms = 1000;
    cfg.users = (int) Math.max(100, target / (cfg.days * cfg.requestsPerUserPerDay * 7.6));
    cfg.seed = 1;

    // anchor first (warms DuckDB and the JIT for the writer), then the simulator
    Path anchorDir = work.resolve("anchor");
    clean(anchorDir);
    long t0 = System.nanoTime();
    long written = writeRandom(anchorDir, target, cfg.days);
    double anchorS = (System.nanoTime() - t0) / 1e9;

    Path simDir = work.resolve("sim");
    clean(simDir);
    t0 = System.nanoTime();
    SimulationReport r = new Simulator(cfg).run(simDir, n -> {});
    double simS = (System.nanoTime() - t0) / 1e9;

    double anchorRate = written / anchorS;
    double simRate = r.impressions() / simS;
    System.out.printf(
        "anchor  Parquet writer, random rows : %6.2f s  %,12.0f impressions/s%n",
        anchorS, anchorRate);
    System.out.printf(
        "figure  simulator (all tables)      : %6.2f s  %,12.0f impressions/s (%,.0f per minute)%n",
        simS, simRate, simRate * 60);
    System.out.printf("ratio simulator/anchor: %.2f%n", simRate / anchorRate);
    System.out.printf(
        "| simulator (`liverec simulate`, all tables), %,d impressions | Parquet writer streaming the"
            + " same number of random impression rows | %.2f | %.2f M impressions/min | "
            + "scripts/bench-simulator.sh %d | %s |%n",
        r.impressions(), simRate / anchorRate, simRate * 60 / 1e6, target, LocalDate.now());
  }

  /** The same impression rows as the simulator writes, with random values and no logic. */
  static long writeRandom(Path dir, long rows, int days) throws Exception {
    SplittableRandom rng = new SplittableRandom(1);
    long perDay = rows / days;
    long n = 0;
    try (ParquetLogWriter w = new ParquetLogWriter(dir, 1_000_000)) {
      ParquetLogWriter.Sink imp = w.sink(EventSchema.IMPRESSIONS);
      for (int d = 0; d < days; d++) {
        w.startDay(LocalDate.of(2026, 1, 1).plusDays(d).toString());
        for (long i = 0; i < perDay; i++) {
          int len = rng.nextInt(EventSchema.RECENT_ROOMS + 1);
          long[] recent = new long[len];
          for (int k = 0; k < len; k++) {
            recent[k] = 1 + rng.nextInt(1000);
          }
          imp.begin()
              .append(n / 8 + 1)
              .append(1L + rng.nextInt(100_000))
              .append(1L + rng.nextInt(1000))
              .append("feed")
              .append((int) (n % 8))
              .append(rng.nextLong(1L << 40))
              .append(rng.nextInt(24))
              .append(recent)
              .append(rng.nextInt(50))
              .append(rng.nextDouble())
              .append(rng.nextDouble());
          imp.end();
          n++;
        }
      }
    }
    return n;
  }

  private static void clean(Path dir) throws Exception {
    if (Files.exists(dir)) {
      try (Stream<Path> s = Files.walk(dir)) {
        for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    Files.createDirectories(dir);
  }
}
