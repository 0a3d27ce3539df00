package io.liverec.pipelines.recall.index;

import java.util.function.IntPredicate;

/**
 * Maximum-inner-product search over unit vectors, each stored under an external id (a room id).
 * Filtering happens inside the search: {@code accept} is consulted for candidate ids and rejected
 * ones are never returned (the graph indexes still traverse them, which is the filter's cost).
 * Implementations are safe for concurrent searches.
 */
public interface VectorIndex {

  int size();

  int dimension();

  /**
   * @param query unit vector of length {@link #dimension()}
   * @param k number of results wanted
   * @param efSearch candidates kept by a graph search (ignored by the exact scan)
   * @param accept ids allowed in the answer; null = all
   */
  Neighbors search(float[] query, int k, int efSearch, IntPredicate accept);

  /** {@link #search(float[], int, int, IntPredicate)} with the index's configured efSearch. */
  Neighbors search(float[] query, int k, IntPredicate accept);

  /** Approximate heap held by the index structure (graph plus vectors). */
  long ramBytesUsed();

  /** The kind and build parameters, recorded with a model. */
  String describe();
}
