package io.liverec.serving.rollout.stats;

/**
 * An always-valid sequential test of a canary's rate against an equal-sized slice of stable users:
 * the mixture sequential probability ratio test of Johari, Pekelis and Walsh (2017) for a
 * difference of two Bernoulli rates, with a normal mixture of scale τ over the difference.
 *
 * <p>With n users per arm, θ̂ = p̂_canary − p̂_control and V = p̂_A(1−p̂_A) + p̂_B(1−p̂_B): Λₙ =
 * √(V/(V+nτ²)) · exp(n²τ²θ̂² / (2V(V+nτ²))), and the always-valid p-value is pₙ = min(pₙ₋₁, 1/Λₙ).
 * It may be looked at after every batch of traffic and still keeps the false-positive rate at α,
 * which a fixed-horizon test peeked at does not (docs/BENCHMARKS.md, {@code bench-canary.sh}).
 *
 * <p>One instance is one weight epoch: when the canary's weight changes, start a new test (pooling
 * outcomes across weights invites Simpson's paradox). No verdict before the burn-in: {@code burnIn}
 * events (clicks, conversions) across both arms, because the normal approximation behind V is poor
 * before that.
 */
public final class SequentialTest {
  /** What the evidence says so far. */
  public enum Decision {
    CONTINUE,
    CANARY_BETTER,
    CANARY_WORSE
  }

  private final double alpha;
  private final double tau;
  private final long burnIn;
  private double pValue = 1.0;
  private double lambda = 1.0;
  private Decision decision = Decision.CONTINUE;

  /**
   * @param alpha the false-positive rate kept at any number of looks (e.g. 0.05)
   * @param tau scale of the mixture over the rate difference: about the smallest absolute change
   *     worth catching (0.005–0.01 for a CTR near 5%)
   * @param burnIn events (both arms together) before any verdict
   */
  public SequentialTest(double alpha, double tau, long burnIn) {
    if (!(alpha > 0 && alpha < 1)) {
      throw new IllegalArgumentException("alpha must be in (0, 1), got " + alpha);
    }
    if (!(tau > 0)) {
      throw new IllegalArgumentException("tau must be > 0, got " + tau);
    }
    this.alpha = alpha;
    this.tau = tau;
    this.burnIn = burnIn;
  }

  /** Λₙ for n users per arm with observed rates {@code control} and {@code canary}. */
  public static double likelihoodRatio(long n, double control, double canary, double tau) {
    double v = control * (1 - control) + canary * (1 - canary);
    if (n <= 0 || v <= 0) {
      return 1.0; // no variance observed yet: no evidence either way
    }
    double theta = canary - control;
    double t2 = tau * tau;
    double nn = (double) n;
    return Math.sqrt(v / (v + nn * t2))
        * Math.exp(nn * nn * t2 * theta * theta / (2 * v * (v + nn * t2)));
  }

  /**
   * Takes the cumulative counts of this epoch (users and events per arm) and returns the decision.
   * Once decided, the decision stands: later data never reverses it.
   */
  public Decision observe(
      long controlUsers, long controlEvents, long canaryUsers, long canaryEvents) {
    if (decision != Decision.CONTINUE) {
      return decision;
    }
    long n = Math.min(controlUsers, canaryUsers);
    if (n <= 0) {
      return decision;
    }
    double pA = (double) controlEvents / controlUsers;
    double pB = (double) canaryEvents / canaryUsers;
    lambda = likelihoodRatio(n, pA, pB, tau);
    pValue = Math.min(pValue, 1 / lambda);
    if (controlEvents + canaryEvents >= burnIn && pValue <= alpha) {
      decision = pB > pA ? Decision.CANARY_BETTER : Decision.CANARY_WORSE;
    }
    return decision;
  }

  /** The always-valid p-value so far (1 before any data). */
  public double pValue() {
    return pValue;
  }

  /** The last Λₙ. */
  public double lambda() {
    return lambda;
  }

  public Decision decision() {
    return decision;
  }
}
