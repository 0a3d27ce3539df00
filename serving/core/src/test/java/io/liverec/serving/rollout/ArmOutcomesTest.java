package io.liverec.serving.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.liverec.serving.rollout.ArmOutcomes.Arm;
import io.liverec.serving.rollout.stats.UserMoments;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ArmOutcomesTest {
  final ArmOutcomes outcomes = new ArmOutcomes();

  @Test
  void perUserSumsKeptIncrementallyEqualTheSumsOverUsersPerWeightEpoch() {
    SplittableRandom rnd = new SplittableRandom(3);
    Map<String, long[]> perUser = new HashMap<>(); // impressions, clicks at weight 10
    for (int i = 0; i < 5_000; i++) {
      String user = "u" + rnd.nextInt(300);
      int bp = i < 4_000 ? 1000 : 2500; // the later impressions belong to another epoch
      outcomes.impression("ranker", 7, Arm.CANARY, user, bp);
      boolean click = rnd.nextDouble() < 0.2;
      if (click) {
        outcomes.event("ranker", 7, Arm.CANARY, user, "click", bp);
      }
      if (bp == 1000) {
        long[] c = perUser.computeIfAbsent(user, k -> new long[2]);
        c[0]++;
        c[1] += click ? 1 : 0;
      }
    }
    long n = 0;
    long e = 0;
    long nn = 0;
    long ee = 0;
    long ne = 0;
    for (long[] c : perUser.values()) {
      n += c[0];
      e += c[1];
      nn += c[0] * c[0];
      ee += c[1] * c[1];
      ne += c[0] * c[1];
    }
    assertThat(outcomes.moments("ranker", 7, Arm.CANARY, "click", 1000))
        .isEqualTo(new UserMoments(perUser.size(), n, e, nn, ee, ne));
    assertThat(outcomes.users("ranker", 7, Arm.CANARY, 1000)).isEqualTo(perUser.size());
    assertThat(outcomes.counts("ranker", 7, Arm.CANARY, "click").impressions()).isEqualTo(5_000);
    assertThat(outcomes.moments("ranker", 7, Arm.CANARY, "click", 2500).impressions())
        .isEqualTo(1_000);
    assertThat(outcomes.moments("ranker", 7, Arm.CONTROL, "click", 1000))
        .isEqualTo(UserMoments.EMPTY);
  }

  @Test
  void theSnapshotRoundTripsThroughJsonAndAnswersLikeTheLiveCounts() throws Exception {
    SplittableRandom rnd = new SplittableRandom(5);
    for (int i = 0; i < 2_000; i++) {
      Arm arm = rnd.nextBoolean() ? Arm.CANARY : Arm.CONTROL;
      String user = "u" + rnd.nextInt(400);
      outcomes.impression("ranker", 7, arm, user, 1000);
      if (rnd.nextDouble() < 0.1) {
        outcomes.event("ranker", 7, arm, user, rnd.nextBoolean() ? "click" : "gift", 1000);
      }
    }
    OutcomeSnapshot snap = outcomes.snapshot("ranker", 7);
    ObjectMapper json = new ObjectMapper();
    OutcomeSnapshot back = json.readValue(json.writeValueAsString(snap), OutcomeSnapshot.class);
    assertThat(back).isEqualTo(snap);
    for (Arm arm : Arm.values()) {
      for (String kind : new String[] {"click", "gift", "conversion"}) {
        assertThat(back.moments("ranker", 7, arm, kind, 1000))
            .isEqualTo(outcomes.moments("ranker", 7, arm, kind, 1000));
        assertThat(back.counts("ranker", 7, arm, kind))
            .isEqualTo(outcomes.counts("ranker", 7, arm, kind));
      }
      assertThat(back.users("ranker", 7, arm, 1000))
          .isEqualTo(outcomes.users("ranker", 7, arm, 1000))
          .isPositive();
    }
    // another canary's questions read as no data, never as this one's counts
    assertThat(back.moments("ranker", 8, Arm.CANARY, "click", 1000)).isEqualTo(UserMoments.EMPTY);
  }

  @Test
  void aSnapshotMissingAFieldIsRejectedNamingIt() {
    ObjectMapper json = new ObjectMapper();
    assertThatThrownBy(
            () ->
                json.readValue(
                    "{\"canaryVersion\":7,\"totals\":[],\"epochs\":[]}", OutcomeSnapshot.class))
        .hasMessageContaining("OutcomeSnapshot.model");
    assertThatThrownBy(
            () ->
                json.readValue(
                    "{\"model\":\"m\",\"canaryVersion\":7,\"totals\":[],\"epochs\":[{\"canaryBasisPoints\":1000,"
                        + "\"arm\":\"CANARY\",\"users\":-1,\"impressions\":0,\"impressionsSquared\":0,"
                        + "\"events\":{}}]}",
                    OutcomeSnapshot.class))
        .hasMessageContaining("users");
  }

  @Test
  void aNewCanaryVersionDropsThePreviousOnesPerUserStateButKeepsItsSums() {
    outcomes.impression("ranker", 7, Arm.CANARY, "a", 1000);
    outcomes.impression("ranker", 8, Arm.CANARY, "a", 1000);
    outcomes.impression("ranker", 7, Arm.CANARY, "b", 1000); // 7 is the canary again: afresh
    assertThat(outcomes.users("ranker", 7, Arm.CANARY, 1000)).isEqualTo(1);
    assertThat(outcomes.counts("ranker", 7, Arm.CANARY, "click").impressions()).isEqualTo(2);
    assertThat(outcomes.users("ranker", 8, Arm.CANARY, 1000)).isEqualTo(1);
  }
}
