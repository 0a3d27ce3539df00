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

  /** The report for {@code ?model=&version=}; a missing or bad parameter is a 400 naming it. */
  static CanaryReport report(Recommender recommender, String rawQuery) {
    Map<String, String> q = query(rawQuery);
    String model = q.get("model");
    if (model == null || model.isBlank()) {
      throw new GatewayServer.BadRequest(400, "model", "is required");
    }
    int version;
    try {
      version = Integer.parseInt(q.getOrDefault("version", ""));
    } catch (NumberFormatException e) {
      throw new GatewayServer.BadRequest(400, "version", "must be a positive integer");
    }
    if (version < 1) {
      throw new GatewayServer.BadRequest(
          400, "version", "must be a positive integer, was " + version);
    }
    return report(recommender, model, version);
  }

  /** {@code a=1&b=x} → its decoded pairs (the last of a repeated name wins). */
  private static Map<String, String> query(String raw) {
    Map<String, String> out = new java.util.HashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      String v = eq < 0 ? "" : pair.substring(eq + 1);
      out.put(
          java.net.URLDecoder.decode(k, java.nio.charset.StandardCharsets.UTF_8),
          java.net.URLDecoder.decode(v, java.nio.charset.StandardCharsets.UTF_8));
    }
    return out;
  }

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
        recommender.outcomes().snapshotWithUsers(model, version), // merged by user across replicas
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
