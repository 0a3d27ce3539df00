package io.liverec.pipelines.eval;

import java.util.Arrays;

/**
 * Exact ROC AUC by ranks (Mann–Whitney U): AUC = (R⁺ − n⁺(n⁺+1)/2) / (n⁺·n⁻), where R⁺ is the sum
 * of the ranks of the positives and tied scores share their average rank, so a tie between a
 * positive and a negative counts one half.
 */
public final class Auc {

  private Auc() {}

  /**
   * AUC of {@code scores} against binary {@code labels} (label &gt; 0.5 is positive). Returns NaN
   * when one class is absent, since the AUC is undefined then.
   */
  public static double of(double[] scores, double[] labels) {
    return of(scores, labels, 0, scores.length, identity(scores.length));
  }

  /**
   * AUC over the rows {@code order[from..to)}: the index array lets GAUC evaluate each user's rows
   * without copying. The index range is sorted in place by score.
   */
  static double of(double[] scores, double[] labels, int from, int to, Integer[] order) {
    if (scores.length != labels.length) {
      throw new IllegalArgumentException(
          "scores and labels differ in length: " + scores.length + " vs " + labels.length);
    }
    long pos = 0;
    for (int k = from; k < to; k++) {
      if (labels[order[k]] > 0.5) {
        pos++;
      }
    }
    long neg = (to - from) - pos;
    if (pos == 0 || neg == 0) {
      return Double.NaN;
    }
    Arrays.sort(order, from, to, (a, b) -> Double.compare(scores[a], scores[b]));
    double rankSumPos = 0;
    int k = from;
    while (k < to) {
      int end = k + 1;
      while (end < to && scores[order[end]] == scores[order[k]]) {
        end++;
      }
      // ranks are 1-based: rows k..end-1 share the average of ranks (k-from+1)..(end-from)
      double avgRank = ((k - from + 1) + (end - from)) / 2.0;
      for (int t = k; t < end; t++) {
        if (labels[order[t]] > 0.5) {
          rankSumPos += avgRank;
        }
      }
      k = end;
    }
    return (rankSumPos - pos * (pos + 1) / 2.0) / ((double) pos * neg);
  }

  static Integer[] identity(int n) {
    Integer[] idx = new Integer[n];
    for (int i = 0; i < n; i++) {
      idx[i] = i;
    }
    return idx;
  }
}
