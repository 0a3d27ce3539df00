package io.liverec.pipelines.recall;

import java.util.SplittableRandom;

/** The training-order shuffle of the embedding models (item2vec, two-tower). */
public final class Shuffle {
  private Shuffle() {}

  /** Fisher–Yates in place: the same seed gives the same order. */
  public static void inPlace(int[] a, SplittableRandom rnd) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = rnd.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }
}
