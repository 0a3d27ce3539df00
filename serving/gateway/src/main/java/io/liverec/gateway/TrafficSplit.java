package io.liverec.gateway;

import io.liverec.serving.rollout.ArmOutcomes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Canary traffic split. A user's bucket is a stable hash of (rollout salt, user id) into {@value
 * #BUCKETS} buckets; arms own consecutive bucket ranges in the order given, sized by their weights
 * in basis points. The canary is listed first, so its range is [0, weight): as its weight rises the
 * range only grows, and a user on the canary stays there.
 */
public final class TrafficSplit {
  public static final int BUCKETS = 10_000;

  /** One arm: the ranker it serves and its share in basis points (0..10 000). */
  public record Arm(ModelRef ranker, int basisPoints) {
    public Arm {
      if (basisPoints < 0 || basisPoints > BUCKETS) {
        throw new IllegalArgumentException("arm weight must be in 0..10000 basis points");
      }
    }
  }

  private final String salt;
  private final List<Arm> arms;
  private final int[] upper;

  /** Arms whose weights sum to 10 000 basis points (the last arm takes any remainder if less). */
  public TrafficSplit(String salt, List<Arm> arms) {
    if (arms.isEmpty()) {
      throw new IllegalArgumentException("a traffic split needs at least one arm");
    }
    this.salt = salt;
    this.arms = List.copyOf(arms);
    this.upper = new int[arms.size()];
    int sum = 0;
    for (int i = 0; i < arms.size(); i++) {
      sum += arms.get(i).basisPoints();
      upper[i] = sum;
    }
    if (sum > BUCKETS) {
      throw new IllegalArgumentException("arm weights sum to " + sum + " > 10000 basis points");
    }
    upper[upper.length - 1] = BUCKETS;
  }

  public static TrafficSplit single(ModelRef ranker) {
    return new TrafficSplit("", List.of(new Arm(ranker, BUCKETS)));
  }

  /** A canary at {@code canaryBasisPoints} beside the stable version. */
  public static TrafficSplit canary(
      String salt, ModelRef canary, int canaryBasisPoints, ModelRef stable) {
    List<Arm> arms = new ArrayList<>();
    arms.add(new Arm(canary, canaryBasisPoints));
    arms.add(new Arm(stable, BUCKETS - canaryBasisPoints));
    return new TrafficSplit(salt, arms);
  }

  public List<Arm> arms() {
    return arms;
  }

  /** The user's bucket in 0..9 999: 64-bit FNV-1a over salt, a separator and the user id. */
  public static int bucket(String salt, String userId) {
    long h = 0xcbf29ce484222325L;
    for (byte b : (salt + "\u0000" + userId).getBytes(StandardCharsets.UTF_8)) {
      h ^= (b & 0xff);
      h *= 0x100000001b3L;
    }
    h ^= (h >>> 33);
    h *= 0xff51afd7ed558ccdL;
    h ^= (h >>> 33);
    return (int) Long.remainderUnsigned(h, BUCKETS);
  }

  /**
   * Where a user stands in the canary's comparison: {@code CANARY} on the canary (the first arm of
   * a split with two or more), {@code CONTROL} in the equal-sized slice of stable buckets right
   * after it ({@link ArmOutcomes#controlBuckets}), empty for everyone else and for a split without
   * a canary.
   */
  public java.util.Optional<ArmOutcomes.Arm> comparisonArm(String userId) {
    if (arms.size() < 2 || upper[0] == 0) {
      return java.util.Optional.empty();
    }
    int b = bucket(salt, userId);
    int size = Math.min(upper[0], BUCKETS - upper[0]);
    if (b < upper[0]) {
      return java.util.Optional.of(ArmOutcomes.Arm.CANARY);
    }
    return b < upper[0] + size
        ? java.util.Optional.of(ArmOutcomes.Arm.CONTROL)
        : java.util.Optional.empty();
  }

  public Arm armFor(String userId) {
    int b = bucket(salt, userId);
    for (int i = 0; i < arms.size(); i++) {
      if (b < upper[i]) {
        return arms.get(i);
      }
    }
    return arms.get(arms.size() - 1);
  }
}
