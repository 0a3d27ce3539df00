package io.liverec.serving.rollout.stats;

/**
 * Per-user sums of one arm and one event kind within one weight epoch: with n_i impressions and e_i
 * events of user i, the number of users K and Σn_i, Σe_i, Σn_i², Σe_i², Σn_i·e_i. They are what the
 * rate Σe_i/Σn_i and its cluster-robust (per-user) variance need: users, not impressions, are what
 * the split randomises, and one user's impressions are not independent of each other.
 *
 * @param users K, distinct users of the arm in the epoch
 * @param impressions Σn_i
 * @param events Σe_i
 * @param impressionsSquared Σn_i²
 * @param eventsSquared Σe_i²
 * @param crossProducts Σn_i·e_i
 */
public record UserMoments(
    long users,
    long impressions,
    long events,
    long impressionsSquared,
    long eventsSquared,
    long crossProducts) {
  /** Nothing observed. */
  public static final UserMoments EMPTY = new UserMoments(0, 0, 0, 0, 0, 0);

  public UserMoments {
    if (users < 0
        || impressions < 0
        || events < 0
        || impressionsSquared < 0
        || eventsSquared < 0
        || crossProducts < 0) {
      throw new IllegalArgumentException(
          "UserMoments: every sum must be >= 0, got users="
              + users
              + " impressions="
              + impressions
              + " events="
              + events
              + " impressionsSquared="
              + impressionsSquared
              + " eventsSquared="
              + eventsSquared
              + " crossProducts="
              + crossProducts);
    }
  }

  /** The rate Σe/Σn (0 before any impression). */
  public double rate() {
    return impressions == 0 ? 0 : (double) events / impressions;
  }

  /**
   * The variance of {@link #rate()} by the delta method over users (a cluster-robust variance):
   * with R = Σe/Σn, Var(R̂) ≈ K/(K−1) · Σ(e_i − R·n_i)² / (Σn)², where Σ(e_i − R·n_i)² = Σe² −
   * 2R·Σne + R²·Σn². With one impression per user it is the Bernoulli R(1−R)/n (times K/(K−1)). 0
   * with fewer than two users or no impressions: no variance observed, no evidence.
   */
  public double rateVariance() {
    if (users < 2 || impressions == 0) {
      return 0;
    }
    double r = rate();
    double residual = eventsSquared - 2 * r * crossProducts + r * r * impressionsSquared;
    double n = impressions;
    return Math.max(0, residual) / (n * n) * users / (users - 1.0);
  }

  /** The variance of {@link #rate()} if impressions were independent trials: R(1−R)/Σn. */
  public double bernoulliVariance() {
    if (impressions == 0) {
      return 0;
    }
    double r = rate();
    return r * (1 - r) / impressions;
  }
}
