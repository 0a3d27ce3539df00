package io.liverec.operator.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
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
import io.liverec.serving.rollout.CanaryReport;
import io.liverec.serving.rollout.stats.UserMoments;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Two gateway replicas behind a Service that does not keep a user on one replica: each user's
 * impressions and clicks land on either, at random. The per-user sums the operator reads must be
 * those of one gateway that saw everything — the same users, Σn², Σe², Σn·e of each user's total —
 * not the replicas' sums added (a user on both would count twice, and (a+b)² ≠ a²+b²).
 */
class ReplicaUserMergeTest {
  static final ModelRef STABLE = new ModelRef("ranker", 1);
  static final ModelRef CANARY = new ModelRef("ranker", 2);
  static final int BP = 3000;
  static final TrafficSplit SPLIT = TrafficSplit.canary("ranker/2", CANARY, BP, STABLE);

  static Recommender recommender() {
    return new Recommender(
        GatewayConfig.defaults(new ModelRef("user_tower", 1)),
        new InProcessOnlineFeatures(),
        new LiveRoomIndex(8, IndexParams.DEFAULT, 1000),
        (m, v, in, out) -> {
          throw new UnsupportedOperationException();
        },
        () -> SPLIT,
        new GatewayMetrics());
  }

  @Test
  void replicasAreMergedByUserBeforeSquaring() throws Exception {
    Recommender a = recommender();
    Recommender b = recommender();
    Recommender whole = recommender(); // what one gateway seeing all traffic would count
    SplittableRandom rng = new SplittableRandom(5);
    for (int i = 0; i < 3000; i++) {
      String user = "u-" + rng.nextInt(400);
      Recommender replica = rng.nextBoolean() ? a : b;
      for (Recommender r : List.of(replica, whole)) {
        r.countOutcome(user, "impression");
      }
      if (rng.nextDouble() < 0.3) {
        Recommender other = rng.nextBoolean() ? a : b; // feedback may reach the other replica
        for (Recommender r : List.of(other, whole)) {
          r.countOutcome(user, "click");
        }
      }
    }
    try (GatewayServer sa = new GatewayServer(a, "127.0.0.1", 0, 1);
        GatewayServer sb = new GatewayServer(b, "127.0.0.1", 0, 1)) {
      GatewayOutcomes both =
          new GatewayOutcomes(
              "http://127.0.0.1:" + sa.port() + ",http://127.0.0.1:" + sb.port(),
              Duration.ofSeconds(2));
      GatewayOutcomes.Observation o = both.read("ranker", 2);
      assertThat(o.replicas()).hasSize(2);
      for (Arm arm : Arm.values()) {
        UserMoments truth = whole.outcomes().moments("ranker", 2, arm, "click", BP);
        assertThat(truth.users()).as("users of %s", arm).isGreaterThan(50);
        long onBoth =
            a.outcomes().users("ranker", 2, arm, BP)
                + b.outcomes().users("ranker", 2, arm, BP)
                - truth.users();
        assertThat(onBoth).as("users of %s seen by both replicas", arm).isPositive();
        assertThat(o.moments("ranker", 2, arm, "click", BP)).as(arm.name()).isEqualTo(truth);
        assertThat(o.users("ranker", 2, arm, BP)).isEqualTo(truth.users());
        assertThat(o.moments("ranker", 2, arm, "impression", BP).impressionsSquared())
            .isEqualTo(truth.impressionsSquared());
        assertThat(o.counts("ranker", 2, arm, "click"))
            .isEqualTo(whole.outcomes().counts("ranker", 2, arm, "click"));
      }
      // one replica alone: its own sums, as it sent them
      GatewayOutcomes.Observation one =
          new GatewayOutcomes("http://127.0.0.1:" + sa.port(), Duration.ofSeconds(2))
              .read("ranker", 2);
      assertThat(one.moments("ranker", 2, Arm.CANARY, "click", BP))
          .isEqualTo(a.outcomes().moments("ranker", 2, Arm.CANARY, "click", BP));
    } finally {
      a.close();
      b.close();
      whole.close();
    }
  }

  @Test
  void aReplicaWithoutPerUserCountsFailsTheReadOfSeveral() throws Exception {
    Recommender a = recommender();
    Recommender b = recommender();
    for (int i = 0; i < 200; i++) {
      a.countOutcome("u-" + i, "impression");
      b.countOutcome("u-" + i, "impression");
    }
    // an older gateway: its report has the sums only
    ObjectMapper json = new ObjectMapper();
    byte[] body =
        json.writeValueAsBytes(new CanaryReport(b.outcomes().snapshot("ranker", 2), Map.of(), BP));
    HttpServer old = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    old.createContext(
        "/v1/canary/outcomes",
        ex -> {
          ex.sendResponseHeaders(200, body.length);
          ex.getResponseBody().write(body);
          ex.close();
        });
    old.start();
    try (GatewayServer sa = new GatewayServer(a, "127.0.0.1", 0, 1)) {
      String oldUrl = "127.0.0.1:" + old.getAddress().getPort();
      GatewayOutcomes both =
          new GatewayOutcomes(
              "http://127.0.0.1:" + sa.port() + ",http://" + oldUrl, Duration.ofSeconds(2));
      assertThatThrownBy(() -> both.read("ranker", 2))
          .isInstanceOf(GatewayOutcomes.Unavailable.class)
          .hasMessageContaining(oldUrl)
          .hasMessageContaining("merged by user");
      // alone, its sums are exact: nothing to merge
      GatewayOutcomes alone = new GatewayOutcomes("http://" + oldUrl, Duration.ofSeconds(2));
      assertThat(alone.read("ranker", 2).users("ranker", 2, Arm.CANARY, BP))
          .isEqualTo(b.outcomes().users("ranker", 2, Arm.CANARY, BP));
    } finally {
      old.stop(0);
      a.close();
      b.close();
    }
  }
}
