package io.liverec.pipelines.recall;

import io.liverec.pipelines.recall.data.LiveRooms;
import io.liverec.pipelines.recall.data.RecallDataset;

/**
 * The anchor every channel must beat: the live rooms with the most training clicks, the same list
 * for every user.
 */
public final class Popular implements Retriever {
  private final double[] clicks;

  private Popular(double[] clicks) {
    this.clicks = clicks;
  }

  public static Popular fit(RecallDataset train) {
    int[] n = train.roomClickCounts();
    double[] c = new double[n.length];
    for (int r = 0; r < n.length; r++) {
      c[r] = n[r];
    }
    return new Popular(c);
  }

  @Override
  public String name() {
    return "popular";
  }

  @Override
  public int[] retrieve(int user, int[] recentRooms, LiveRooms live, int k) {
    return TopK.of(live.ids(), clicks, k);
  }
}
