package io.liverec.pipelines.train.bench;

import io.liverec.pipelines.features.ColumnSpec;
import io.liverec.pipelines.features.FeatureCounters;
import io.liverec.pipelines.features.FeatureTransform;
import io.liverec.pipelines.sampling.DuckDbSampler;
import io.liverec.pipelines.sampling.SamplingOptions;
import io.liverec.pipelines.sim.Simulator;
import io.liverec.pipelines.sim.SimulatorConfig;
import io.liverec.pipelines.train.SampleBatch;
import io.liverec.pipelines.train.SampleData;
import io.liverec.pipelines.train.Split;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;

/**
 * Throughput of the training batch reader (DuckDB streaming + feature transform + batch building,
 * shuffled as in training) against an anchor measured in the same run on the same rows: a plain
 * JDBC scan reading every needed column with {@code getObject} and no transform. Also reports the
 * peak heap during the shuffled read, to show the reader streams rather than loads.
 *
 * <p>Arguments: {@code users=N rooms=M days=D dir=PATH}.
 */
public final class BatchReaderBenchmark {
  private BatchReaderBenchmark() {}

  public static void main(String[] args) throws Exception {
    SimulatorConfig c = new SimulatorConfig();
    c.users = 2000;
    c.rooms = 300;
    c.days = 3;
    c.requestsPerUserPerDay = 10;
    Path dir = Path.of("liverec-out/bench-batches");
    for (String a : args) {
      String[] kv = a.split("=", 2);
      switch (kv[0]) {
        case "users" -> c.users = Integer.parseInt(kv[1]);
        case "rooms" -> c.rooms = Integer.parseInt(kv[1]);
        case "days" -> c.days = Integer.parseInt(kv[1]);
        case "dir" -> dir = Path.of(kv[1]);
        default -> throw new IllegalArgumentException("unknown setting " + a);
      }
    }
    Path log = dir.resolve("log");
    if (!Files.exists(log.resolve("samples"))) {
      new Simulator(c).run(log, n -> {});
      new DuckDbSampler().sample(log, log, SamplingOptions.defaults(), d -> {});
    }
    ColumnSpec spec = ColumnSpec.defaults();
    try (SampleData data = SampleData.open(log.resolve("samples"), spec, null, null, 1)) {
      FeatureTransform t = new FeatureTransform(data.fitTransform());
      // warm-up of both paths
      scan(data, spec);
      read(data, t);
      long rows = 0;
      long t0 = System.nanoTime();
      for (int r = 0; r < 3; r++) {
        rows += scan(data, spec);
      }
      double anchor = rows / ((System.nanoTime() - t0) / 1e9);
      resetPeaks();
      rows = 0;
      t0 = System.nanoTime();
      for (int r = 0; r < 3; r++) {
        rows += read(data, t);
      }
      double reader = rows / ((System.nanoTime() - t0) / 1e9);
      long peak = peakHeap();
      System.out.printf(
          "| training batch reader throughput (shuffled, transformed, batches of 1024) | plain"
              + " JDBC scan of the same columns | %.2f | %.0f rows/s (anchor %.0f rows/s; %d rows"
              + " per pass; peak heap %d MiB) | scripts/bench-batches.sh | %s |%n",
          reader / anchor, reader, anchor, rows / 3, peak >> 20, LocalDate.now());
    }
  }

  private static long scan(SampleData data, ColumnSpec spec) throws Exception {
    StringBuilder sql = new StringBuilder("SELECT ");
    int n = 0;
    for (String col : spec.featureSources()) {
      sql.append(n++ == 0 ? "" : ", ").append('"').append(col).append('"');
    }
    sql.append(", click, conversion, weight, user_id FROM samples WHERE ")
        .append(data.where(Split.TRAIN));
    long rows = 0;
    try (Statement st = data.connection().createStatement()) {
      st.setFetchSize(1024);
      try (ResultSet rs = st.executeQuery(sql.toString())) {
        int cols = rs.getMetaData().getColumnCount();
        while (rs.next()) {
          for (int i = 1; i <= cols; i++) {
            rs.getObject(i);
          }
          rows++;
        }
      }
    }
    return rows;
  }

  private static long read(SampleData data, FeatureTransform t) {
    long rows = 0;
    try (SampleData.BatchIterator it =
        data.batches(Split.TRAIN, t, 1024, 7L, new FeatureCounters())) {
      while (it.hasNext()) {
        SampleBatch b = it.next();
        rows += b.batch().size();
      }
    }
    return rows;
  }

  private static void resetPeaks() {
    System.gc();
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      p.resetPeakUsage();
    }
  }

  private static long peakHeap() {
    long sum = 0;
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP) {
        sum += p.getPeakUsage().getUsed();
      }
    }
    return sum;
  }
}
