package io.liverec.pipelines.eval;

import java.util.Arrays;

/**
 * Group AUC: the impression-weighted mean of per-user AUCs, over users that have both a positive
 * and a negative row (a user with one class has no defined AUC and is skipped, as in the seed
 * talk's definition).
 */
public final class Gauc {

  private Gauc() {}

  /** The GAUC and how many users and rows it covered. */
  public record Result(double gauc, int users, long rows) {}

  /** GAUC of {@code scores} against {@code labels} grouped by {@code userIds}. */
  public static Result of(double[] scores, double[] labels, long[] userIds) {
    int n = scores.length;
    if (labels.length != n || userIds.length != n) {
      throw new IllegalArgumentException("scores, labels and userIds differ in length");
    }
    Integer[] order = Auc.identity(n);
    Arrays.sort(order, (a, b) -> Long.compare(userIds[a], userIds[b]));
    double weighted = 0;
    long rows = 0;
    int users = 0;
    int k = 0;
    while (k < n) {
      int end = k + 1;
      while (end < n && userIds[order[end]] == userIds[order[k]]) {
        end++;
      }
      double auc = Auc.of(scores, labels, k, end, order);
      if (!Double.isNaN(auc)) {
        weighted += auc * (end - k);
        rows += end - k;
        users++;
      }
      k = end;
    }
    return new Result(rows == 0 ? Double.NaN : weighted / rows, users, rows);
  }
}
