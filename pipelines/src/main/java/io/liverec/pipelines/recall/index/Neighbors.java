package io.liverec.pipelines.recall.index;

/** Search result: ids (as given to the index) and inner-product scores, best first. */
public record Neighbors(int[] ids, float[] scores) {
  public int size() {
    return ids.length;
  }
}
