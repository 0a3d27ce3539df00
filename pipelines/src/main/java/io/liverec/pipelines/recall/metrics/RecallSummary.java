package io.liverec.pipelines.recall.metrics;

import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Accumulates one method's answers over the evaluation requests and reports, for each cut-off K:
 *
 * <ul>
 *   <li>{@code recall@K}, {@code ndcg@K}: means over requests;
 *   <li>{@code coverage@K}: distinct rooms returned in any top-K / rooms live in the test window;
 *   <li>{@code coldRecall@K}: hits on cold (truth) rooms / cold truth rooms, micro-averaged over
 *       requests (cold = no click before the holdout);
 *   <li>{@code coldTruth}: number of (request, cold room) truth pairs — the cold-recall denominator
 *       (cold recall is reported as 0 when it is 0);
 *   <li>{@code tailCoverage@K}: distinct tail rooms returned / live tail rooms (tail = below the
 *       median training popularity among live rooms with history, see {@link #RecallSummary});
 *   <li>{@code tailRecall@K}: hits on tail truth rooms / tail truth pairs, micro-averaged over
 *       requests like cold recall, and {@code tailTruth}, its denominator: whether the tail rooms
 *       users did click are found (tail coverage says only how many tail rooms are returned at
 *       all);
 *   <li>when requests come with the user's training rooms ({@link #add(int[], Set, Set)}): {@code
 *       repeatRecall@K} / {@code newRecall@K}, hits / truth pairs micro-averaged over requests,
 *       split by whether the truth room is one the user already clicked in training (a re-visit) or
 *       not, and {@code repeatTruth} = share of truth pairs that are re-visits.
 * </ul>
 */
public final class RecallSummary {
  private final int[] ks;
  private final BitSet cold;
  private final BitSet tail;
  private final int liveCount;
  private final int liveTailCount;
  private final double[] recallSum;
  private final double[] ndcgSum;
  private final long[] coldHits;
  private final long[] tailHits;
  private final BitSet[] returned;
  private final long[] repeatHits;
  private final long[] newHits;
  private long coldTotal;
  private long tailTotal;
  private long repeatTotal;
  private long truthTotal;
  private boolean repeatTracked;
  private int requests;

  /**
   * @param ks cut-offs, ascending
   * @param cold rooms with no history before the holdout
   * @param tail rooms counted as the popularity tail
   * @param live rooms live in the test window (the coverage denominator)
   */
  public RecallSummary(int[] ks, BitSet cold, BitSet tail, BitSet live) {
    this.ks = ks.clone();
    this.cold = cold;
    this.tail = tail;
    this.liveCount = live.cardinality();
    BitSet lt = (BitSet) tail.clone();
    lt.and(live);
    this.liveTailCount = lt.cardinality();
    this.recallSum = new double[ks.length];
    this.ndcgSum = new double[ks.length];
    this.coldHits = new long[ks.length];
    this.tailHits = new long[ks.length];
    this.repeatHits = new long[ks.length];
    this.newHits = new long[ks.length];
    this.returned = new BitSet[ks.length];
    for (int i = 0; i < ks.length; i++) {
      returned[i] = new BitSet();
    }
  }

  /** Adds one request's ranked answer against its truth. */
  public void add(int[] ranked, Set<Integer> truth) {
    add(ranked, truth, null);
  }

  /**
   * Adds one request's ranked answer against its truth; {@code seen} (may be null: no re-visit
   * breakdown) holds the rooms the user clicked in training.
   */
  public void add(int[] ranked, Set<Integer> truth, Set<Integer> seen) {
    requests++;
    repeatTracked |= seen != null;
    for (int room : truth) {
      truthTotal++;
      if (cold.get(room)) {
        coldTotal++;
      }
      if (tail.get(room)) {
        tailTotal++;
      }
      if (seen != null && seen.contains(room)) {
        repeatTotal++;
      }
    }
    for (int i = 0; i < ks.length; i++) {
      int k = ks[i];
      recallSum[i] += RankingMetrics.recallAtK(ranked, truth, k);
      ndcgSum[i] += RankingMetrics.ndcgAtK(ranked, truth, k);
      for (int j = 0; j < Math.min(k, ranked.length); j++) {
        returned[i].set(ranked[j]);
        if (truth.contains(ranked[j])) {
          if (cold.get(ranked[j])) {
            coldHits[i]++;
          }
          if (tail.get(ranked[j])) {
            tailHits[i]++;
          }
          if (seen != null && seen.contains(ranked[j])) {
            repeatHits[i]++;
          } else {
            newHits[i]++;
          }
        }
      }
    }
  }

  public int requests() {
    return requests;
  }

  /** Metric name (e.g. {@code recall@100}) → value, in a stable order. */
  public Map<String, Double> metrics() {
    Map<String, Double> m = new LinkedHashMap<>();
    for (int i = 0; i < ks.length; i++) {
      m.put("recall@" + ks[i], requests == 0 ? 0 : recallSum[i] / requests);
    }
    for (int i = 0; i < ks.length; i++) {
      m.put("ndcg@" + ks[i], requests == 0 ? 0 : ndcgSum[i] / requests);
    }
    for (int i = 0; i < ks.length; i++) {
      m.put(
          "coverage@" + ks[i], liveCount == 0 ? 0 : (double) returned[i].cardinality() / liveCount);
    }
    for (int i = 0; i < ks.length; i++) {
      m.put("coldRecall@" + ks[i], coldTotal == 0 ? 0 : (double) coldHits[i] / coldTotal);
    }
    m.put("coldTruth", (double) coldTotal);
    for (int i = 0; i < ks.length; i++) {
      BitSet t = (BitSet) returned[i].clone();
      t.and(tail);
      m.put(
          "tailCoverage@" + ks[i],
          liveTailCount == 0 ? 0 : (double) t.cardinality() / liveTailCount);
    }
    for (int i = 0; i < ks.length; i++) {
      m.put("tailRecall@" + ks[i], tailTotal == 0 ? 0 : (double) tailHits[i] / tailTotal);
    }
    m.put("tailTruth", (double) tailTotal);
    if (repeatTracked) {
      long fresh = truthTotal - repeatTotal;
      for (int i = 0; i < ks.length; i++) {
        m.put("repeatRecall@" + ks[i], repeatTotal == 0 ? 0 : (double) repeatHits[i] / repeatTotal);
      }
      for (int i = 0; i < ks.length; i++) {
        m.put("newRecall@" + ks[i], fresh == 0 ? 0 : (double) newHits[i] / fresh);
      }
      m.put("repeatTruth", truthTotal == 0 ? 0 : (double) repeatTotal / truthTotal);
    }
    return m;
  }
}
