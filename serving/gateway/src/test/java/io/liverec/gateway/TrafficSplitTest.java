package io.liverec.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TrafficSplitTest {
  static final ModelRef STABLE = new ModelRef("ranker", 1);
  static final ModelRef CANARY = new ModelRef("ranker", 2);

  @Test
  void bucketsAreStableAndInRange() {
    for (int u = 0; u < 1000; u++) {
      int b = TrafficSplit.bucket("s", "user" + u);
      assertThat(b).isBetween(0, TrafficSplit.BUCKETS - 1);
      assertThat(TrafficSplit.bucket("s", "user" + u)).isEqualTo(b);
    }
  }

  @Test
  void theSaltReshufflesUsers() {
    int same = 0;
    for (int u = 0; u < 1000; u++) {
      if (TrafficSplit.bucket("a", "user" + u) == TrafficSplit.bucket("b", "user" + u)) {
        same++;
      }
    }
    assertThat(same).isLessThan(5);
  }

  @Test
  void sharesFollowTheWeights() {
    TrafficSplit split = TrafficSplit.canary("rollout-1", CANARY, 1000, STABLE);
    int canary = 0;
    int n = 50_000;
    for (int u = 0; u < n; u++) {
      if (split.armFor("user" + u).ranker().equals(CANARY)) {
        canary++;
      }
    }
    // 10 % ± 4 standard deviations of a binomial(50 000, 0.1).
    assertThat(canary).isBetween(5000 - 270, 5000 + 270);
  }

  @Test
  void aUserStaysOnTheCanaryWhileItsWeightRises() {
    int[] steps = {100, 500, 1000, 2500, 5000, 10_000};
    Set<String> onCanary = new HashSet<>();
    for (int w : steps) {
      TrafficSplit split = TrafficSplit.canary("rollout-7", CANARY, w, STABLE);
      Set<String> now = new HashSet<>();
      for (int u = 0; u < 20_000; u++) {
        String user = "user" + u;
        if (split.armFor(user).ranker().equals(CANARY)) {
          now.add(user);
        }
      }
      assertThat(now).containsAll(onCanary);
      assertThat(now.size()).isGreaterThan(onCanary.size());
      onCanary = now;
    }
    assertThat(onCanary).hasSize(20_000);
  }

  @Test
  void weightsOverTheWholeAreRefused() {
    assertThatThrownBy(
            () ->
                new TrafficSplit(
                    "s",
                    List.of(
                        new TrafficSplit.Arm(CANARY, 6000), new TrafficSplit.Arm(STABLE, 6000))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("10000");
  }

  @Test
  void theControlSliceIsAsLargeAsTheCanaryAndDisjointFromIt() {
    for (int bp : new int[] {1000, 2500, 5000, 8000}) {
      TrafficSplit split = TrafficSplit.canary("salt-x", CANARY, bp, STABLE);
      int canary = 0;
      int control = 0;
      int users = 40_000;
      for (int u = 0; u < users; u++) {
        var arm = split.comparisonArm("user-" + u);
        if (arm.isEmpty()) {
          assertThat(split.armFor("user-" + u).ranker()).isEqualTo(STABLE);
          continue;
        }
        boolean onCanary = split.armFor("user-" + u).ranker().equals(CANARY);
        assertThat(arm.get() == io.liverec.serving.rollout.ArmOutcomes.Arm.CANARY)
            .isEqualTo(onCanary);
        if (onCanary) {
          canary++;
        } else {
          control++;
        }
      }
      double expectedControl = Math.min(bp, 10_000 - bp) / 10_000.0;
      assertThat(canary / (double) users).isCloseTo(bp / 10_000.0, within(0.01));
      assertThat(control / (double) users).isCloseTo(expectedControl, within(0.01));
    }
    assertThat(TrafficSplit.single(STABLE).comparisonArm("anyone")).isEmpty();
  }

  @org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp;

  @Test
  void feedbackFromTheComparisonArmsIsCountedForTheCanary() {
    TrafficSplit split = TrafficSplit.canary("salt-y", CANARY, 2000, STABLE);
    try (Fixture fx = new Fixture(tmp)) {
      Recommender rec = fx.recommender(Fixture.config(), split);
      long canaryUsers = 0;
      long controlUsers = 0;
      for (int u = 0; u < 5_000; u++) {
        String user = "user-" + u;
        rec.countOutcome(user, "impression");
        rec.countOutcome(user, "click");
        var arm = split.comparisonArm(user);
        if (arm.isPresent()) {
          if (arm.get() == io.liverec.serving.rollout.ArmOutcomes.Arm.CANARY) {
            canaryUsers++;
          } else {
            controlUsers++;
          }
        }
      }
      var a =
          rec.outcomes()
              .counts(
                  CANARY.name(),
                  CANARY.version(),
                  io.liverec.serving.rollout.ArmOutcomes.Arm.CANARY,
                  "click");
      var c =
          rec.outcomes()
              .counts(
                  CANARY.name(),
                  CANARY.version(),
                  io.liverec.serving.rollout.ArmOutcomes.Arm.CONTROL,
                  "click");
      assertThat(a.impressions()).isEqualTo(canaryUsers).isEqualTo(a.events()).isPositive();
      assertThat(c.impressions()).isEqualTo(controlUsers).isEqualTo(c.events()).isPositive();
      rec.close();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
