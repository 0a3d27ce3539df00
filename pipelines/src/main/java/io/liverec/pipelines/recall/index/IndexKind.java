package io.liverec.pipelines.recall.index;

import java.util.Locale;

/** The index implementations, by the name used in configs and reports. */
public enum IndexKind {
  EXACT("exact"),
  LUCENE_HNSW("lucene-hnsw"),
  JVECTOR("jvector");

  private final String id;

  IndexKind(String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }

  /** Builds an index of this kind over {@code vectors} (unit length) stored under {@code ids}. */
  public VectorIndex build(float[][] vectors, int[] ids, IndexParams params) {
    return switch (this) {
      case EXACT -> new ExactIndex(vectors, ids);
      case LUCENE_HNSW -> LuceneHnswIndex.build(vectors, ids, params);
      case JVECTOR -> JVectorIndex.build(vectors, ids, params);
    };
  }

  public static IndexKind of(String id) {
    for (IndexKind k : values()) {
      if (k.id.equals(id.toLowerCase(Locale.ROOT))) {
        return k;
      }
    }
    throw new IllegalArgumentException(
        "unknown index kind '" + id + "' (exact, lucene-hnsw, jvector)");
  }
}
