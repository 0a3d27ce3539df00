package io.liverec.api.v1alpha1;

import java.util.List;

/**
 * The metric names a ModelVersion's canary analysis can measure, one list for the CRD's CEL rules,
 * the admission validator and the analyses. Technical SLOs come from the gateway's meters per model
 * version; lifts are the canary's outcome rate minus its control slice's.
 */
public final class AnalysisMetrics {
  private AnalysisMetrics() {}

  /** Outcome lifts: the only metrics a {@code sequential} criterion can test. */
  public static final List<String> SEQUENTIAL = List.of("ctrLift", "conversionLift", "giftLift");

  /** Every name a criterion may use. */
  public static final List<String> ALL =
      List.of("p99LatencyMs", "p50LatencyMs", "errorRate", "ctrLift", "conversionLift", "giftLift");

  static final String SEQUENTIAL_CEL = "['ctrLift', 'conversionLift', 'giftLift']";

  static final String ALL_CEL =
      "['p99LatencyMs', 'p50LatencyMs', 'errorRate', 'ctrLift', 'conversionLift', 'giftLift']";
}
