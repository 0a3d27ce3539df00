package io.liverec.pipelines.recall.index;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.function.IntPredicate;
import org.apache.lucene.codecs.hnsw.DefaultFlatVectorScorer;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TopKnnCollector;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.hnsw.HnswGraph;
import org.apache.lucene.util.hnsw.HnswGraphBuilder;
import org.apache.lucene.util.hnsw.HnswGraphSearcher;
import org.apache.lucene.util.hnsw.NeighborArray;
import org.apache.lucene.util.hnsw.OnHeapHnswGraph;
import org.apache.lucene.util.hnsw.RandomAccessVectorValues;
import org.apache.lucene.util.hnsw.RandomVectorScorer;
import org.apache.lucene.util.hnsw.RandomVectorScorerSupplier;

/**
 * Lucene's HNSW graph built directly on in-memory vectors (no Directory, no segments): {@link
 * HnswGraphBuilder} over a flat dot-product scorer, searched with {@link HnswGraphSearcher} and the
 * live filter as accept-ordinals. Lucene's dot-product score is (1 + dot) / 2; results are mapped
 * back to the inner product. The on-heap graph keeps one neighbour cursor for the whole graph, so
 * every search walks it through its own {@link GraphView} (a cursor of its own over the shared,
 * read-only adjacency lists): searches run concurrently, with no lock.
 */
public final class LuceneHnswIndex extends GraphIndex {
  private static final VectorSimilarityFunction SIMILARITY = VectorSimilarityFunction.DOT_PRODUCT;

  private final RandomAccessVectorValues.Floats vectors;
  private final OnHeapHnswGraph graph;

  private LuceneHnswIndex(
      RandomAccessVectorValues.Floats vectors,
      OnHeapHnswGraph graph,
      int[] ids,
      int dim,
      IndexParams params) {
    super(ids, dim, params);
    this.vectors = vectors;
    this.graph = graph;
  }

  public static LuceneHnswIndex build(float[][] vectors, int[] ids, IndexParams params) {
    Vectors.checkShape(vectors, ids);
    int dim = vectors.length == 0 ? 1 : vectors[0].length;
    RandomAccessVectorValues.Floats values =
        RandomAccessVectorValues.fromFloats(Arrays.asList(vectors), dim);
    try {
      RandomVectorScorerSupplier supplier =
          DefaultFlatVectorScorer.INSTANCE.getRandomVectorScorerSupplier(SIMILARITY, values);
      HnswGraphBuilder builder =
          HnswGraphBuilder.create(supplier, params.maxConn(), params.beamWidth(), params.seed());
      OnHeapHnswGraph graph = builder.build(vectors.length);
      return new LuceneHnswIndex(values, graph, ids.clone(), dim, params);
    } catch (IOException e) {
      throw new UncheckedIOException("building the Lucene HNSW graph", e);
    }
  }

  @Override
  Neighbors searchGraph(float[] query, int k, int efSearch, IntPredicate accept) {
    try {
      RandomVectorScorer scorer =
          DefaultFlatVectorScorer.INSTANCE.getRandomVectorScorer(SIMILARITY, vectors, query);
      TopKnnCollector collector = new TopKnnCollector(Math.max(k, efSearch), Integer.MAX_VALUE);
      HnswGraphSearcher.search(scorer, collector, new GraphView(graph), acceptOrds(accept));
      TopDocs top = collector.topDocs();
      int n = Math.min(k, top.scoreDocs.length);
      int[] outIds = new int[n];
      float[] scores = new float[n];
      for (int i = 0; i < n; i++) {
        ScoreDoc d = top.scoreDocs[i];
        outIds[i] = ids[d.doc];
        scores[i] = 2 * d.score - 1;
      }
      return new Neighbors(outIds, scores);
    } catch (IOException e) {
      throw new UncheckedIOException("searching the Lucene HNSW graph", e);
    }
  }

  private Bits acceptOrds(IntPredicate accept) {
    if (accept == null) {
      return null;
    }
    return new Bits() {
      @Override
      public boolean get(int ord) {
        return accept.test(ids[ord]);
      }

      @Override
      public int length() {
        return ids.length;
      }
    };
  }

  /**
   * A search's own cursor over the built graph: {@link OnHeapHnswGraph#seek} would move the graph's
   * shared cursor, so concurrent searches would read each other's neighbours.
   */
  private static final class GraphView extends HnswGraph {
    private final OnHeapHnswGraph graph;
    private int[] nodes = new int[0];
    private int count;
    private int upto;

    GraphView(OnHeapHnswGraph graph) {
      this.graph = graph;
    }

    @Override
    public void seek(int level, int target) {
      NeighborArray n = graph.getNeighbors(level, target);
      nodes = n.nodes();
      count = n.size();
      upto = -1;
    }

    @Override
    public int nextNeighbor() {
      return ++upto < count ? nodes[upto] : DocIdSetIterator.NO_MORE_DOCS;
    }

    @Override
    public int size() {
      return graph.size();
    }

    @Override
    public int maxNodeId() {
      return graph.maxNodeId();
    }

    @Override
    public int numLevels() {
      return graph.numLevels();
    }

    @Override
    public int entryNode() {
      return graph.entryNode();
    }

    @Override
    public NodesIterator getNodesOnLevel(int level) {
      return graph.getNodesOnLevel(level);
    }
  }

  @Override
  long graphBytes() {
    return graph.ramBytesUsed();
  }

  @Override
  public String describe() {
    return describe("lucene-hnsw", "M=" + params.maxConn(), ", seed=" + params.seed());
  }
}
