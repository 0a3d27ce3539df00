package io.liverec.operator;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Reconcile counts and durations by kind and result, exported on {@code /q/metrics} as {@code
 * liverec_reconcile_seconds_{count,sum,bucket}{kind,result}}.
 */
@ApplicationScoped
public class ReconcileMetrics {
  private final MeterRegistry registry;

  public ReconcileMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Records one reconcile of {@code kind} that ended with {@code result} after {@code nanos}. */
  public void record(String kind, String result, long nanos) {
    Timer.builder("liverec.reconcile")
        .description("Duration of one reconcile")
        .tag("kind", kind)
        .tag("result", result)
        .publishPercentileHistogram()
        .register(registry)
        .record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
  }

  /**
   * Runs one reconcile and records it: result {@code unchanged} or {@code updated} by the returned
   * control, {@code error} when it throws (the exception goes on to JOSDK's retry).
   */
  public <P extends HasMetadata> UpdateControl<P> timed(
      String kind, java.util.function.Supplier<UpdateControl<P>> reconcile) {
    long start = System.nanoTime();
    String result = "error";
    try {
      UpdateControl<P> control = reconcile.get();
      result = control.isNoUpdate() ? "unchanged" : "updated";
      return control;
    } finally {
      record(kind, result, System.nanoTime() - start);
    }
  }

  /** The timer of {@code kind}/{@code result}, e.g. for the benchmark's p99. */
  public Timer timer(String kind, String result) {
    return registry.find("liverec.reconcile").tag("kind", kind).tag("result", result).timer();
  }
}
