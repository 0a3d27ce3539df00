package io.liverec.pipelines.sampling;

import io.liverec.api.errors.LiverecException;
import io.liverec.pipelines.events.EventLog;
import io.liverec.pipelines.events.EventSchema;
import io.liverec.pipelines.events.SchemaCheck;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.duckdb.DuckDBConnection;

/**
 * The embedded sampling engine: {@link SamplingSql} run by an in-process DuckDB over the Parquet
 * log, one day at a time (memory bounded by a day; DuckDB spills to disk beyond that). Writes
 * {@code <out>/samples/day=D/part-00000.parquet}, {@code <out>/quarantine/<table>/day=D/…} and the
 * report.
 *
 * <p>Size: one class because it is the DuckDB side of the one sampling job: the day loop with its
 * thread pool, the per-day stage execution, the raw views over the day's files and the report
 * collection all share one DuckDB setup and {@link SamplingSql}. The seams are {@link StepTimes}
 * (timing, also read by the sampling benchmark) and the raw-view SQL ({@code rawSelect}); both are
 * small and tied to this engine, so they have not been moved out.
 */
public final class DuckDbSampler {
  public static final String ENGINE = "duckdb";

  /**
   * Days sampled at the same time (default 2; {@code -Dliverec.sampling.concurrentDays=n} for
   * tuning, measured with scripts/bench-sampling.sh).
   */
  static final int CONCURRENT_DAYS = Integer.getInteger("liverec.sampling.concurrentDays", 2);

  /**
   * Options of every Parquet file written: zstd at level 1 and no bloom filters cost about 10 %
   * less CPU than zstd's default level 3 with bloom filters for a 2 % larger file (measured in
   * docs/BENCHMARKS.md); nothing reads the samples by equality, so the bloom filters had no use.
   */
  static final String PARQUET_WRITE =
      "FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL 1, WRITE_BLOOM_FILTER false";

  private final int concurrentDays;
  private final StepTimes times;

  public DuckDbSampler() {
    this(CONCURRENT_DAYS, null);
  }

  /**
   * For benchmarks: {@code concurrentDays} days at once; {@code times} (may be null) collects the
   * wall and process CPU time of every step.
   */
  public DuckDbSampler(int concurrentDays, StepTimes times) {
    if (concurrentDays < 1) {
      throw new IllegalArgumentException("concurrentDays must be >= 1, got " + concurrentDays);
    }
    this.concurrentDays = concurrentDays;
    this.times = times;
  }

  /**
   * Wall and process CPU seconds per step (schema check, each stage, samples, report, quarantine),
   * summed over days. Process CPU counts every thread of the JVM and of DuckDB, so a step's CPU is
   * only its own when one day runs at a time ({@code concurrentDays = 1}).
   */
  public static final class StepTimes {
    private final java.util.Map<String, long[]> steps =
        java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>());

    void add(String step, long wallNs, long cpuNs) {
      synchronized (steps) {
        long[] t = steps.computeIfAbsent(step, k -> new long[2]);
        t[0] += wallNs;
        t[1] += cpuNs;
      }
    }

