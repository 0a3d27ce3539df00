package io.liverec.pipelines.recall;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Map;

/** Picks the best-scored ids: by score descending, ties towards the lower id (deterministic). */
public final class TopK {
  private TopK() {}

  /** The {@code k} best entries of an id → score map. */
  public static int[] of(Map<Integer, Double> scores, int k) {
    return scores.entrySet().stream()
        .sorted(
            Comparator.comparingDouble((Map.Entry<Integer, Double> e) -> -e.getValue())
                .thenComparingInt(Map.Entry::getKey))
        .limit(k)
        .mapToInt(Map.Entry::getKey)
        .toArray();
  }

  /** The {@code k} best of {@code ids} under the dense score array {@code score[id]}. */
  public static int[] of(int[] ids, double[] score, int k) {
    Integer[] boxed = Arrays.stream(ids).boxed().toArray(Integer[]::new);
    Arrays.sort(
        boxed, Comparator.comparingDouble((Integer id) -> -score[id]).thenComparingInt(id -> id));
    int n = Math.min(k, boxed.length);
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      out[i] = boxed[i];
    }
    return out;
  }
}
