package io.liverec.pipelines.sampling;

import io.liverec.pipelines.events.EventSchema;
import io.liverec.pipelines.sim.SimulationReport;
import io.liverec.pipelines.sim.Simulator;
import io.liverec.pipelines.sim.SimulatorConfig;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;

/**
 * Benchmark (not a test): sampling throughput of the embedded engine against its anchor, the same
 * Skip-Above logic (labels, weights, side-table fields) written as one plain DuckDB SQL statement
 * without validation, quarantine or report, on the same simulated log in the same run. Prints, for
 * both, impressions per second and input events per second (impressions plus the behaviour rows
 * read: clicks, watches, gifts, flowers, follows, async views), wall and process CPU seconds, their
 * ratio and the machine's load average; the engine with every day at once as a variant; the I/O
 * floor (every input column decoded once, plus the engine's output rows read and written again,
 * with no logic at all), which bounds what any engine on this reader and writer can reach; and a
 * per-step breakdown (wall and CPU seconds of each stage, samples write and report) from one more
 * run with one day at a time. Run through {@code scripts/bench-sampling.sh}.
 *
 * <p>Arguments: {@code [impressions (default 10000000)] [work dir (default
 * .cache/bench-sampling)]}. The simulated log is kept in the work dir and reused by later runs of
 * the same size.
 */
public final class SamplingBench {
  private SamplingBench() {}

