package io.liverec.pipelines.recall.cf;

import io.liverec.pipelines.recall.NeighbourScores;
import io.liverec.pipelines.recall.Retriever;
import io.liverec.pipelines.recall.TopK;
import io.liverec.pipelines.recall.data.LiveRooms;
import io.liverec.pipelines.recall.data.RecallDataset;
import java.util.HashMap;
import java.util.Map;

/**
 * Classic item-based collaborative filtering (Sarwar et al. 2001, Deshpande and Karypis 2004): each
 * room is the binary vector of the users who clicked it at least once in training, and sim(i, j) =
 * |U_i ∩ U_j| / √(|U_i| · |U_j|) is the cosine of two such vectors. Each room keeps its {@code
 * neighbours} most similar rooms and itself (sim 1: re-visits are a large share of a live-streaming
 * holdout, so a baseline that could never return a room the user already watched would be a straw
 * man).
 *
 * <p>Unlike {@code i2i} ({@link io.liverec.pipelines.recall.i2i.CoClick}) the similarity ignores
 * order, time and repetition: two rooms are similar when the same users clicked both anywhere in
 * their history, each user counting once, not when they were clicked within a few positions of each
 * other (with repeated pairs counting again). Retrieval is the same recency-weighted sum: score(j)
 * = Σ_t w_t · sim(t, j) over the user's recent distinct rooms t (newest first, w_t = 0.9^t),
 * offline rooms skipped. Without history the answer is empty.
 */
public final class ItemKnn implements Retriever {
  public static final int DEFAULT_NEIGHBOURS = 300;
  static final double TRIGGER_DECAY = 0.9;
  static final int MAX_TRIGGERS = 20;

  /** Catalogue size up to which the dense co-click matrix (8·n² bytes) is acceptable. */
  public static final int MAX_ROOMS = 10_000;

  private final int[][] neighbour;
  private final double[][] similarity;

  private ItemKnn(int[][] neighbour, double[][] similarity) {
    this.neighbour = neighbour;
    this.similarity = similarity;
  }

  public static ItemKnn fit(RecallDataset train) {
    return fit(train.sequences(), train.rooms().size(), DEFAULT_NEIGHBOURS);
  }

  /** From each user's clicked rooms (any order, repeats ignored), room ids in [0, numRooms). */
  public static ItemKnn fit(int[][] sequences, int numRooms, int neighbours) {
    if (numRooms > MAX_ROOMS) {
      throw new IllegalArgumentException(
          "item-knn keeps dense room x room counts; "
              + numRooms
              + " rooms exceed its limit of "
              + MAX_ROOMS);
    }
    double[] users = new double[numRooms];
    double[][] both = new double[numRooms][numRooms];
    boolean[] mark = new boolean[numRooms];
    int[] distinct = new int[numRooms];
    for (int[] seq : sequences) {
      int n = 0;
      for (int r : seq) {
        if (!mark[r]) {
          mark[r] = true;
          distinct[n++] = r;
        }
      }
      for (int a = 0; a < n; a++) {
        int i = distinct[a];
        mark[i] = false;
        users[i]++;
        for (int b = a + 1; b < n; b++) {
          both[i][distinct[b]]++;
          both[distinct[b]][i]++;
        }
      }
    }
    int[][] nb = new int[numRooms][];
    double[][] sim = new double[numRooms][];
    for (int i = 0; i < numRooms; i++) {
      Map<Integer, Double> s = new HashMap<>();
      for (int j = 0; j < numRooms; j++) {
        if (j != i && both[i][j] > 0) {
          s.put(j, both[i][j] / Math.sqrt(users[i] * users[j]));
        }
      }
      int[] top = TopK.of(s, neighbours);
      boolean self = users[i] > 0;
      nb[i] = new int[top.length + (self ? 1 : 0)];
      sim[i] = new double[nb[i].length];
      int x = 0;
      if (self) {
        nb[i][0] = i;
        sim[i][0] = 1;
        x = 1;
      }
      for (int t : top) {
        nb[i][x] = t;
        sim[i][x++] = s.get(t);
      }
    }
    return new ItemKnn(nb, sim);
  }

  /**
   * The stored neighbours of {@code room} (itself first when it has clicks), most similar first.
   */
  public int[] neighbours(int room) {
    return neighbour[room].clone();
  }

  /** The stored similarity of {@code j} to {@code i}, 0 when j is not among i's neighbours. */
  public double similarity(int i, int j) {
    for (int x = 0; x < neighbour[i].length; x++) {
      if (neighbour[i][x] == j) {
        return similarity[i][x];
      }
    }
    return 0;
  }

  @Override
  public String name() {
    return "item-knn";
  }

  @Override
  public int[] retrieve(int user, int[] recentRooms, LiveRooms live, int k) {
    return NeighbourScores.retrieve(
        neighbour, similarity, recentRooms, live, k, MAX_TRIGGERS, TRIGGER_DECAY);
  }
}
