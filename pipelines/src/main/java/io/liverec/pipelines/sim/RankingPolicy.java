package io.liverec.pipelines.sim;

import java.util.SplittableRandom;

/**
 * The behaviour (logging) policy of the simulator: given a request and the rooms live at that
 * moment, the ranked list to show. The default is {@link PopularityPolicy}; a trained ranker can be
 * plugged in to run closed-loop tests (the simulator then logs what that model would have shown).
 */
@FunctionalInterface
public interface RankingPolicy {
  /**
   * Ranks candidates.
   *
   * @param request the request context
   * @param candidates ids of the rooms live now (the policy must not change this array)
   * @param listLength how many rooms to return (at most {@code candidates.length})
   * @param rng the simulator's seeded generator, for stochastic policies (keeps runs deterministic)
   * @return {@code listLength} distinct room ids taken from {@code candidates}, best first
   */
  long[] rank(Request request, long[] candidates, int listLength, SplittableRandom rng);
}
