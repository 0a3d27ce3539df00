package io.liverec.serving.rollout;

import io.liverec.api.v1alpha1.ModelVersionSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.BiFunction;

/**
 * Analysis against observed metric values from a source (the embedded gateway's counters, or values
 * given on the command line). A criterion without an observation makes the run inconclusive; any
 * bound broken fails it. {@code sequential} criteria are judged on the observed value here; the
 * sequential test arrives with the gateway's analysis.
 */
public final class ObservedMetricsAnalysis implements CanaryAnalysis {
  private final BiFunction<String, Integer, Map<String, Double>> source;

  /** {@code source(model, version)} returns the metrics observed for the canary. */
  public ObservedMetricsAnalysis(BiFunction<String, Integer, Map<String, Double>> source) {
    this.source = source;
  }

  @Override
  public Result analyze(
      String model, int version, List<ModelVersionSpec.Metric> criteria, Duration window) {
    Map<String, Double> all = source.apply(model, version);
    Map<String, Double> observed = new LinkedHashMap<>();
    List<String> missing = new ArrayList<>();
    List<String> broken = new ArrayList<>();
    for (ModelVersionSpec.Metric c : criteria) {
      OptionalDouble v =
          all.containsKey(c.name) ? OptionalDouble.of(all.get(c.name)) : OptionalDouble.empty();
      if (v.isEmpty() || Double.isNaN(v.getAsDouble())) {
        missing.add(c.name);
        continue;
      }
      double x = v.getAsDouble();
      observed.put(c.name, x);
      if (c.min != null && x < c.min) {
        broken.add(c.name + "=" + x + " < min " + c.min);
      }
      if (c.max != null && x > c.max) {
        broken.add(c.name + "=" + x + " > max " + c.max);
      }
    }
    if (!broken.isEmpty()) {
      return new Result(Verdict.FAILED, observed, String.join("; ", broken));
    }
    if (!missing.isEmpty()) {
      return new Result(
          Verdict.INCONCLUSIVE, observed, "no data for " + String.join(", ", missing));
    }
    return new Result(
        Verdict.SUCCESSFUL, observed, "all " + criteria.size() + " metrics within bounds");
  }
}
