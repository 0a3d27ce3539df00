package io.liverec.serving.rollout;

import io.liverec.serving.rollout.stats.UserMoments;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What users did with what each arm of a canary showed them, counted where the feedback arrives
 * (the gateway): impressions (trials) and outcome events ({@code click}, {@code conversion}, {@code
 * gift}) per model version and arm. The control arm is an equal-sized slice of stable users (see
 * {@link #controlBuckets}), so the sequential test compares like with like.
 *
 * <p>Besides the totals, each weight epoch (the canary's share while the outcome was counted) keeps
 * per arm the per-user sums of {@link UserMoments} (users, Σn, Σe, Σn², Σe², Σn·e), updated
 * incrementally: the analysis needs a per-user variance because users, not impressions, are what
 * the split randomises. Updating a square incrementally needs each user's current counts, so the
 * epoch holds one small entry per user and event kind: memory grows with the distinct users seen
 * per weight of the current canary version (about 100 bytes per user and kind — 100 MB per million
 * users and weight). When a model's canary version changes, the per-user entries of its previous
 * canary are dropped (their sums stay readable, but stop growing; should that version become the
 * canary again, its epochs start afresh). A gateway serving far more users would sample the
 * comparison slices (the analysis only needs enough users, not all).
 *
 * <p>Thread-safe: each canary version's counts are updated under that version's lock.
 */
public final class ArmOutcomes implements OutcomeCounts {
  /** The two arms of a comparison. */
  public enum Arm {
    CANARY,
    CONTROL
  }

  /** Cumulative counts of one arm for one event kind. */
  public record Counts(long impressions, long events) {}

  private record Key(String model, int version) {}

  private final Map<Key, VersionOutcomes> versions = new ConcurrentHashMap<>();
  private final Map<String, Integer> currentCanary = new ConcurrentHashMap<>();

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
    of(model, canaryVersion).impression(arm, userId, basisPoints(canaryBasisPoints));
  }

  /**
   * One outcome event of {@code kind} by {@code userId} on {@code arm} while the canary held {@code
   * canaryBasisPoints}.
   */
  public void event(
      String model, int canaryVersion, Arm arm, String userId, String kind, int canaryBasisPoints) {
    if (kind == null || kind.isBlank() || kind.equals("impression")) {
      throw new IllegalArgumentException("event kind must be an outcome, got '" + kind + "'");
    }
    of(model, canaryVersion).event(arm, userId, kind, basisPoints(canaryBasisPoints));
  }

  @Override
  public long users(String model, int canaryVersion, Arm arm, int canaryBasisPoints) {
    return snapshot(model, canaryVersion).users(model, canaryVersion, arm, canaryBasisPoints);
  }

  @Override
  public Counts counts(String model, int canaryVersion, Arm arm, String kind) {
    return snapshot(model, canaryVersion).counts(model, canaryVersion, arm, kind);
  }

  @Override
  public UserMoments moments(
      String model, int canaryVersion, Arm arm, String kind, int canaryBasisPoints) {
    return snapshot(model, canaryVersion)
        .moments(model, canaryVersion, arm, kind, canaryBasisPoints);
  }

  /** A consistent, immutable copy of everything counted for {@code model}'s canary version. */
  public OutcomeSnapshot snapshot(String model, int canaryVersion) {
    return snapshot(model, canaryVersion, false);
  }

  /**
   * The same with each user's own counts per epoch and arm ({@link
   * OutcomeSnapshot.EpochArm#perUser}), what a gateway replica serves so that the operator can
   * merge replicas by user: as large as the users of the current canary (about 60 bytes of JSON per
   * user, arm and weight).
   */
  public OutcomeSnapshot snapshotWithUsers(String model, int canaryVersion) {
    return snapshot(model, canaryVersion, true);
  }

  private OutcomeSnapshot snapshot(String model, int canaryVersion, boolean perUser) {
    VersionOutcomes v = versions.get(new Key(model, canaryVersion));
    return v == null
        ? new OutcomeSnapshot(model, canaryVersion, List.of(), List.of())
        : v.snapshot(model, canaryVersion, perUser);
  }

  private static int basisPoints(int bp) {
    if (bp < 0 || bp > 10_000) {
      throw new IllegalArgumentException("canaryBasisPoints must be in 0..10000, got " + bp);
    }
    return bp;
  }

  private VersionOutcomes of(String model, int version) {
    Integer previous = currentCanary.put(model, version);
    if (previous != null && previous != version) {
      VersionOutcomes old = versions.get(new Key(model, previous));
      if (old != null) {
        old.forgetUsers();
      }
    }
    VersionOutcomes v =
        versions.computeIfAbsent(new Key(model, version), k -> new VersionOutcomes());
    v.resumeIfForgotten();
    return v;
  }

  /** Everything counted for one canary version. */
  private static final class VersionOutcomes {
    private final Map<Arm, long[]> impressions = new EnumMap<>(Arm.class);
    private final Map<Arm, Map<String, long[]>> events = new EnumMap<>(Arm.class);
    private final Map<Integer, Map<Arm, Epoch>> epochs = new TreeMap<>();
    private boolean forgotten;

    synchronized void impression(Arm arm, String user, int bp) {
      impressions.computeIfAbsent(arm, a -> new long[1])[0]++;
      Epoch e = epoch(arm, bp);
      if (e != null) {
        e.impression(user);
      }
    }

    synchronized void event(Arm arm, String user, String kind, int bp) {
      events.computeIfAbsent(arm, a -> new HashMap<>())
          .computeIfAbsent(kind, k -> new long[1])[0]++;
      Epoch e = epoch(arm, bp);
      if (e != null) {
        e.event(user, kind);
      }
    }

    private Epoch epoch(Arm arm, int bp) {
      if (forgotten) {
        return null; // a finished canary: totals still count, per-user state is gone
      }
      return epochs
          .computeIfAbsent(bp, b -> new EnumMap<>(Arm.class))
          .computeIfAbsent(arm, a -> new Epoch());
    }

    /** The canary is back after another: its epochs start afresh (their users were dropped). */
    synchronized void resumeIfForgotten() {
      if (forgotten) {
        epochs.clear();
        forgotten = false;
      }
    }

    synchronized void forgetUsers() {
      forgotten = true;
      epochs.values().forEach(m -> m.values().forEach(e -> e.users.clear()));
    }

    synchronized OutcomeSnapshot snapshot(String model, int version, boolean perUser) {
      List<OutcomeSnapshot.ArmTotal> totals = new ArrayList<>();
      for (Arm arm : Arm.values()) {
        long[] n = impressions.get(arm);
        Map<String, Long> ev = new TreeMap<>();
        events.getOrDefault(arm, Map.of()).forEach((k, c) -> ev.put(k, c[0]));
        if (n != null || !ev.isEmpty()) {
          totals.add(new OutcomeSnapshot.ArmTotal(arm, n == null ? 0 : n[0], ev));
        }
      }
      List<OutcomeSnapshot.EpochArm> list = new ArrayList<>();
      epochs.forEach(
          (bp, arms) ->
              arms.forEach(
                  (arm, e) -> {
                    Map<String, OutcomeSnapshot.EventMoments> ev = new TreeMap<>();
                    e.kinds.forEach(
                        (k, m) -> ev.put(k, new OutcomeSnapshot.EventMoments(m[0], m[1], m[2])));
                    list.add(
                        new OutcomeSnapshot.EpochArm(
                            bp,
                            arm,
                            e.userCount,
                            e.n,
                            e.nSquared,
                            ev,
                            perUser ? e.perUser() : List.of()));
                  }));
      return new OutcomeSnapshot(model, version, totals, list);
    }
  }

  /** One arm in one weight epoch: per-user counts and the sums kept from them. */
  private static final class Epoch {
    /** Per user: impressions, then the user's events per kind. */
    final Map<String, User> users = new HashMap<>();

    long userCount;
    long n;
    long nSquared;

    /** Per kind: Σe, Σe², Σn·e. */
    final Map<String, long[]> kinds = new HashMap<>();

    private static final class User {
      long impressions;
      final Map<String, long[]> events = new HashMap<>(2);
    }

    List<OutcomeSnapshot.UserCounts> perUser() {
      List<OutcomeSnapshot.UserCounts> out = new ArrayList<>(users.size());
      users.forEach(
          (id, u) -> {
            Map<String, Long> ev = new HashMap<>(u.events.size());
            u.events.forEach((kind, c) -> ev.put(kind, c[0]));
            out.add(new OutcomeSnapshot.UserCounts(id, u.impressions, ev));
          });
      return out;
    }

    private User user(String id) {
      User u = users.get(id);
      if (u == null) {
        u = new User();
        users.put(id, u);
        userCount++;
      }
      return u;
    }

    void impression(String id) {
      User u = user(id);
      n++;
      nSquared += 2 * u.impressions + 1; // (x+1)² − x²
      u.events.forEach((kind, e) -> kinds.get(kind)[2] += e[0]); // (n+1)·e − n·e
      u.impressions++;
    }

    void event(String id, String kind) {
      User u = user(id);
      long[] e = u.events.computeIfAbsent(kind, k -> new long[1]);
      long[] sums = kinds.computeIfAbsent(kind, k -> new long[3]);
      sums[0]++;
      sums[1] += 2 * e[0] + 1;
      sums[2] += u.impressions;
      e[0]++;
    }
  }
}
