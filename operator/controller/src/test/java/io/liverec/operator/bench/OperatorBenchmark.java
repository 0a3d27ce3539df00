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

  record Phase(
      int runs,
      double seconds,
      double p99Millis,
      double meanMillis,
      long reconciles,
      String load) {}

  @Test
  void thousandTrainingRuns() throws Exception {
    warmUp();
    Phase anchor = phase("anchor", ANCHOR);
    long heapBefore = usedHeapAfterGc();
    Phase load = phase("load", LOAD);
    long heapAfter = usedHeapAfterGc();
    Phase floor = apiFloor("load", "floor");

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
                    Locale.ROOT,
                    "%.1f ms (%d reconciles; bucket upper bound); load average %s / %s",
                    load.p99Millis(),
                    load.reconciles(),
                    anchor.load(),
                    load.load()),
                cmd,
                date),
            row(
                "operator: mean TrainingRun reconcile (exact: total time / count), 1000 runs",
                String.format(Locale.ROOT, "100 runs: %.1f ms", anchor.meanMillis()),
                String.format(Locale.ROOT, "%.2f×", load.meanMillis() / anchor.meanMillis()),
                String.format(
                    Locale.ROOT, "%.1f ms (%d reconciles)", load.meanMillis(), load.reconciles()),
                cmd,
                date),
            row(
                "operator: p99 TrainingRun reconcile against the API floor (the same ConfigMap, Job"
                    + " and Event POSTs from a plain client, 10 threads, same mock server, after the"
                    + " 1000 runs)",
                String.format(
                    Locale.ROOT,
                    "API floor: p99 %.1f ms, mean %.1f ms",
                    floor.p99Millis(),
                    floor.meanMillis()),
                String.format(
                    Locale.ROOT,
                    "%.2f× (p99), %.2f× (mean)",
                    load.p99Millis() / floor.p99Millis(),
                    load.meanMillis() / floor.meanMillis()),
                String.format(
                    Locale.ROOT,
                    "%.1f ms p99, %.1f ms mean; load average %s",
                    load.p99Millis(),
                    load.meanMillis(),
                    floor.load()),
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
    double t0 = before == null ? 0 : before.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS);
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
    double mean = (after.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS) - t0) / count;
    assertThat(client.batch().v1().jobs().inNamespace(ns).list().getItems()).hasSize(n);
    return new Phase(n, seconds, p99Millis(b0, b1, count), mean, count, loadAverage());
  }

  /**
   * The API calls a first reconcile makes (POST the spec ConfigMap, the Job, one Event), issued by
   * a plain client with as many threads as the operator has reconcile threads, for copies of the
   * objects the operator created in {@code from} (labels and owners stripped, so no informer sees
   * them): what any reconciler of this design pays against this mock server at this store size.
   */
  private Phase apiFloor(String from, String ns) throws Exception {
    List<io.fabric8.kubernetes.api.model.batch.v1.Job> jobs =
        client.batch().v1().jobs().inNamespace(from).list().getItems();
    java.util.Map<String, io.fabric8.kubernetes.api.model.ConfigMap> maps =
        new java.util.HashMap<>();
    client.configMaps().inNamespace(from).list().getItems().stream()
        .filter(c -> c.getMetadata().getOwnerReferences() != null)
        .forEach(
            c ->
                c.getMetadata().getOwnerReferences().stream()
                    .findFirst()
                    .ifPresent(o -> maps.put(o.getName(), c)));
    io.micrometer.core.instrument.simple.SimpleMeterRegistry reg =
        new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
    Timer timer = Timer.builder("floor").publishPercentileHistogram().register(reg);
    ExecutorService pool = Executors.newFixedThreadPool(10);
    List<Future<?>> calls = new ArrayList<>();
    long start = System.nanoTime();
    for (var job : jobs) {
      String run = job.getMetadata().getOwnerReferences().get(0).getName();
      var map = maps.get(run);
      calls.add(
          pool.submit(
              () -> {
                long t0 = System.nanoTime();
                if (map != null) {
                  client
                      .configMaps()
                      .inNamespace(ns)
                      .resource(
                          new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
                              .withNewMetadata()
                              .withName(map.getMetadata().getName())
                              .endMetadata()
                              .withData(map.getData())
                              .build())
                      .create();
                }
                var copy = new io.fabric8.kubernetes.api.model.batch.v1.JobBuilder(job).build();
                copy.setMetadata(
                    new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
                        .withName(job.getMetadata().getName())
                        .build());
                copy.setStatus(null);
                client.batch().v1().jobs().inNamespace(ns).resource(copy).create();
                client
                    .v1()
                    .events()
                    .inNamespace(ns)
                    .resource(
                        new io.fabric8.kubernetes.api.model.EventBuilder()
                            .withNewMetadata()
                            .withName(run + ".floor")
                            .endMetadata()
                            .withNewInvolvedObject()
                            .withKind("TrainingRun")
                            .withName(run)
                            .withNamespace(ns)
                            .endInvolvedObject()
                            .withType("Normal")
                            .withReason("JobCreated")
                            .withMessage("created Job " + job.getMetadata().getName())
                            .build())
                    .create();
                timer.record(System.nanoTime() - t0, java.util.concurrent.TimeUnit.NANOSECONDS);
              }));
    }
    for (Future<?> f : calls) {
      f.get();
    }
    pool.shutdown();
    double seconds = (System.nanoTime() - start) / 1e9;
    long count = timer.count();
    return new Phase(
        jobs.size(),
        seconds,
        p99Millis(new CountAtBucket[0], timer.takeSnapshot().histogramCounts(), count),
        timer.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS) / count,
        count,
        loadAverage());
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

  private static String loadAverage() {
    return String.format(
        Locale.ROOT, "%.1f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
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
