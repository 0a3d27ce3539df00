package io.liverec.pipelines.recall.index;

import java.util.PriorityQueue;
import java.util.function.IntPredicate;
import org.apache.lucene.util.VectorUtil;

/** Brute-force scan: the exact anchor the graph indexes are measured against. */
public final class ExactIndex implements VectorIndex {
  private final float[][] vectors;
  private final int[] ids;
  private final int dim;

  public ExactIndex(float[][] vectors, int[] ids) {
    Vectors.checkShape(vectors, ids);
    this.vectors = vectors;
    this.ids = ids;
    this.dim = vectors.length == 0 ? 0 : vectors[0].length;
  }

  @Override
  public int size() {
    return vectors.length;
  }

  @Override
  public int dimension() {
    return dim;
  }

  @Override
  public Neighbors search(float[] query, int k, int efSearch, IntPredicate accept) {
    return search(query, k, accept);
  }

  @Override
  public Neighbors search(float[] query, int k, IntPredicate accept) {
    // min-heap on score of the best k so far; ties broken towards the lower ordinal
    PriorityQueue<long[]> heap = new PriorityQueue<>(k + 1, ExactIndex::compareEntries);
    for (int i = 0; i < vectors.length; i++) {
      if (accept != null && !accept.test(ids[i])) {
        continue;
      }
      float s = VectorUtil.dotProduct(query, vectors[i]);
      if (heap.size() < k) {
        heap.add(entry(s, i));
      } else if (s > Float.intBitsToFloat((int) heap.peek()[0])) {
        heap.poll();
        heap.add(entry(s, i));
      }
    }
    int n = heap.size();
    int[] outIds = new int[n];
    float[] outScores = new float[n];
    for (int j = n - 1; j >= 0; j--) {
      long[] e = heap.poll();
      outIds[j] = ids[(int) e[1]];
      outScores[j] = Float.intBitsToFloat((int) e[0]);
    }
    return new Neighbors(outIds, outScores);
  }

  private static long[] entry(float score, int ord) {
    return new long[] {Float.floatToIntBits(score), ord};
  }

  private static int compareEntries(long[] a, long[] b) {
    int c = Float.compare(Float.intBitsToFloat((int) a[0]), Float.intBitsToFloat((int) b[0]));
    return c != 0 ? c : Long.compare(b[1], a[1]);
  }

  @Override
  public long ramBytesUsed() {
    return (long) vectors.length * (16 + 4L * dim) + 4L * ids.length;
  }

  @Override
  public String describe() {
    return "exact(n=" + size() + ", dim=" + dim + ")";
  }
}
