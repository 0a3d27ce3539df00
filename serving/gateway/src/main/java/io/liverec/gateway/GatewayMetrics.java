package io.liverec.gateway;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The gateway's meters, tagged by model and version: inference latency (histogram with p50/p99),
 * requests, errors, fallbacks and request outcomes; feedback events by kind.
 */
public final class GatewayMetrics {
  private final MeterRegistry registry;
  private final PrometheusMeterRegistry prometheus;

  public GatewayMetrics() {
    this(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  }

  public GatewayMetrics(PrometheusMeterRegistry registry) {
    this.registry = registry;
    this.prometheus = registry;
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** The Prometheus text exposition. */
  public String scrape() {
    return prometheus.scrape();
  }

  public void inference(ModelRef m, Duration took, boolean ok) {
    Timer.builder("liverec_gateway_inference")
        .tags("model", m.name(), "version", Integer.toString(m.version()))
        .publishPercentiles(0.5, 0.99)
        .publishPercentileHistogram()
        .register(registry)
        .record(took);
    Counter.builder("liverec_gateway_model_requests")
        .tags("model", m.name(), "version", Integer.toString(m.version()))
        .register(registry)
        .increment();
    if (!ok) {
      Counter.builder("liverec_gateway_model_errors")
          .tags("model", m.name(), "version", Integer.toString(m.version()))
          .register(registry)
          .increment();
    }
  }

  /**
   * The technical SLO inputs of one model version, as a canary analysis reads them: {@code
   * p99LatencyMs} and {@code p50LatencyMs} of its inference calls (Micrometer's decaying window),
   * {@code errorRate} (failed or too slow calls over all calls since start) and {@code requests}.
   * Empty before the version served any call: no data is not a measurement.
   */
  public Map<String, Double> technical(ModelRef m) {
    String version = Integer.toString(m.version());
    Timer t =
        registry
            .find("liverec_gateway_inference")
            .tags("model", m.name(), "version", version)
            .timer();
    Counter calls =
        registry
            .find("liverec_gateway_model_requests")
            .tags("model", m.name(), "version", version)
            .counter();
    if (t == null || calls == null || calls.count() == 0) {
      return Map.of();
    }
    Counter errors =
        registry
            .find("liverec_gateway_model_errors")
            .tags("model", m.name(), "version", version)
            .counter();
    Map<String, Double> out = new LinkedHashMap<>();
    for (ValueAtPercentile p : t.takeSnapshot().percentileValues()) {
      if (p.percentile() == 0.99) {
        out.put("p99LatencyMs", p.value(TimeUnit.MILLISECONDS));
      } else if (p.percentile() == 0.5) {
        out.put("p50LatencyMs", p.value(TimeUnit.MILLISECONDS));
      }
    }
    out.put("errorRate", (errors == null ? 0 : errors.count()) / calls.count());
    out.put("requests", calls.count());
    return out;
  }

  public void request(Duration took) {
    Timer.builder("liverec_gateway_request")
        .publishPercentiles(0.5, 0.99)
        .publishPercentileHistogram()
        .register(registry)
        .record(took);
  }

  /** One request's outcome: served, cold_start, ranker_fallback, recall_fallback. */
  public void outcome(String outcome, ModelRef ranker) {
    countByRanker("liverec_gateway_outcomes", "outcome", outcome, ranker);
  }

  public double outcomeCount(String outcome) {
    return registry.find("liverec_gateway_outcomes").tag("outcome", outcome).counters().stream()
        .mapToDouble(Counter::count)
        .sum();
  }

  public void feedback(String kind, ModelRef ranker) {
    countByRanker("liverec_gateway_feedback", "kind", kind, ranker);
  }

  /** Counts one {@code name} event tagged {@code key=value} and the ranker (none = "none"). */
  private void countByRanker(String name, String key, String value, ModelRef ranker) {
    Counter.builder(name)
        .tags(
            key,
            value,
            "model",
            ranker == null ? "none" : ranker.name(),
            "version",
            ranker == null ? "none" : Integer.toString(ranker.version()))
        .register(registry)
        .increment();
  }

  public void badRequest(String field) {
    Counter.builder("liverec_gateway_bad_requests")
        .tag("field", field)
        .register(registry)
        .increment();
  }
}
