package io.liverec.serving.rollout;

import io.liverec.serving.rollout.ArmOutcomes.Arm;
import io.liverec.serving.rollout.ArmOutcomes.Counts;
import io.liverec.serving.rollout.stats.UserMoments;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An immutable copy of one canary's outcomes ({@link ArmOutcomes#snapshot}): everything {@link
 * OutcomeAnalysis} reads, as plain records, lists and maps, so it serialises to JSON and back with
 * a default Jackson {@code ObjectMapper} (the gateway can serve it, the operator analyse it). It
 * answers only for its own model and canary version; anything else reads as zero.
 *
 * @param totals impressions and events per arm over all weights
 * @param epochs per-user sums per weight epoch and arm
 */
public record OutcomeSnapshot(
    String model, int canaryVersion, List<ArmTotal> totals, List<EpochArm> epochs)
    implements OutcomeCounts {

  /** One arm's impressions and events (by kind) over all weights. */
  public record ArmTotal(Arm arm, long impressions, Map<String, Long> events) {
    public ArmTotal {
      Objects.requireNonNull(arm, "ArmTotal.arm must be set");
      events = Map.copyOf(Objects.requireNonNull(events, "ArmTotal.events must be set"));
      if (impressions < 0) {
        throw new IllegalArgumentException("ArmTotal.impressions must be >= 0, got " + impressions);
      }
    }
  }

  /**
   * One arm in one weight epoch: its users and impression sums, per event kind the sums that
   * involve events and, when asked for ({@link ArmOutcomes#snapshotWithUsers}), each user's own
   * counts: sums of squares from two gateway replicas do not add up for a user seen by both ((a+b)²
   * ≠ a²+b²), so the operator merges replicas by user before squaring.
   *
   * @param perUser each user's counts in this epoch and arm; empty when not asked for (or when the
   *     per-user entries were dropped, see {@link ArmOutcomes}); complete when its size is {@code
   *     users}
   */
  public record EpochArm(
      int canaryBasisPoints,
      Arm arm,
      long users,
      long impressions,
      long impressionsSquared,
      Map<String, EventMoments> events,
      List<UserCounts> perUser) {
    /** Without per-user counts. */
    public EpochArm(
        int canaryBasisPoints,
        Arm arm,
        long users,
        long impressions,
        long impressionsSquared,
        Map<String, EventMoments> events) {
      this(canaryBasisPoints, arm, users, impressions, impressionsSquared, events, List.of());
    }

    public EpochArm {
      Objects.requireNonNull(arm, "EpochArm.arm must be set");
      events = Map.copyOf(Objects.requireNonNull(events, "EpochArm.events must be set"));
      perUser = perUser == null ? List.of() : List.copyOf(perUser);
      if (canaryBasisPoints < 0 || canaryBasisPoints > 10_000) {
        throw new IllegalArgumentException(
            "EpochArm.canaryBasisPoints must be in 0..10000, got " + canaryBasisPoints);
      }
      if (users < 0 || impressions < 0 || impressionsSquared < 0) {
        throw new IllegalArgumentException(
            "EpochArm.users, .impressions and .impressionsSquared must be >= 0, got "
                + users
                + ", "
                + impressions
                + ", "
                + impressionsSquared);
      }
    }

    UserMoments moments(String kind) {
      EventMoments e = events.getOrDefault(kind, EventMoments.NONE);
      return new UserMoments(
          users, impressions, e.events(), impressionsSquared, e.eventsSquared(), e.crossProducts());
    }
  }

  /**
   * One user's impressions and events (by kind) in one epoch and arm.
   *
   * @param user the user id the gateway counted
   */
  public record UserCounts(String user, long impressions, Map<String, Long> events) {
    public UserCounts {
      Objects.requireNonNull(user, "UserCounts.user must be set");
      events = events == null ? Map.of() : Map.copyOf(events);
      if (impressions < 0 || events.values().stream().anyMatch(e -> e == null || e < 0)) {
        throw new IllegalArgumentException(
            "UserCounts.impressions and .events of " + user + " must be >= 0");
      }
    }
  }

  /** Σe_i, Σe_i² and Σn_i·e_i of one event kind. */
  public record EventMoments(long events, long eventsSquared, long crossProducts) {
    static final EventMoments NONE = new EventMoments(0, 0, 0);

    public EventMoments {
      if (events < 0 || eventsSquared < 0 || crossProducts < 0) {
        throw new IllegalArgumentException(
            "EventMoments.events, .eventsSquared and .crossProducts must be >= 0, got "
                + events
                + ", "
                + eventsSquared
                + ", "
                + crossProducts);
      }
    }
  }

  public OutcomeSnapshot {
    Objects.requireNonNull(model, "OutcomeSnapshot.model must be set");
    totals = List.copyOf(Objects.requireNonNull(totals, "OutcomeSnapshot.totals must be set"));
    epochs = List.copyOf(Objects.requireNonNull(epochs, "OutcomeSnapshot.epochs must be set"));
  }

  private boolean mine(String m, int v) {
    return model.equals(m) && canaryVersion == v;
  }

  @Override
  public Counts counts(String m, int v, Arm arm, String kind) {
    if (!mine(m, v)) {
      return new Counts(0, 0);
    }
    return totals.stream()
        .filter(t -> t.arm() == arm)
        .findFirst()
        .map(t -> new Counts(t.impressions(), t.events().getOrDefault(kind, 0L)))
        .orElse(new Counts(0, 0));
  }

  @Override
  public long users(String m, int v, Arm arm, int canaryBasisPoints) {
    return moments(m, v, arm, "impression", canaryBasisPoints).users();
  }

  @Override
  public UserMoments moments(String m, int v, Arm arm, String kind, int canaryBasisPoints) {
    if (!mine(m, v)) {
      return UserMoments.EMPTY;
    }
    return epochs.stream()
        .filter(e -> e.arm() == arm && e.canaryBasisPoints() == canaryBasisPoints)
        .findFirst()
        .map(e -> e.moments(kind))
        .orElse(UserMoments.EMPTY);
  }
}
