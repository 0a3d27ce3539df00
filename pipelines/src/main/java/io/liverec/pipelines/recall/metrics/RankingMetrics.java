package io.liverec.pipelines.recall.metrics;

import java.util.Set;

/** Per-request retrieval metrics with binary relevance. */
public final class RankingMetrics {
  private RankingMetrics() {}

  /** |top-k ∩ truth| / |truth| (0 when truth is empty). */
  public static double recallAtK(int[] ranked, Set<Integer> truth, int k) {
    if (truth.isEmpty()) {
      return 0;
    }
    return (double) hits(ranked, truth, k) / truth.size();
  }

  /** Number of the first {@code k} ranked rooms that are in the truth set. */
  public static int hits(int[] ranked, Set<Integer> truth, int k) {
    int hits = 0;
    for (int i = 0; i < Math.min(k, ranked.length); i++) {
      if (truth.contains(ranked[i])) {
        hits++;
      }
    }
    return hits;
  }

  /**
   * DCG@k / IDCG@k with gain 1 for a relevant room at rank i (1-based) discounted by log2(i+1);
   * IDCG puts min(|truth|, k) relevant rooms first.
   */
  public static double ndcgAtK(int[] ranked, Set<Integer> truth, int k) {
    if (truth.isEmpty()) {
      return 0;
    }
    double dcg = 0;
    for (int i = 0; i < Math.min(k, ranked.length); i++) {
      if (truth.contains(ranked[i])) {
        dcg += 1.0 / log2(i + 2);
      }
    }
    double idcg = 0;
    for (int i = 0; i < Math.min(k, truth.size()); i++) {
      idcg += 1.0 / log2(i + 2);
    }
    return dcg / idcg;
  }

  private static double log2(double x) {
    return Math.log(x) / Math.log(2);
  }
}
