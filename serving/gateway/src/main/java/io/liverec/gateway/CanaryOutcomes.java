package io.liverec.gateway;

import io.liverec.serving.rollout.CanaryReport;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The answer to {@code GET /v1/canary/outcomes?model=&version=}: this replica's counts of the
 * canary's arms ({@code ArmOutcomes.snapshot}), the version's technical SLO inputs from the
 * gateway's meters (non-finite values left out: no data is not a measurement) and the share the
 * current split gives the version.
 */
final class CanaryOutcomes {
  private CanaryOutcomes() {}

  static CanaryReport report(Recommender recommender, String model, int version) {
    ModelRef ref = new ModelRef(model, version);
    Map<String, Double> technical = new LinkedHashMap<>();
    recommender
        .metrics()
        .technical(ref)
        .forEach(
            (k, v) -> {
              if (v != null && Double.isFinite(v)) {
                technical.put(k, v);
              }
            });
    return new CanaryReport(
        recommender.outcomes().snapshot(model, version),
        technical,
        servingBasisPoints(recommender.split(), ref));
  }

  /** The basis points {@code split} routes to {@code ref}: its arm's, 10 000 if it is alone. */
  static int servingBasisPoints(TrafficSplit split, ModelRef ref) {
    if (split.arms().size() == 1) {
      return split.arms().get(0).ranker().equals(ref) ? TrafficSplit.BUCKETS : 0;
    }
    TrafficSplit.Arm first = split.arms().get(0);
    return first.ranker().equals(ref) ? first.basisPoints() : 0;
  }
}