    /** Step → {wall ns, process CPU ns}, in first-seen order. */
    public java.util.Map<String, long[]> steps() {
      synchronized (steps) {
        java.util.Map<String, long[]> copy = new java.util.LinkedHashMap<>();
        steps.forEach((k, v) -> copy.put(k, v.clone()));
        return copy;
      }
    }
  }

  /** CPU time of the whole process (all threads, DuckDB's included), or -1 if unknown. */
  public static long processCpuNanos() {
    if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return -1;
  }

  /** Times one step: prints it with -Dliverec.sampling.trace=true and adds it to {@link #times}. */
  private void step(String day, String step, long t0, long cpu0) {
    long wall = System.nanoTime() - t0;
    if (times != null) {
      times.add(step, wall, processCpuNanos() - cpu0);
    }
    if (Boolean.getBoolean("liverec.sampling.trace")) {
      System.err.printf("duckdb sampler: %s %-22s %7.2f s%n", day, step, wall / 1e9);
    }
  }

  /**
   * Samples the log under {@code events} into {@code out}; {@code onDay} sees each finished day.
   */
  public SamplingReport sample(Path events, Path out, SamplingOptions o, Consumer<String> onDay) {
    long start = System.nanoTime();
    EventLog log = EventLog.open(events);
    List<String> days = log.days(o.from(), o.to());
    if (days.isEmpty()) {
      throw LiverecException.badInput(
          "no impression days under "
              + events
              + " in ["
              + (o.from() == null ? "first" : o.from())
              + ", "
              + (o.to() == null ? "last" : o.to())
              + "]");
    }
    SamplingReport.Accumulator acc = new SamplingReport.Accumulator();
    try (Connection conn = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = conn.createStatement()) {
      // every output is written with an explicit ORDER BY, so intermediate tables need no order
      st.execute("SET preserve_insertion_order = false");
      // Fail fast on the schema of every input file before any work.
      long s0 = System.nanoTime();
      long c0 = processCpuNanos();
      for (String day : days) {
        for (EventSchema.Table t : EventSchema.SAMPLER_INPUTS) {
          if (t.partitioned()) {
            for (Path f : log.files(t, day)) {
              SchemaCheck.check(conn, t, f);
            }
          }
        }
      }
      for (EventSchema.Table t : List.of(EventSchema.USERS, EventSchema.ROOMS)) {
        Path f = log.sideTable(t);
        SchemaCheck.check(conn, t, f);
        // in the main schema: every day's connection sees it
        st.execute(
            "CREATE OR REPLACE VIEW "
                + SamplingSql.rawView(t)
                + " AS SELECT "
                + String.join(", ", t.columnNames())
                + " FROM read_parquet("
                + lit(f.toString())
                + ")");
      }
      step("all days", "schema check", s0, c0);
      deleteTree(out.resolve(EventSchema.SAMPLES.name()));
      deleteTree(out.resolve("quarantine"));
      // Days are independent: up to concurrentDays run at once, each on its own connection (own
      // temp views and tables) sharing the database's thread pool, so one day's serial phases
      // overlap another's parallel ones.
      ExecutorService pool =
          Executors.newFixedThreadPool(Math.min(concurrentDays, days.size()), daemonThreads());
      try {
        List<Future<SamplingReport.Accumulator>> results = new ArrayList<>();
        for (String day : days) {
          results.add(
              pool.submit(
                  () -> {
                    try (Connection dayConn = ((DuckDBConnection) conn).duplicate()) {
                      SamplingReport.Accumulator dayAcc = sampleDay(dayConn, log, day, out, o);
                      synchronized (onDay) {
                        onDay.accept(day);
                      }
                      return dayAcc;
                    }
                  }));
        }
        for (Future<SamplingReport.Accumulator> r : results) {
          acc.add(r.get());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while sampling " + events, e);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof RuntimeException re) {
          throw re;
        }
        if (e.getCause() instanceof IOException io) {
          throw new UncheckedIOException(io);
        }
        throw new IllegalStateException(
            "sampling " + events + " with DuckDB failed: " + e.getCause().getMessage(),
            e.getCause());
      } finally {
        pool.shutdownNow();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("sampling " + events + " with DuckDB failed", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    long ms = (System.nanoTime() - start) / 1_000_000;
    SamplingReport report = acc.build(ENGINE, events.toString(), out.toString(), o, days, ms);
    report.write(out);
    return report;
  }

  /** How many impression days the log under {@code events} has. */
  int days(Path events) {
    return EventLog.open(events).days(null, null).size();
  }

  /** One day: stages, samples, report counts and quarantine files; returns its counts. */
  private SamplingReport.Accumulator sampleDay(
      Connection conn, EventLog log, String day, Path out, SamplingOptions o)
      throws SQLException, IOException {
    SamplingSql sql = new SamplingSql(o, List.of(day));
    try (Statement st = conn.createStatement()) {
      for (EventSchema.Table t : EventSchema.SAMPLER_INPUTS) {
        if (t.partitioned()) {
          st.execute(
              "CREATE OR REPLACE TEMP VIEW "
                  + SamplingSql.rawView(t)
                  + " AS "
                  + rawSelect(t, day, log.files(t, day)));
        }
      }
      for (SamplingSql.Stage s : sql.stages()) {
        // materialized: most stages are read by several later ones
        long t0 = System.nanoTime();
        long c0 = processCpuNanos();
        if (s.name().equals(SamplingSql.flagged(EventSchema.IMPRESSIONS))
            && isEmpty(st, "impressions_dupkeys")) {
          // no duplicated key: every impression keeps its basic reason, no need to copy the table
          st.execute(
              "CREATE OR REPLACE TEMP VIEW "
                  + s.name()
                  + " AS "
                  + sql.impressionsFlaggedWithoutDuplicatesSql());
        } else {
          st.execute("CREATE OR REPLACE TEMP TABLE " + s.name() + " AS " + s.sql());
        }
        step(day, s.name(), t0, c0);
      }
      Path dayDir = out.resolve(EventSchema.SAMPLES.name()).resolve(EventSchema.DAY + "=" + day);
      Files.createDirectories(dayDir);
      long t1 = System.nanoTime();
      long c1 = processCpuNanos();
      st.execute(
          "COPY (SELECT * EXCLUDE (day) FROM ("
              + sql.samplesQuery()
              + ") s ORDER BY request_id, position) TO "
              + lit(dayDir.resolve("part-00000.parquet").toString())
              + " ("
              + PARQUET_WRITE
              + ")");
      step(day, "samples", t1, c1);
      SamplingReport.Accumulator dayAcc = new SamplingReport.Accumulator();
      long t2 = System.nanoTime();
      long c2 = processCpuNanos();
      collect(st, sql, dayAcc);
      step(day, "report", t2, c2);
      long t3 = System.nanoTime();
      long c3 = processCpuNanos();
      for (EventSchema.Table t : SamplingSql.quarantinable()) {
        if (dayAcc.quarantined.keySet().stream().noneMatch(k -> k.startsWith(t.name() + "/"))) {
          continue;
        }
        Path qDir =
            out.resolve("quarantine").resolve(t.name()).resolve(EventSchema.DAY + "=" + day);
        Files.createDirectories(qDir);
        st.execute(
            "COPY (SELECT * EXCLUDE (day) FROM ("
                + sql.quarantineQuery(t)
                + ") q) TO "
                + lit(qDir.resolve("part-00000.parquet").toString())
                + " ("
                + PARQUET_WRITE
                + ")");
      }
      step(day, "quarantine", t3, c3);
      return dayAcc;
    }
  }

  private static java.util.concurrent.ThreadFactory daemonThreads() {
    return r -> {
      Thread t = new Thread(r, "duckdb-sampler-day");
      t.setDaemon(true);
      return t;
    };
  }

  private static boolean isEmpty(Statement st, String table) throws SQLException {
    try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1) == 0;
    }
  }

  static void collect(Statement st, SamplingSql sql, SamplingReport.Accumulator acc)
      throws SQLException {
    try (ResultSet rs = st.executeQuery(sql.totalsQuery())) {
      rs.next();
      acc.totals(rs.getLong(1), rs.getLong(2));
    }
    try (ResultSet rs = st.executeQuery(sql.ruleCountsQuery())) {
      while (rs.next()) {
        acc.rule(
            rs.getString(1),
            rs.getLong(2),
            rs.getLong(3),
            rs.getLong(4),
            rs.getLong(5),
            rs.getDouble(6),
            rs.getDouble(7),
            rs.getDouble(8));
      }
    }
    try (ResultSet rs = st.executeQuery(sql.weightHistogramQuery())) {
      while (rs.next()) {
        acc.bucket(rs.getLong(1), rs.getLong(2));
      }
    }
    try (ResultSet rs = st.executeQuery(sql.quarantineCountsQuery())) {
      while (rs.next()) {
        acc.quarantine(rs.getString(1), rs.getString(2), rs.getLong(3));
      }
    }
  }

  /**
   * The raw view of one table for one day: schema columns, a literal day column and, for
   * impressions, the row id {@link SamplingSql#ROW_ID} (file index in the list · 2⁴⁰ + row number).
   */
  static String rawSelect(EventSchema.Table t, String day, List<Path> files) {
    boolean rowId = t == EventSchema.IMPRESSIONS;
    if (files.isEmpty()) {
      return "SELECT "
          + t.columns().stream()
              .map(c -> "CAST(NULL AS " + c.type() + ") AS " + c.name())
              .collect(Collectors.joining(", "))
          + ", CAST(NULL AS VARCHAR) AS day"
          + (rowId ? ", CAST(NULL AS BIGINT) AS " + SamplingSql.ROW_ID : "")
          + " WHERE 1 = 0";
    }
    String list =
        files.stream().map(f -> lit(f.toString())).collect(Collectors.joining(", ", "[", "]"));
    return "SELECT "
        + String.join(", ", t.columnNames())
        + ", "
        + lit(day)
        + " AS day"
        + (rowId
            ? ", CAST(file_index AS BIGINT) * "
                + SamplingSql.FILE_ROW_ID_STRIDE
                + " + file_row_number AS "
                + SamplingSql.ROW_ID
            : "")
        + " FROM read_parquet("
        + list
        + (rowId ? ", file_row_number = true" : "")
        + ")";
  }

  static String lit(String s) {
    return "'" + s.replace("'", "''") + "'";
  }

  /**
   * Deletes {@code p} and everything below it, deepest first; nothing when it does not exist. Also
   * used by the trainers for their checkpoint and run directories.
   */
  public static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(q);
      }
    }
  }
}
