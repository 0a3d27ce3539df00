package io.liverec.pipelines.recall.vector;

import io.liverec.pipelines.recall.Retriever;
import io.liverec.pipelines.recall.TopK;
import io.liverec.pipelines.recall.data.LiveRooms;
import io.liverec.pipelines.recall.data.RecallDataset;
import io.liverec.pipelines.recall.index.IndexKind;
import io.liverec.pipelines.recall.index.IndexParams;
import io.liverec.pipelines.recall.index.Neighbors;
import io.liverec.pipelines.recall.index.VectorIndex;
import io.liverec.pipelines.recall.index.Vectors;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Vector i2i: item2vec room embeddings (unit length) in an ANN index over the whole corpus, one
 * index request per trigger room; score(j) = Σ_t w_t · max(0, ⟨e_t, e_j⟩) with w_t = {@link
 * #TRIGGER_DECAY}^t over the newest {@link #MAX_TRIGGERS} triggers. The live filter is applied
 * inside each index search. Rooms with fewer than {@link #MIN_CLICKS} training clicks are not
 * indexed (the cold-room weakness the two-tower's content inputs address); users without history
 * get an empty answer.
 */
public final class VectorI2I implements Retriever {
  static final double TRIGGER_DECAY = 0.9;
  static final int MAX_TRIGGERS = 10;

  /**
   * Rooms with fewer training clicks are not indexed (word2vec's min_count): their vectors have had
   * too few updates to leave the random initialisation, and after normalisation they would sit in
   * random directions next to every query.
   */
  static final int MIN_CLICKS = 5;

  private final float[][] embedding;
  private final VectorIndex index;

  private VectorI2I(float[][] embedding, VectorIndex index) {
    this.embedding = embedding;
    this.index = index;
  }

  public static VectorI2I fit(
      RecallDataset train, Item2Vec model, IndexKind kind, IndexParams params) {
    float[][] emb = centre(model.train(train.sequences(), train.rooms().size()));
    List<float[]> vectors = new ArrayList<>();
    List<Integer> ids = new ArrayList<>();
    int[] clicks = train.roomClickCounts();
    for (int r = 0; r < emb.length; r++) {
      if (emb[r] != null && clicks[r] >= MIN_CLICKS) {
        Vectors.normalizeInPlace(emb[r]);
        vectors.add(emb[r]);
        ids.add(r);
      }
    }
    VectorIndex index =
        kind.build(
            vectors.toArray(new float[0][]),
            ids.stream().mapToInt(Integer::intValue).toArray(),
            params);
    return new VectorI2I(emb, index);
  }

  /**
   * Subtracts the mean embedding (the first step of Mu &amp; Viswanath's "all-but-the-top"): click
   * logs with a few hub rooms give every room vector a large shared component (cosines ≈ 0.9
   * between unrelated rooms on the simulator), which drowns the neighbourhood signal.
   */
  static float[][] centre(float[][] emb) {
    int dim = 0;
    int n = 0;
    double[] mean = null;
    for (float[] v : emb) {
      if (v != null) {
        if (mean == null) {
          dim = v.length;
          mean = new double[dim];
        }
        for (int d = 0; d < dim; d++) {
          mean[d] += v[d];
        }
        n++;
      }
    }
    for (float[] v : emb) {
      if (v != null) {
        for (int d = 0; d < dim; d++) {
          v[d] -= (float) (mean[d] / n);
        }
      }
    }
    return emb;
  }

  /** The index this retriever searches (its {@link VectorIndex#describe()} goes in reports). */
  public VectorIndex index() {
    return index;
  }

  @Override
  public String name() {
    return "vector-i2i";
  }

  @Override
  public int[] retrieve(int user, int[] recentRooms, LiveRooms live, int k) {
    Map<Integer, Double> scores = new HashMap<>();
    double w = 1;
    int used = 0;
    for (int t = 0; t < recentRooms.length && used < MAX_TRIGGERS; t++) {
      int trigger = recentRooms[t];
      if (trigger < 0 || trigger >= embedding.length || embedding[trigger] == null) {
        continue;
      }
      Neighbors nb = index.search(embedding[trigger], k, live::isLive);
      for (int i = 0; i < nb.size(); i++) {
        if (nb.ids()[i] != trigger && nb.scores()[i] > 0) {
          scores.merge(nb.ids()[i], w * nb.scores()[i], Double::sum);
        }
      }
      w *= TRIGGER_DECAY;
      used++;
    }
    return TopK.of(scores, k);
  }
}
