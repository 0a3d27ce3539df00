package io.liverec.operator.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.liverec.api.v1alpha1.ModelVersionSpec;
import io.liverec.gateway.GatewayConfig;
import io.liverec.gateway.GatewayMetrics;
import io.liverec.gateway.GatewayServer;
import io.liverec.gateway.InProcessOnlineFeatures;
import io.liverec.gateway.LiveRoomIndex;
import io.liverec.gateway.ModelRef;
import io.liverec.gateway.Recommender;
import io.liverec.gateway.TrafficSplit;
import io.liverec.pipelines.recall.index.IndexParams;
import io.liverec.serving.rollout.ArmOutcomes.Arm;
import io.liverec.serving.rollout.CanaryAnalysis;
import io.liverec.serving.rollout.InProcessTrafficRouter;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The operator's read of the gateways against real gateway servers on loopback: the replicas'
 * counts add up, one replica down makes the whole read fail (never a partial sum), and the analysis
 * turns a failed read or a replica not serving the status weight into an inconclusive run, while a
 * readable gateway without technical data for a canary that has traffic fails it.
 */
class GatewayOutcomesTest {
  static final ModelRef STABLE = new ModelRef("ranker", 1);
  static final ModelRef CANARY = new ModelRef("ranker", 2);

  /** A gateway replica routing 30% to the canary; {@code users} see one impression each. */
  static final class Replica implements AutoCloseable {
    final Recommender rec;
    final GatewayServer server;

    Replica(int canaryBasisPoints, String userPrefix, int users, boolean servedCalls) {
      TrafficSplit split = TrafficSplit.canary("ranker/2", CANARY, canaryBasisPoints, STABLE);
      rec =
          new Recommender(
              GatewayConfig.defaults(new ModelRef("user_tower", 1)),
              new InProcessOnlineFeatures(),
              new LiveRoomIndex(8, IndexParams.DEFAULT, 1000),
              (m, v, in, out) -> {
                throw new UnsupportedOperationException();
              },
              () -> split,
              new GatewayMetrics());
      for (int i = 0; i < users; i++) {
        String u = userPrefix + i;
        if (servedCalls) {
          rec.metrics().inference(rec.rankerFor(u), Duration.ofMillis(2 + i % 5), true);
        }
        rec.countOutcome(u, "impression");
        if (i % 4 == 0) {
          rec.countOutcome(u, "click");
        }
      }
      server = new GatewayServer(rec, "127.0.0.1", 0, 1);
    }

    String url() {
      return "http://127.0.0.1:" + server.port();
    }

    private boolean closed;

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        server.close();
        rec.close();
      }
    }
  }

  @Test
  void replicasAddUpAndOneDownFailsTheWholeRead() throws Exception {
    try (Replica a = new Replica(3000, "a-", 400, true);
        Replica b = new Replica(3000, "b-", 700, true)) {
      GatewayOutcomes both = new GatewayOutcomes(a.url() + ", " + b.url(), Duration.ofSeconds(2));
      GatewayOutcomes.Observation o = both.read("ranker", 2);
      assertThat(o.replicas()).hasSize(2);
      for (Arm arm : Arm.values()) {
        long sum =
            a.rec.outcomes().counts("ranker", 2, arm, "click").events()
                + b.rec.outcomes().counts("ranker", 2, arm, "click").events();
        assertThat(o.counts("ranker", 2, arm, "click").events()).isEqualTo(sum).isPositive();
        assertThat(o.users("ranker", 2, arm, 3000))
            .isEqualTo(
                a.rec.outcomes().users("ranker", 2, arm, 3000)
                    + b.rec.outcomes().users("ranker", 2, arm, 3000));
        assertThat(o.moments("ranker", 2, arm, "click", 3000).impressions())
            .isEqualTo(o.counts("ranker", 2, arm, "click").impressions());
      }
      double requests =
          a.rec.metrics().technical(CANARY).get("requests")
              + b.rec.metrics().technical(CANARY).get("requests");
      assertThat(o.technical().get("requests")).isEqualTo(requests);
      assertThat(o.servingBasisPoints()).containsExactly(3000, 3000);

      String bUrl = b.url();
      b.close();
      assertThatThrownBy(() -> both.read("ranker", 2))
          .isInstanceOf(GatewayOutcomes.Unavailable.class)
          .hasMessageContaining(bUrl.substring("http://".length()))
          .hasMessageContaining("unreachable");
    }
  }

  @Test
  void analysisHoldsOnNoMeasurementAndFailsOnMissingDataWithTraffic() throws Exception {
    List<ModelVersionSpec.Metric> slo =
        List.of(new ModelVersionSpec.Metric("p99LatencyMs", null, 50.0));
    InProcessTrafficRouter router = new InProcessTrafficRouter();
    router.setWeight("ranker", 2, 30);
    try (Replica noCalls = new Replica(3000, "u-", 500, false)) {
      GatewayCanaryAnalysis analysis =
          new GatewayCanaryAnalysis(
              new GatewayOutcomes(noCalls.url(), Duration.ofSeconds(2)), router, 0.05, 0.05, 100);
      CanaryAnalysis.Result r = analysis.analyze("ranker", 2, slo, Duration.ofMinutes(1));
      assertThat(r.verdict()).isEqualTo(CanaryAnalysis.Verdict.FAILED);
      assertThat(r.message()).contains("no data for p99LatencyMs", "traffic");

      router.setWeight("ranker", 2, 50); // the status moved on; this replica still serves 30%
      r = analysis.analyze("ranker", 2, slo, Duration.ofMinutes(1));
      assertThat(r.verdict()).isEqualTo(CanaryAnalysis.Verdict.INCONCLUSIVE);
      assertThat(r.message()).contains("3000", "5000");

      router.setWeight("ranker", 2, 30);
      String url = noCalls.url();
      noCalls.close();
      GatewayCanaryAnalysis down =
          new GatewayCanaryAnalysis(
              new GatewayOutcomes(url, Duration.ofSeconds(2)), router, 0.05, 0.05, 100);
      r = down.analyze("ranker", 2, slo, Duration.ofMinutes(1));
      assertThat(r.verdict()).isEqualTo(CanaryAnalysis.Verdict.INCONCLUSIVE);
      assertThat(r.message()).contains("no measurement");
    }
    assertThatThrownBy(() -> new GatewayOutcomes("ftp://x", Duration.ofSeconds(1)))
        .hasMessageContaining("liverec.operator.gateway-url");
  }
}
