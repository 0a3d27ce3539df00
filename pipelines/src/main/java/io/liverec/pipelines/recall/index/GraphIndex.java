package io.liverec.pipelines.recall.index;

import java.util.function.IntPredicate;

/**
 * What the two graph indexes ({@link LuceneHnswIndex}, {@link JVectorIndex}) share: the external
 * ids by ordinal, the dimension, the build parameters with their default efSearch, the empty answer
 * for an empty index or {@code k <= 0}, the heap estimate of graph plus on-heap vectors and the
 * form of the description.
 */
abstract class GraphIndex implements VectorIndex {
  final int[] ids;
  final int dim;
  final IndexParams params;

  GraphIndex(int[] ids, int dim, IndexParams params) {
    this.ids = ids;
    this.dim = dim;
    this.params = params;
  }

  @Override
  public final int size() {
    return ids.length;
  }

  @Override
  public final int dimension() {
    return dim;
  }

  @Override
  public final Neighbors search(float[] query, int k, IntPredicate accept) {
    return search(query, k, params.efSearch(), accept);
  }

  @Override
  public final Neighbors search(float[] query, int k, int efSearch, IntPredicate accept) {
    if (ids.length == 0 || k <= 0) {
      return new Neighbors(new int[0], new float[0]);
    }
    return searchGraph(query, k, efSearch, accept);
  }

  /** The graph search proper, for a non-empty index and {@code k > 0}. */
  abstract Neighbors searchGraph(float[] query, int k, int efSearch, IntPredicate accept);

  /** Heap held by the graph alone. */
  abstract long graphBytes();

  @Override
  public final long ramBytesUsed() {
    return graphBytes() + (long) ids.length * (16 + 4L * dim) + 4L * ids.length;
  }

  /**
   * The shared form of {@link #describe()}: {@code kind(n=…, dim=…, <degree>, beamWidth=…,
   * efSearch=…<rest>)}.
   */
  final String describe(String kind, String degree, String rest) {
    return kind
        + "(n="
        + size()
        + ", dim="
        + dim
        + ", "
        + degree
        + ", beamWidth="
        + params.beamWidth()
        + ", efSearch="
        + params.efSearch()
        + rest
        + ")";
  }
}
