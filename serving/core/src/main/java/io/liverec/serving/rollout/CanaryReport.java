package io.liverec.serving.rollout;

import java.util.Map;

/**
 * What one gateway replica knows about a canary, as {@code GET /v1/canary/outcomes?model=&version=}
 * serves it and the operator's analysis reads it: the arms' outcomes ({@link OutcomeSnapshot},
 * serialised whole, so what the snapshot gains reaches the analysis without touching the
 * transport), the version's technical SLO inputs ({@code p99LatencyMs}, {@code errorRate}, {@code
 * requests}; absent = no data, never a value made up) and the canary's share of traffic this
 * replica serves right now, in basis points (0 = it does not route this version), so the analysis
 * can tell a replica whose watch has not caught up with the status from a canary without traffic.
 */
public record CanaryReport(
    OutcomeSnapshot outcomes, Map<String, Double> technical, int servingBasisPoints) {
  public CanaryReport {
    java.util.Objects.requireNonNull(outcomes, "CanaryReport.outcomes must be set");
    technical = technical == null ? Map.of() : Map.copyOf(technical);
    if (servingBasisPoints < 0 || servingBasisPoints > 10_000) {
      throw new IllegalArgumentException(
          "CanaryReport.servingBasisPoints must be in 0..10000, got " + servingBasisPoints);
    }
  }
}
