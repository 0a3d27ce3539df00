package io.liverec.pipelines.sim;

import java.util.SplittableRandom;

/**
 * The default logging policy: score = weight · ln(1 + followers) + noise · Gumbel, top-k by score
 * (a Plackett-Luce draw: popular rooms are shown more and higher, every live room has a chance).
 * Uses only the observable follower count of the room side table.
 */
public final class PopularityPolicy implements RankingPolicy {
  private final double[] logFollowers;
  private final double weight;
  private final double noise;

  /**
   * @param followersByRoomId follower count of each room, indexed by room id (index 0 unused)
   * @param weight weight of log-followers
   * @param noise scale of the Gumbel noise
   */
  public PopularityPolicy(int[] followersByRoomId, double weight, double noise) {
    this.logFollowers = new double[followersByRoomId.length];
    for (int i = 0; i < followersByRoomId.length; i++) {
      logFollowers[i] = Math.log1p(Math.max(0, followersByRoomId[i]));
    }
    this.weight = weight;
    this.noise = noise;
  }

  @Override
  public long[] rank(Request request, long[] candidates, int listLength, SplittableRandom rng) {
    int n = candidates.length;
    double[] score = new double[n];
    for (int i = 0; i < n; i++) {
      double u = Math.max(rng.nextDouble(), 1e-300);
      double g = -Math.log(-Math.log(u));
      score[i] = weight * logFollowers[(int) candidates[i]] + noise * g;
    }
    // partial selection sort: listLength is small (<= 10)
    long[] out = new long[listLength];
    boolean[] taken = new boolean[n];
    for (int k = 0; k < listLength; k++) {
      int best = -1;
      for (int i = 0; i < n; i++) {
        if (!taken[i] && (best < 0 || score[i] > score[best])) {
          best = i;
        }
      }
      taken[best] = true;
      out[k] = candidates[best];
    }
    return out;
  }
}
