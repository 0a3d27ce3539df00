package io.liverec.pipelines.recall.index;

/**
 * Build and search parameters shared by the graph indexes.
 *
 * @param maxConn HNSW M: links per node on the upper layers; the base layer keeps 2·M (Lucene's
 *     rule), and jvector gets degree 2·M so both graphs have the same base-layer degree
 * @param beamWidth candidates kept while inserting (efConstruction)
 * @param efSearch candidates kept while searching; the search returns the best k of max(k, ef)
 * @param seed random seed of the level assignment (Lucene)
 */
public record IndexParams(int maxConn, int beamWidth, int efSearch, long seed) {

  /** Defaults chosen by the ANN benchmark (docs/BENCHMARKS.md). */
  public static final IndexParams DEFAULT = new IndexParams(16, 100, 200, 42L);

  public IndexParams {
    if (maxConn < 2 || beamWidth < 1 || efSearch < 1) {
      throw new IllegalArgumentException(
          "index params must be positive (maxConn >= 2): "
              + maxConn
              + ", "
              + beamWidth
              + ", "
              + efSearch);
    }
  }
}
