package io.liverec.serving.rollout.stats;

/**
 * An always-valid sequential test of a canary's rate against an equal-sized slice of stable users:
 * the mixture sequential probability ratio test of Johari, Pekelis and Walsh (2017) for a
 * difference of two rates, with a normal mixture of scale τ over the difference.
 *
 * <p>With θ̂ = R̂_canary − R̂_control and s² = Var(R̂_canary) + Var(R̂_control) its variance: Λ =
 * √(s²/(s²+τ²)) · exp(τ²θ̂² / (2s²(s²+τ²))), and the always-valid p-value is pₙ = min(pₙ₋₁, 1/Λₙ).
 * With n Bernoulli trials per arm, s² = V/n for V = p̂_A(1−p̂_A) + p̂_B(1−p̂_B), which gives the
 * textbook form Λₙ = √(V/(V+nτ²)) · exp(n²τ²θ̂² / (2V(V+nτ²))). It may be looked at after every
 * batch of traffic and still keeps the false-positive rate at α, which a fixed-horizon test peeked
 * at does not (docs/BENCHMARKS.md, {@code bench-canary.sh}).
 *
 * <p>The variance is per user ({@link Variance#PER_USER}, the default): the split randomises users,
 * and one user's impressions are correlated (some users click a lot, most hardly ever), so treating
 * impressions as independent trials understates s² by the design effect, about 1 + (m−1)ρ for m
 * impressions per user and intra-user correlation ρ, and the test rejects far more often than α.
 * {@link UserMoments#rateVariance} is the delta-method variance of the ratio Σe/Σn over users.
 * {@link Variance#PER_IMPRESSION} is kept to measure that flaw.
 *
 * <p>One instance is one weight epoch: when the canary's weight changes, start a new test (pooling
 * outcomes across weights invites Simpson's paradox). No verdict before the burn-in: {@code burnIn}
 * events (clicks, conversions) across both arms, because the normal approximation behind s² is poor
 * before that.
 */
public final class SequentialTest {
  /** What the evidence says so far. */
  public enum Decision {
    CONTINUE,
    CANARY_BETTER,
    CANARY_WORSE
  }

  /** How Var(R̂) of each arm is estimated. */
  public enum Variance {
    /** Cluster-robust, over users (delta method on Σe/Σn): valid when users are randomised. */
    PER_USER,
    /** R(1−R)/Σn, as if every impression were an independent trial: too small under clustering. */
    PER_IMPRESSION
  }

  private final double alpha;
  private final double tau;
  private final long burnIn;
  private final Variance variance;
  private double pValue = 1.0;
  private double lambda = 1.0;
  private double lastVariance = Double.NaN;
  private Decision decision = Decision.CONTINUE;

  /**
   * A test with the per-user variance.
   *
   * @param alpha the false-positive rate kept at any number of looks (e.g. 0.05)
   * @param tau scale of the mixture over the rate difference: about the smallest absolute change
   *     worth catching (0.005–0.01 for a CTR near 5%)
   * @param burnIn events (both arms together) before any verdict
   */
  public SequentialTest(double alpha, double tau, long burnIn) {
    this(alpha, tau, burnIn, Variance.PER_USER);
  }

  public SequentialTest(double alpha, double tau, long burnIn, Variance variance) {
    if (!(alpha > 0 && alpha < 1)) {
      throw new IllegalArgumentException("alpha must be in (0, 1), got " + alpha);
    }
    if (!(tau > 0)) {
      throw new IllegalArgumentException("tau must be > 0, got " + tau);
    }
    if (burnIn < 0) {
      throw new IllegalArgumentException("burnIn must be >= 0, got " + burnIn);
    }
    if (variance == null) {
      throw new IllegalArgumentException("variance must be set");
    }
    this.alpha = alpha;
    this.tau = tau;
    this.burnIn = burnIn;
    this.variance = variance;
  }

  /** Λ for an observed difference {@code theta} whose estimate has variance {@code s2}. */
  public static double likelihoodRatio(double theta, double s2, double tau) {
    if (!(s2 > 0)) {
      return 1.0; // no variance observed yet: no evidence either way
    }
    double t2 = tau * tau;
    return Math.sqrt(s2 / (s2 + t2)) * Math.exp(t2 * theta * theta / (2 * s2 * (s2 + t2)));
  }

  /** Λₙ for n Bernoulli trials per arm with observed rates {@code control} and {@code canary}. */
  public static double likelihoodRatio(long n, double control, double canary, double tau) {
    double v = control * (1 - control) + canary * (1 - canary);
    if (n <= 0 || v <= 0) {
      return 1.0;
    }
    return likelihoodRatio(canary - control, v / n, tau);
  }

  /**
   * Takes the cumulative per-user sums of this epoch for both arms and returns the decision. Once
   * decided, the decision stands: later data never reverses it.
   */
  public Decision observe(UserMoments control, UserMoments canary) {
    if (decision != Decision.CONTINUE) {
      return decision;
    }
    if (control.impressions() == 0 || canary.impressions() == 0) {
      return decision;
    }
    double s2 =
        variance == Variance.PER_USER
            ? control.rateVariance() + canary.rateVariance()
            : control.bernoulliVariance() + canary.bernoulliVariance();
    lastVariance = s2;
    double pA = control.rate();
    double pB = canary.rate();
    lambda = likelihoodRatio(pB - pA, s2, tau);
    pValue = Math.min(pValue, 1 / lambda);
    if (control.events() + canary.events() >= burnIn && pValue <= alpha) {
      decision = pB > pA ? Decision.CANARY_BETTER : Decision.CANARY_WORSE;
    }
    return decision;
  }

  /**
   * The same on counts of users who each saw one impression (then every variance is the Bernoulli
   * one).
   */
  public Decision observe(
      long controlUsers, long controlEvents, long canaryUsers, long canaryEvents) {
    return observe(oneEach(controlUsers, controlEvents), oneEach(canaryUsers, canaryEvents));
  }

  private static UserMoments oneEach(long users, long events) {
    return new UserMoments(users, users, events, users, events, events);
  }

  /** The always-valid p-value so far (1 before any data). */
  public double pValue() {
    return pValue;
  }

  /** The last Λₙ. */
  public double lambda() {
    return lambda;
  }

  /** s², the variance of the rate difference at the last look (NaN before any data). */
  public double variance() {
    return lastVariance;
  }

  public Decision decision() {
    return decision;
  }
}