  public static void main(String[] args) throws Exception {
    long target = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000L;
    Path work = Path.of(args.length > 1 ? args[1] : ".cache/bench-sampling");
    Path events = work.resolve("events-" + target);
    if (!Files.exists(events.resolve(SimulationReport.JSON))) {
      SimulatorConfig cfg = new SimulatorConfig();
      cfg.days = 3;
      cfg.rooms = 2000;
      cfg.requestsPerUserPerDay = 20;
      // about 7.6 impressions per request
      cfg.users = (int) Math.max(100, target / (cfg.days * cfg.requestsPerUserPerDay * 7.6));
      cfg.seed = 1;
      System.out.printf("simulating ~%,d impressions into %s ...%n", target, events);
      long t0 = System.nanoTime();
      SimulationReport r = new Simulator(cfg).run(events, n -> {});
      System.out.printf(
          "simulated %,d impressions in %.1f s (%.0f impressions/s)%n",
          r.impressions(),
          (System.nanoTime() - t0) / 1e9,
          r.impressions() / ((System.nanoTime() - t0) / 1e9));
    }
    long impressions = countRows(events, "impressions");
    long behaviourRows = 0;
    for (EventSchema.Table t : EventSchema.BEHAVIOURS) {
      behaviourRows += countRows(events, t.name());
    }
    long inputEvents = impressions + behaviourRows;
    int cores = Runtime.getRuntime().availableProcessors();
    System.out.printf(
        "log: %s, %,d impressions, %,d input events (impressions + clicks, watches, gifts,"
            + " flowers, follows, async views), %d cores, load average %s%n",
        events, impressions, inputEvents, cores, loadAverage());

    // warm-up of both paths (JVM, DuckDB, page cache), then each timed twice, interleaved; the
    // faster run of each counts (the machine is shared: the slower one measures the neighbours)
    plainSql(events, work.resolve("anchor-out"));
    int days = new DuckDbSampler().days(events);
    double[] anchor = {Double.MAX_VALUE, 0};
    double[] engine = {Double.MAX_VALUE, 0};
    double[] allDays = {Double.MAX_VALUE, 0};
    for (int round = 1; round <= 2; round++) {
      double[] a = time(() -> plainSql(events, work.resolve("anchor-out")));
      double[] e =
          time(
              () ->
                  new DuckDbSampler()
                      .sample(
                          events, work.resolve("engine-out"), SamplingOptions.defaults(), d -> {}));
      // the same engine with every day at once (instead of DuckDbSampler.CONCURRENT_DAYS)
      double[] all =
          time(
              () ->
                  new DuckDbSampler(days, null)
                      .sample(
                          events, work.resolve("engine-out"), SamplingOptions.defaults(), d -> {}));
      System.out.printf(
          "round %d: anchor %.2f s (%.1f CPU-s), engine %.2f s (%.1f CPU-s), engine with all %d"
              + " days at once %.2f s (%.1f CPU-s); load average %s%n",
          round, a[0], a[1], e[0], e[1], days, all[0], all[1], loadAverage());
      anchor = a[0] < anchor[0] ? a : anchor;
      engine = e[0] < engine[0] ? e : engine;
      allDays = all[0] < allDays[0] ? all : allDays;
    }
    double anchorS = anchor[0];
    double engineS = engine[0];
    double anchorRate = impressions / anchorS;
    double engineRate = impressions / engineS;
    System.out.printf(
        "anchor  plain DuckDB SQL skip-above : %6.2f s %5.1f CPU-s %,12.0f impressions/s %,12.0f"
            + " input events/s%n",
        anchorS, anchor[1], anchorRate, inputEvents / anchorS);
    System.out.printf(
        "figure  embedded engine skip-above  : %6.2f s %5.1f CPU-s %,12.0f impressions/s %,12.0f"
            + " input events/s (%d days at a time)%n",
        engineS, engine[1], engineRate, inputEvents / engineS, DuckDbSampler.CONCURRENT_DAYS);
    System.out.printf(
        "variant engine, all %d days at once : %6.2f s %5.1f CPU-s %,12.0f impressions/s %,12.0f"
            + " input events/s%n",
        days, allDays[0], allDays[1], impressions / allDays[0], inputEvents / allDays[0]);
    System.out.printf(
        "ratio engine/anchor: %.2f by wall time, %.2f by CPU seconds (less sensitive to the"
            + " neighbours' load)%n",
        engineRate / anchorRate, anchor[1] / engine[1]);
    System.out.printf(
        "target 2 M events/s: %s as impressions/s (%.2f M/s), %s as input events/s (%.2f M/s)%n",
        engineRate >= 2e6 ? "met" : "NOT met",
        engineRate / 1e6,
        inputEvents / engineS >= 2e6 ? "met" : "NOT met",
        inputEvents / engineS / 1e6);

    // the I/O floor: decoding every input column once plus writing the engine's output rows
    // again, with no validation, join, rule or sort; no engine on this reader and writer can be
    // faster than this, so it bounds what the 2 M events/s target asks of this machine
    double[] read = {Double.MAX_VALUE, 0};
    double[] write = {Double.MAX_VALUE, 0};
    for (int round = 1; round <= 2; round++) {
      double[] r = time(() -> readFloor(events));
      double[] w = time(() -> writeFloor(work.resolve("engine-out"), work.resolve("floor-out")));
      read = r[0] < read[0] ? r : read;
      write = w[0] < write[0] ? w : write;
    }
    double floorS = read[0] + write[0];
    System.out.printf(
        "floor   read every input column   : %6.2f s %5.1f CPU-s; rewrite the engine's output:"
            + " %.2f s %.1f CPU-s; together %.2f s = at most %.2f M input events/s on this"
            + " machine (the engine takes %.2f× the floor)%n",
        read[0], read[1], write[0], write[1], floorS, inputEvents / floorS / 1e6, engineS / floorS);

    // where the engine's time goes: one more run, one day at a time, so that the process CPU
    // time around a step is that step's own
    DuckDbSampler.StepTimes steps = new DuckDbSampler.StepTimes();
    double[] prof =
        time(
            () ->
                new DuckDbSampler(1, steps)
                    .sample(
                        events, work.resolve("engine-out"), SamplingOptions.defaults(), d -> {}));
    System.out.printf(
        "per-step breakdown (one day at a time: %.2f s wall, %.1f CPU-s; load average %s):%n",
        prof[0], prof[1], loadAverage());
    double stepCpu = 0;
    for (long[] t : steps.steps().values()) {
      stepCpu += t[1] / 1e9;
    }
    for (var en : steps.steps().entrySet()) {
      System.out.printf(
          "  %-22s %6.2f s wall %6.2f CPU-s %5.1f %%%n",
          en.getKey(),
          en.getValue()[0] / 1e9,
          en.getValue()[1] / 1e9,
          100 * en.getValue()[1] / 1e9 / prof[1]);
    }
    System.out.printf(
        "  %-22s %6.2f CPU-s %5.1f %% (report file, JVM, outside the steps)%n",
        "other", prof[1] - stepCpu, 100 * (prof[1] - stepCpu) / prof[1]);
    System.out.printf(
        "| embedded sampling (DuckDB engine, skip-above, validation+quarantine+report), %,d"
            + " impressions = %,d input events | plain DuckDB SQL, same rules | %.2f | %.2f M"
            + " impressions/s = %.2f M input events/s (anchor %.2f M impressions/s) | "
            + "scripts/bench-sampling.sh %d | %s, load average %s |%n",
        impressions,
        inputEvents,
        engineRate / anchorRate,
        engineRate / 1e6,
        inputEvents / engineS / 1e6,
        anchorRate / 1e6,
        target,
        LocalDate.now(),
        loadAverage());
  }

