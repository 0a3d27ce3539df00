package io.liverec.serving.rollout;

import io.liverec.serving.rollout.ArmOutcomes.Arm;
import io.liverec.serving.rollout.ArmOutcomes.Counts;
import io.liverec.serving.rollout.stats.UserMoments;

/**
 * What {@link OutcomeAnalysis} reads about a canary's arms: live in the gateway ({@link
 * ArmOutcomes}) or as a copy taken there and shipped elsewhere ({@link OutcomeSnapshot}, e.g. as
 * JSON to the operator). Weight epochs are named by the canary's share in basis points (0..10 000)
 * while the outcomes were counted. Anything never counted reads as zero: no data, never a pass.
 */
public interface OutcomeCounts {

  /** Impressions and events of {@code kind} on {@code arm}, over all weights so far. */
  Counts counts(String model, int canaryVersion, Arm arm, String kind);

  /** Distinct users who saw {@code arm} while the canary held {@code canaryBasisPoints}. */
  long users(String model, int canaryVersion, Arm arm, int canaryBasisPoints);

  /**
   * Per-user sums of {@code arm} and event {@code kind} while the canary held {@code
   * canaryBasisPoints}: one weight epoch, never pooled with other weights.
   */
  UserMoments moments(String model, int canaryVersion, Arm arm, String kind, int canaryBasisPoints);
}
