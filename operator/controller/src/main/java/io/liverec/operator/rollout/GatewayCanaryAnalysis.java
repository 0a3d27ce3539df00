package io.liverec.operator.rollout;

import io.liverec.api.v1alpha1.ModelVersionSpec;
import io.liverec.serving.rollout.ArmOutcomes.Arm;
import io.liverec.serving.rollout.ArmOutcomes.Counts;
import io.liverec.serving.rollout.CanaryAnalysis;
import io.liverec.serving.rollout.OutcomeAnalysis;
import io.liverec.serving.rollout.OutcomeCounts;
import io.liverec.serving.rollout.TrafficRouter;
import io.liverec.serving.rollout.stats.UserMoments;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The rollout analysis in the cluster: each run reads the gateways' outcomes for the canary ({@link
 * GatewayOutcomes}) and judges them with {@link OutcomeAnalysis} (mSPRT per weight epoch,
 * sample-ratio check, technical SLOs). Before any verdict the read itself must be a measurement:
 *
 * <ul>
 *   <li>a gateway replica that cannot be read (down, not resolving, an error, garbage): the run is
 *       <b>inconclusive</b> — the weight holds, nothing is promoted, and a long outage stays
 *       visible as a row of inconclusive runs (a metrics outage must not roll back a canary nobody
 *       measured, nor promote one);
 *   <li>a replica that does not serve the canary at the weight in status (its watch has not caught
 *       up): inconclusive, for the same reason;
 *   <li>then {@link OutcomeAnalysis}: a technical criterion without data while the canary has
 *       traffic <b>fails</b>, outcomes not yet decided are inconclusive, and only decided tests and
 *       met thresholds pass.
 * </ul>
 */
public final class GatewayCanaryAnalysis implements CanaryAnalysis {
  private final GatewayOutcomes gateways;
  private final TrafficRouter router;
  private final OutcomeAnalysis outcomes;
  private final Map<String, GatewayOutcomes.Observation> latest = new ConcurrentHashMap<>();

  public GatewayCanaryAnalysis(
      GatewayOutcomes gateways, TrafficRouter router, double alpha, double tau, long burnIn) {
    this.gateways = gateways;
    this.router = router;
    this.outcomes =
        new OutcomeAnalysis(
            new Latest(),
            router,
            (m, v) -> {
              GatewayOutcomes.Observation o = latest.get(m + "/" + v);
              return o == null ? Map.of() : o.technical();
            },
            alpha,
            tau,
            burnIn);
  }

  @Override
  public Result analyze(
      String model, int version, List<ModelVersionSpec.Metric> criteria, Duration window) {
    GatewayOutcomes.Observation o;
    try {
      o = gateways.read(model, version);
    } catch (GatewayOutcomes.Unavailable e) {
      return new Result(
          Verdict.INCONCLUSIVE, Map.of(), "no measurement: " + e.getMessage() + "; holding");
    }
    int expected = router.weight(model, version) * 100;
    List<Integer> serving = o.servingBasisPoints();
    if (serving.stream().anyMatch(bp -> bp != expected)) {
      return new Result(
          Verdict.INCONCLUSIVE,
          Map.of(),
          "gateway replicas "
              + o.replicas()
              + " serve the canary at "
              + serving
              + " basis points, status says "
              + expected
              + " (a watch not caught up); holding");
    }
    latest.put(model + "/" + version, o);
    Result r = outcomes.analyze(model, version, criteria, window);
    Map<String, Double> observed = new LinkedHashMap<>(r.observed());
    observed.put("gatewayReplicas", (double) o.replicas().size());
    return new Result(r.verdict(), observed, r.message());
  }

  /** The last observation read for each canary, as the outcome analysis reads counts. */
  private final class Latest implements OutcomeCounts {
    private OutcomeCounts of(String m, int v) {
      GatewayOutcomes.Observation o = latest.get(m + "/" + v);
      return o == null ? NONE : o;
    }

    @Override
    public Counts counts(String m, int v, Arm arm, String kind) {
      return of(m, v).counts(m, v, arm, kind);
    }

    @Override
    public long users(String m, int v, Arm arm, int canaryBasisPoints) {
      return of(m, v).users(m, v, arm, canaryBasisPoints);
    }

    @Override
    public UserMoments moments(String m, int v, Arm arm, String kind, int canaryBasisPoints) {
      return of(m, v).moments(m, v, arm, kind, canaryBasisPoints);
    }
  }

  private static final OutcomeCounts NONE =
      new OutcomeCounts() {
        @Override
        public Counts counts(String m, int v, Arm arm, String kind) {
          return new Counts(0, 0);
        }

        @Override
        public long users(String m, int v, Arm arm, int canaryBasisPoints) {
          return 0;
        }

        @Override
        public UserMoments moments(String m, int v, Arm arm, String kind, int bp) {
          return UserMoments.EMPTY;
        }
      };
}
