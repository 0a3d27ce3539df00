package io.liverec.pipelines.recall.index;

import io.github.jbellis.jvector.graph.GraphIndexBuilder;
import io.github.jbellis.jvector.graph.GraphSearcher;
import io.github.jbellis.jvector.graph.ImmutableGraphIndex;
import io.github.jbellis.jvector.graph.ListRandomAccessVectorValues;
import io.github.jbellis.jvector.graph.SearchResult;
import io.github.jbellis.jvector.graph.similarity.BuildScoreProvider;
import io.github.jbellis.jvector.graph.similarity.DefaultSearchScoreProvider;
import io.github.jbellis.jvector.util.Bits;
import io.github.jbellis.jvector.vector.VectorSimilarityFunction;
import io.github.jbellis.jvector.vector.VectorizationProvider;
import io.github.jbellis.jvector.vector.types.VectorFloat;
import io.github.jbellis.jvector.vector.types.VectorTypeSupport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.function.IntPredicate;

/**
 * jvector's graph index (DiskANN-style Vamana with an HNSW-like hierarchy) built in memory with
 * exact dot-product scores, searched with a per-thread {@link GraphSearcher} and the live filter as
 * accept-ordinals. On Java 17 jvector uses its default (non-Panama) vector provider; nothing needs
 * {@code --add-modules jdk.incubator.vector}. Builds run on one thread (the same as Lucene's
 * builder) unless {@link #build(float[][], int[], IndexParams, int)} is given more.
 */
public final class JVectorIndex extends GraphIndex {
  private static final VectorSimilarityFunction SIMILARITY = VectorSimilarityFunction.DOT_PRODUCT;

  /** Vamana pruning slack (alpha) and neighbour overflow: jvector's recommended defaults. */
  static final float ALPHA = 1.2f;

  static final float NEIGHBOR_OVERFLOW = 1.2f;

  private static final VectorTypeSupport VTS =
      VectorizationProvider.getInstance().getVectorTypeSupport();

  private final ListRandomAccessVectorValues vectors;
  private final ImmutableGraphIndex graph;
  private final ThreadLocal<GraphSearcher> searchers;

  private JVectorIndex(
      ListRandomAccessVectorValues vectors,
      ImmutableGraphIndex graph,
      int[] ids,
      int dim,
      IndexParams params) {
    super(ids, dim, params);
    this.vectors = vectors;
    this.graph = graph;
    this.searchers = ThreadLocal.withInitial(() -> new GraphSearcher(graph));
  }

  public static JVectorIndex build(float[][] vectors, int[] ids, IndexParams params) {
    return build(vectors, ids, params, 1);
  }

  /** Builds with {@code threads} worker threads. */
  public static JVectorIndex build(float[][] vectors, int[] ids, IndexParams params, int threads) {
    Vectors.checkShape(vectors, ids);
    int dim = vectors.length == 0 ? 1 : vectors[0].length;
    List<VectorFloat<?>> list = new ArrayList<>(vectors.length);
    for (float[] v : vectors) {
      list.add(VTS.createFloatVector(v));
    }
    ListRandomAccessVectorValues values = new ListRandomAccessVectorValues(list, dim);
    BuildScoreProvider bsp = BuildScoreProvider.randomAccessScoreProvider(values, SIMILARITY);
    ForkJoinPool pool = new ForkJoinPool(threads);
    try (GraphIndexBuilder builder =
        new GraphIndexBuilder(
            bsp,
            dim,
            2 * params.maxConn(),
            params.beamWidth(),
            NEIGHBOR_OVERFLOW,
            ALPHA,
            true,
            true,
            pool,
            pool)) {
      ImmutableGraphIndex graph = builder.build(values);
      return new JVectorIndex(values, graph, ids.clone(), dim, params);
    } catch (IOException e) {
      throw new UncheckedIOException("building the jvector graph", e);
    } finally {
      pool.shutdown();
    }
  }

  @Override
  Neighbors searchGraph(float[] query, int k, int efSearch, IntPredicate accept) {
    DefaultSearchScoreProvider ssp =
        DefaultSearchScoreProvider.exact(VTS.createFloatVector(query), SIMILARITY, vectors);
    Bits bits = accept == null ? Bits.ALL : ord -> accept.test(ids[ord]);
    SearchResult result = searchers.get().search(ssp, k, Math.max(k, efSearch), 0f, 0f, bits);
    SearchResult.NodeScore[] nodes = result.getNodes();
    int n = Math.min(k, nodes.length);
    int[] outIds = new int[n];
    float[] scores = new float[n];
    for (int i = 0; i < n; i++) {
      outIds[i] = ids[nodes[i].node];
      scores[i] = 2 * nodes[i].score - 1;
    }
    return new Neighbors(outIds, scores);
  }

  @Override
  long graphBytes() {
    return graph.ramBytesUsed();
  }

  @Override
  public String describe() {
    return describe(
        "jvector",
        "degree=" + 2 * params.maxConn(),
        ", alpha=" + ALPHA + ", overflow=" + NEIGHBOR_OVERFLOW + ", hierarchy=true");
  }
}
