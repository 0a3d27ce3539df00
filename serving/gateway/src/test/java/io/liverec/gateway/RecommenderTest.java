package io.liverec.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.liverec.serving.TinyModels;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecommenderTest {
  @TempDir Path dir;
  Fixture fx;

  @BeforeEach
  void setUp() throws Exception {
    fx = new Fixture(dir);
  }

  @AfterEach
  void tearDown() {
    fx.close();
  }

  private static RecommendRequest req(String user, int k) {
    return new RecommendRequest(user, "home", Map.of(), k);
  }

  @Test
  void servesOnlyLiveRoomsRespectsKAndReportsVersions() {
    for (int room = 0; room < Fixture.ROOMS; room += 2) {
      fx.index.roomDown(room);
    }
    try (Recommender rec = fx.recommender()) {
      for (int u = 0; u < 20; u++) {
        RecommendResponse r = rec.recommend(req("u" + u, 10));
        assertThat(r.outcome()).isEqualTo(Recommender.SERVED);
        assertThat(r.items()).hasSize(10);
        assertThat(r.items()).allMatch(it -> it.roomId() % 2 == 1);
        assertThat(r.models())
            .containsEntry("userTower", "user_tower/1")
            .containsEntry("ranker", "ranker/1");
        assertThat(r.items().stream().map(RecommendResponse.Item::roomId).distinct().count())
            .isEqualTo(10);
        Map<String, Long> perHost =
            r.items().stream()
                .collect(
                    Collectors.groupingBy(RecommendResponse.Item::hostId, Collectors.counting()));
        assertThat(perHost.values()).allMatch(c -> c <= 2);
        for (int i = 1; i < r.items().size(); i++) {
          assertThat(r.items().get(i).score()).isLessThanOrEqualTo(r.items().get(i - 1).score());
        }
      }
    }
  }

  @Test
  void fusedScoreIsTheWeightedProductOfTheRankerTasks() {
    try (Recommender rec = fx.recommender()) {
      RecommendResponse r = rec.recommend(req("u3", 5));
      for (RecommendResponse.Item it : r.items()) {
        RoomFeatures f = fx.features.room(it.roomId()).orElseThrow();
        float[][] p = TinyModels.rankerForward(fx.rankerV1, f.sparse(), f.dense(), 1);
        double expected = p[0][0] * Math.pow(p[1][0], 0.5);
        assertThat(it.score()).isCloseTo(expected, within(1e-5));
        assertThat(it.reasons()).anyMatch(s -> s.startsWith("ctr "));
      }
    }
  }

  @Test
  void aRoomThatGoesLiveIsRecalledWithoutARestartAndGoneWhenItEnds() {
    float[] v = fx.userVector("u5");
    fx.index.roomUp(5000, "newhost", v, 0);
    assertThat(fx.index.pendingCount()).isEqualTo(1);
    assertThat(fx.index.search(v, 3).get(0).roomId()).isEqualTo(5000);
    fx.index.rebuildNow();
    assertThat(fx.index.pendingCount()).isZero();
    assertThat(fx.index.search(v, 3).get(0).roomId()).isEqualTo(5000);
    fx.index.roomDown(5000);
    assertThat(fx.index.search(v, 50)).noneMatch(h -> h.roomId() == 5000);
  }

  @Test
  void rankerDownServesRecallOrderAndCountsIt() {
    fx.backend.failing = "ranker";
    try (Recommender rec = fx.recommender()) {
      RecommendResponse r = rec.recommend(req("u1", 10));
      assertThat(r.outcome()).isEqualTo(Recommender.RANKER_FALLBACK);
      assertThat(r.items()).hasSize(10);
      assertThat(r.models()).doesNotContainKey("ranker").containsKey("userTower");
      List<LiveRoomIndex.Hit> recall = fx.index.search(fx.userVector("u1"), 1);
      assertThat(r.items().get(0).roomId()).isEqualTo(recall.get(0).roomId());
      assertThat(fx.metrics.outcomeCount(Recommender.RANKER_FALLBACK)).isEqualTo(1.0);
    }
  }

  @Test
  void rankerSlowerThanTheDeadlineServesRecallOrder() {
    fx.backend.slow = "ranker";
    fx.backend.delay = Duration.ofMillis(600);
    GatewayConfig cfg =
        GatewayConfig.defaults(Fixture.TOWER).withRankerDeadline(Duration.ofMillis(30));
    try (Recommender rec = fx.recommender(cfg, TrafficSplit.single(Fixture.RANKER_V1))) {
      RecommendResponse r = rec.recommend(req("u2", 8));
      assertThat(r.outcome()).isEqualTo(Recommender.RANKER_FALLBACK);
      assertThat(r.items()).hasSize(8);
      assertThat(fx.metrics.outcomeCount(Recommender.RANKER_FALLBACK)).isEqualTo(1.0);
    }
  }

  @Test
  void recallDownServesPopularLiveRooms() {
    fx.backend.failing = "user_tower";
    fx.index.roomDown(fx.index.popularLive(1).get(0).roomId());
    try (Recommender rec = fx.recommender()) {
      RecommendResponse r = rec.recommend(req("u1", 6));
      assertThat(r.outcome()).isEqualTo(Recommender.RECALL_FALLBACK);
      List<Integer> popular =
          fx.index.popularLive(6).stream().map(LiveRoomIndex.Hit::roomId).toList();
      assertThat(r.items()).hasSize(6).allMatch(it -> fx.index.isLive(it.roomId()));
      assertThat(r.items().get(0).roomId()).isEqualTo(popular.get(0));
      assertThat(fx.metrics.outcomeCount(Recommender.RECALL_FALLBACK)).isEqualTo(1.0);
    }
  }

  @Test
  void coldUserIsServedFromPopularityNotAnError() {
    try (Recommender rec = fx.recommender()) {
      RecommendResponse r = rec.recommend(req("never-seen", 4));
      assertThat(r.outcome()).isEqualTo(Recommender.COLD_START);
      assertThat(r.items()).hasSize(4);
      assertThat(r.items().get(0).roomId()).isEqualTo(fx.index.popularLive(1).get(0).roomId());
      assertThat(fx.metrics.outcomeCount(Recommender.COLD_START)).isEqualTo(1.0);
    }
  }

  @Test
  void canaryUsersAreServedByTheCanaryVersion() {
    TrafficSplit split = TrafficSplit.canary("salt", Fixture.RANKER_V2, 3000, Fixture.RANKER_V1);
    Map<String, Integer> arms = new HashMap<>();
    try (Recommender rec = fx.recommender(Fixture.config(), split)) {
      for (int u = 0; u < Fixture.USERS; u++) {
        String user = "u" + u;
        RecommendResponse r = rec.recommend(req(user, 3));
        assertThat(r.models().get("ranker")).isEqualTo(split.armFor(user).ranker().toString());
        arms.merge(r.models().get("ranker"), 1, Integer::sum);
      }
    }
    assertThat(arms).containsKeys("ranker/1", "ranker/2");
    assertThat(fx.metrics.scrape()).contains("version=\"2\"").contains("liverec_gateway_inference");
  }
}
