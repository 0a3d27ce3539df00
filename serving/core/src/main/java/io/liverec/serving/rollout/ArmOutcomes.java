package io.liverec.serving.rollout;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What users did with what each arm of a canary showed them, counted where the feedback arrives
 * (the gateway): impressions (trials) and outcome events ({@code click}, {@code conversion}, {@code
 * gift}) per model version and arm. The control arm is an equal-sized slice of stable users (see
 * {@link #controlBuckets}), so the sequential test compares like with like.
 */
public final class ArmOutcomes {
  /** The two arms of a comparison. */
  public enum Arm {
    CANARY,
    CONTROL
  }

  /** Cumulative counts of one arm for one event kind. */
  public record Counts(long impressions, long events) {
    Counts minus(Counts base) {
      return new Counts(impressions - base.impressions, events - base.events);
    }
  }

  private final Map<String, AtomicLong> counters = new ConcurrentHashMap<>();

  /**
   * Distinct users per canary, weight and arm. Bounded by the users who see a canary; a gateway
   * serving many millions of users would keep a sketch (HyperLogLog) here instead of a set.
   */
  private final Map<String, Set<String>> users = new ConcurrentHashMap<>();

  /**
   * Buckets of the control slice for a canary at {@code weightPercent}: as many stable buckets as
   * the canary has (fewer once the canary passes 50%), right after the canary's range.
   *
   * @return {@code [from, to)} in 0..10 000 buckets
   */
  public static int[] controlBuckets(int weightPercent) {
    int canary = weightPercent * 100;
    int size = Math.min(canary, 10_000 - canary);
    return new int[] {canary, canary + size};
  }

  /**
   * One impression shown to {@code userId} on {@code arm} while the canary held {@code
   * canaryBasisPoints} of traffic. Users are also counted per arm and weight: users, not
   * impressions, are what the split randomises, so the sample-ratio check counts them.
   */
  public void impression(
      String model, int canaryVersion, Arm arm, String userId, int canaryBasisPoints) {
    counter(model, canaryVersion, arm, "impression").incrementAndGet();
    users
        .computeIfAbsent(
            model + "/" + canaryVersion + "/" + canaryBasisPoints + "/" + arm,
            k -> ConcurrentHashMap.newKeySet())
        .add(userId);
  }

  /** Distinct users who saw the arm while the canary held {@code canaryBasisPoints}. */
  public long users(String model, int canaryVersion, Arm arm, int canaryBasisPoints) {
    Set<String> u = users.get(model + "/" + canaryVersion + "/" + canaryBasisPoints + "/" + arm);
    return u == null ? 0 : u.size();
  }

  public void event(String model, int canaryVersion, Arm arm, String kind) {
    counter(model, canaryVersion, arm, kind).incrementAndGet();
  }

  public Counts counts(String model, int canaryVersion, Arm arm, String kind) {
    return new Counts(
        counter(model, canaryVersion, arm, "impression").get(),
        counter(model, canaryVersion, arm, kind).get());
  }

  private AtomicLong counter(String model, int version, Arm arm, String kind) {
    return counters.computeIfAbsent(
        model + "/" + version + "/" + arm + "/" + kind, k -> new AtomicLong());
  }
}
