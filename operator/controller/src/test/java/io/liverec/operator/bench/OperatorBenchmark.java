package io.liverec.operator.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.liverec.api.v1alpha1.TrainingRun;
import io.liverec.operator.Fixtures;
import io.liverec.operator.ReconcileMetrics;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * 1000 TrainingRuns created at once against the Fabric8 mock API server: time until every Job
 * exists, p99 reconcile duration, operator heap. The anchor is the same measurement for 100 runs in
 * the same JVM, so the ratios say how the operator scales. Run with scripts/bench-operator.sh.
 */
@Tag("benchmark")
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class OperatorBenchmark {
  static final int ANCHOR = 100;
  static final int LOAD = 1000;

  @Inject KubernetesClient client;
  @Inject ReconcileMetrics metrics;

  record Phase(int runs, double seconds, double p99Millis, long reconciles) {}

  @Test
  void thousandTrainingRuns() throws Exception {
    warmUp();
    Phase anchor = phase("anchor", ANCHOR);
    long heapBefore = usedHeapAfterGc();
    Phase load = phase("load", LOAD);
    long heapAfter = usedHeapAfterGc();

    double perRunAnchor = anchor.seconds() / anchor.runs();
    double perRunLoad = load.seconds() / load.runs();
    String date = LocalDate.now().toString();
    String cmd = "scripts/bench-operator.sh";
    List<String> rows =
        List.of(
            row(
                "operator: time until all Jobs exist, 1000 TrainingRuns",
                String.format(Locale.ROOT, "100 runs: %.2f s", anchor.seconds()),
                String.format(Locale.ROOT, "%.2f× per run", perRunLoad / perRunAnchor),
                String.format(
                    Locale.ROOT, "%.2f s (%.1f ms/run)", load.seconds(), 1000 * perRunLoad),
                cmd,
                date),
            row(
                "operator: p99 TrainingRun reconcile, 1000 runs",
                String.format(Locale.ROOT, "100 runs: %.1f ms", anchor.p99Millis()),
                String.format(Locale.ROOT, "%.2f×", load.p99Millis() / anchor.p99Millis()),
                String.format(
                    Locale.ROOT, "%.1f ms (%d reconciles)", load.p99Millis(), load.reconciles()),
                cmd,
                date),
            row(
                "operator: heap held for 1000 more TrainingRuns (+Jobs, ConfigMaps in caches)",
                String.format(Locale.ROOT, "after 100 runs: %.0f MiB", heapBefore / 1048576.0),
                String.format(Locale.ROOT, "%.2f×", (double) heapAfter / heapBefore),
                String.format(Locale.ROOT, "%.0f MiB after GC", heapAfter / 1048576.0),
                cmd,
                date));
    rows.forEach(System.out::println);
    Path out = Path.of("target/bench-operator.md");
    Files.writeString(out, String.join("\n", rows) + "\n");
    System.out.println("benchmark rows written to " + out.toAbsolutePath());
  }

  private void warmUp() throws Exception {
    phase("warmup", 20);
  }

  private Phase phase(String ns, int n) throws Exception {
    Timer before = metrics.timer("TrainingRun", "updated");
    CountAtBucket[] b0 =
        before == null ? new CountAtBucket[0] : before.takeSnapshot().histogramCounts();
    long c0 = before == null ? 0 : before.count();
    TrainingRun template = Fixtures.trainingRun(ns, "x");
    long start = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<?>> creates = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String name = String.format(Locale.ROOT, "run-%04d", i);
      creates.add(
          pool.submit(
              () -> {
                TrainingRun tr = Fixtures.trainingRun(ns, name);
                tr.setSpec(template.getSpec());
                client.resource(tr).create();
              }));
    }
    for (Future<?> f : creates) {
      f.get();
    }
    pool.shutdown();
    while (client.batch().v1().jobs().inNamespace(ns).list().getItems().size() < n) {
      Thread.sleep(20);
      assertThat(System.nanoTime() - start)
          .as("all Jobs within 10 minutes")
          .isLessThan(600_000_000_000L);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    Thread.sleep(500); // let the status patches of the last reconciles land
    Timer after = metrics.timer("TrainingRun", "updated");
    CountAtBucket[] b1 = after.takeSnapshot().histogramCounts();
    long count = after.count() - c0;
    assertThat(client.batch().v1().jobs().inNamespace(ns).list().getItems()).hasSize(n);
    return new Phase(n, seconds, p99Millis(b0, b1, count), count);
  }

  /** p99 from the difference of two cumulative histogram snapshots (bucket upper bound). */
  static double p99Millis(CountAtBucket[] before, CountAtBucket[] after, long count) {
    double target = 0.99 * count;
    for (int i = 0; i < after.length; i++) {
      double c = after[i].count() - (i < before.length ? before[i].count() : 0);
      if (c >= target) {
        return after[i].bucket(java.util.concurrent.TimeUnit.MILLISECONDS);
      }
    }
    return Double.NaN;
  }

  private static long usedHeapAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(200);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static String row(
      String figure, String anchor, String ratio, String value, String cmd, String date) {
    return "| " + figure + " | " + anchor + " | " + ratio + " | " + value + " | `" + cmd + "` | "
        + date + " |";
  }
}
