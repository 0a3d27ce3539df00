package io.liverec.pipelines.recall;

import io.liverec.pipelines.recall.data.LiveRooms;
import java.util.HashMap;
import java.util.Map;

/**
 * Retrieval from stored neighbour lists, shared by the item-to-item channels: score(j) = Σ_t w_t ·
 * sim(t, j) over the user's newest {@code maxTriggers} rooms t (w_t = decay^t, newest first), where
 * sim(t, j) is j's stored similarity in t's list. Triggers outside the catalogue and offline
 * neighbours are skipped; no triggers give an empty answer.
 */
public final class NeighbourScores {
  private NeighbourScores() {}

  /**
   * @param neighbour each room's neighbour ids
   * @param similarity each room's neighbour similarities, aligned with {@code neighbour}
   */
  public static int[] retrieve(
      int[][] neighbour,
      double[][] similarity,
      int[] recentRooms,
      LiveRooms live,
      int k,
      int maxTriggers,
      double decay) {
    Map<Integer, Double> scores = new HashMap<>();
    double w = 1;
    for (int t = 0; t < Math.min(maxTriggers, recentRooms.length); t++, w *= decay) {
      int trigger = recentRooms[t];
      if (trigger < 0 || trigger >= neighbour.length) {
        continue;
      }
      for (int x = 0; x < neighbour[trigger].length; x++) {
        int j = neighbour[trigger][x];
        if (live.isLive(j)) {
          scores.merge(j, w * similarity[trigger][x], Double::sum);
        }
      }
    }
    return TopK.of(scores, k);
  }
}