  /** The 1, 5 and 15 minute load averages of the machine. */
  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (java.io.IOException | RuntimeException e) {
      return String.format(
          "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
  }

  interface Work {
    void run() throws Exception;
  }

  /** {wall seconds, process CPU seconds} of one run. */
  static double[] time(Work w) throws Exception {
    long c0 = DuckDbSampler.processCpuNanos();
    long t0 = System.nanoTime();
    w.run();
    return new double[] {
      (System.nanoTime() - t0) / 1e9, (DuckDbSampler.processCpuNanos() - c0) / 1e9
    };
  }

  static long countRows(Path events, String table) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT COUNT(*) FROM read_parquet('" + events + "/" + table + "/*/*.parquet')")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Reads every column of every sampler input (lists decoded) and keeps nothing. */
  static void readFloor(Path events) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement()) {
      for (EventSchema.Table t : EventSchema.SAMPLER_INPUTS) {
        if (!t.partitioned()) {
          continue;
        }
        String cols =
            t.columns().stream()
                .map(
                    col ->
                        col.type().endsWith("[]")
                            ? "MAX(LEN(" + col.name() + "))"
                            : "MAX(" + col.name() + ")")
                .collect(java.util.stream.Collectors.joining(", "));
        try (ResultSet rs =
            st.executeQuery(
                "SELECT "
                    + cols
                    + " FROM read_parquet('"
                    + events
                    + "/"
                    + t.name()
                    + "/*/*.parquet')")) {
          rs.next();
        }
      }
    }
  }

  /** Reads the engine's samples and writes them again with the engine's Parquet options. */
  static void writeFloor(Path engineOut, Path out) throws Exception {
    Files.createDirectories(out);
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement()) {
      st.execute("SET preserve_insertion_order = false");
      st.execute(
          "COPY (SELECT * FROM read_parquet('"
              + engineOut
              + "/"
              + EventSchema.SAMPLES.name()
              + "/*/*.parquet')) TO '"
              + out.resolve("samples.parquet")
              + "' ("
              + DuckDbSampler.PARQUET_WRITE
              + ")");
    }
  }

  /**
   * The anchor: Skip-Above with labels and default weights as one DuckDB statement, written with
   * the engine's Parquet options.
   */
  static void plainSql(Path events, Path out) throws Exception {
    Files.createDirectories(out);
    String e = events.toString();
    String hive = ", hive_partitioning=true, hive_types={'day': VARCHAR})";
    String sql =
        "COPY (WITH imp AS (SELECT * FROM read_parquet('"
            + e
            + "/impressions/*/*.parquet'"
            + hive
            + "), clk AS (SELECT DISTINCT day, request_id, position, room_id, 1 AS click"
            + " FROM read_parquet('"
            + e
            + "/clicks/*/*.parquet'"
            + hive
            + "),"
            + " w AS (SELECT day, request_id, position, room_id, SUM(watch_seconds) AS ws"
            + " FROM read_parquet('"
            + e
            + "/watches/*/*.parquet'"
            + hive
            + " GROUP BY ALL),"
            + " g AS (SELECT day, request_id, position, room_id, SUM(value) AS gv"
            + " FROM read_parquet('"
            + e
            + "/gifts/*/*.parquet'"
            + hive
            + " GROUP BY ALL),"
            + " f AS (SELECT day, request_id, position, room_id, SUM(count) AS fl"
            + " FROM read_parquet('"
            + e
            + "/flowers/*/*.parquet'"
            + hive
            + " GROUP BY ALL),"
            + " a AS (SELECT day, request_id, position, room_id, SUM(works) AS av"
            + " FROM read_parquet('"
            + e
            + "/async_views/*/*.parquet'"
            + hive
            + " GROUP BY ALL),"
            + " lab AS (SELECT imp.*, COALESCE(click, 0) AS click, COALESCE(ws, 0) AS ws,"
            + " COALESCE(gv, 0) AS gv, COALESCE(fl, 0) AS fl, COALESCE(av, 0) AS av FROM imp"
            + " LEFT JOIN clk USING (day, request_id, position, room_id)"
            + " LEFT JOIN w USING (day, request_id, position, room_id)"
            + " LEFT JOIN g USING (day, request_id, position, room_id)"
            + " LEFT JOIN f USING (day, request_id, position, room_id)"
            + " LEFT JOIN a USING (day, request_id, position, room_id)),"
            + " r AS (SELECT *, MAX(CASE WHEN click = 1 THEN position END)"
            + " OVER (PARTITION BY day, request_id) AS last_click FROM lab)"
            + " SELECT r.request_id, r.position, r.user_id, r.room_id, r.ts, r.hour, r.surface,"
            + " r.recent_rooms, r.room_viewers, u.gender, u.age_bucket, u.city, u.device,"
            + " u.language AS user_language, u.spender_level, m.host_id, m.category,"
            + " m.language AS room_language, m.cover_style, m.followers, r.click,"
            + " CASE WHEN r.click = 1 AND r.ws >= 30 THEN 1 ELSE 0 END AS conversion,"
            + " CASE WHEN r.gv > 0 THEN 1 ELSE 0 END AS gift, r.ws AS watch_seconds,"
            + " CASE WHEN r.click = 1 THEN 1 + 5 * (r.gv > 0)::INT + 2 * (r.fl > 0)::INT"
            + " + ln(1 + r.ws) + 0.5 * (r.av > 0)::INT ELSE 1 END AS weight, r.day"
            + " FROM r LEFT JOIN read_parquet('"
            + e
            + "/users.parquet') u USING (user_id)"
            + " LEFT JOIN read_parquet('"
            + e
            + "/rooms.parquet') m ON r.room_id = m.room_id"
            + " WHERE r.click = 1 OR r.position < r.last_click)"
            + " TO '"
            + out
            + "' ("
            + DuckDbSampler.PARQUET_WRITE
            + ", PARTITION_BY (day),"
            + " OVERWRITE_OR_IGNORE true)";
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }
}
