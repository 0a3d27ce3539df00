package io.liverec.pipelines.recall.i2i;

import io.liverec.pipelines.recall.NeighbourScores;
import io.liverec.pipelines.recall.Retriever;
import io.liverec.pipelines.recall.TopK;
import io.liverec.pipelines.recall.data.LiveRooms;
import io.liverec.pipelines.recall.data.RecallDataset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Item-based i2i from co-clicks. Two rooms co-occur when one user clicked both within {@code
 * window} positions of their time-ordered click sequence; each co-occurrence adds the user weight 1
 * / log2(2 + |sequence|) (heavy users count less), and a room's own count N(i) adds the same weight
 * per click. Similarity is cosine-normalised: sim(i, j) = C(i, j) / √(N(i) · N(j)); each room keeps
 * its {@code neighbours} most similar rooms.
 *
 * <p>Retrieval, triggered by the user's recent rooms (newest first, weight {@link #TRIGGER_DECAY}
 * per step back): score(j) = Σ_t w_t · sim(t, j), offline rooms skipped while scoring. Without
 * history (no triggers) the answer is empty: this channel has nothing to say, by design.
 */
public final class CoClick implements Retriever {
  public static final int DEFAULT_WINDOW = 10;
  public static final int DEFAULT_NEIGHBOURS = 300;
  static final double TRIGGER_DECAY = 0.9;
  static final int MAX_TRIGGERS = 20;

  private final int[][] neighbour;
  private final double[][] similarity;

  private CoClick(int[][] neighbour, double[][] similarity) {
    this.neighbour = neighbour;
    this.similarity = similarity;
  }

  public static CoClick fit(RecallDataset train) {
    return fit(train.sequences(), train.rooms().size(), DEFAULT_WINDOW, DEFAULT_NEIGHBOURS);
  }

  /** Builds the neighbour lists from click sequences (room ids in {@code [0, numRooms)}). */
  public static CoClick fit(int[][] sequences, int numRooms, int window, int neighbours) {
    Counts counts = count(sequences, numRooms, window);
    int[][] nb = new int[numRooms][];
    double[][] sim = new double[numRooms][];
    for (int i = 0; i < numRooms; i++) {
      Map<Integer, Double> s = new HashMap<>();
      for (Map.Entry<Integer, Double> e : counts.pair.get(i).entrySet()) {
        int j = e.getKey();
        s.put(j, e.getValue() / Math.sqrt(counts.item[i] * counts.item[j]));
      }
      int[] top = TopK.of(s, neighbours);
      nb[i] = top;
      sim[i] = new double[top.length];
      for (int x = 0; x < top.length; x++) {
        sim[i][x] = s.get(top[x]);
      }
    }
    return new CoClick(nb, sim);
  }

  /** Weighted co-occurrence counts C(i, j) (symmetric) and per-room counts N(i). */
  public record Counts(List<Map<Integer, Double>> pair, double[] item) {
    public double pair(int i, int j) {
      return pair.get(i).getOrDefault(j, 0.0);
    }
  }

  /** The co-occurrence statistics; public for tests and reports. */
  public static Counts count(int[][] sequences, int numRooms, int window) {
    List<Map<Integer, Double>> pair = new ArrayList<>(numRooms);
    for (int i = 0; i < numRooms; i++) {
      pair.add(new HashMap<>());
    }
    double[] item = new double[numRooms];
    for (int[] seq : sequences) {
      if (seq.length == 0) {
        continue;
      }
      double w = userWeight(seq.length);
      for (int a = 0; a < seq.length; a++) {
        item[seq[a]] += w;
        for (int b = a + 1; b < Math.min(seq.length, a + 1 + window); b++) {
          if (seq[a] != seq[b]) {
            pair.get(seq[a]).merge(seq[b], w, Double::sum);
            pair.get(seq[b]).merge(seq[a], w, Double::sum);
          }
        }
      }
    }
    return new Counts(pair, item);
  }

  /** 1 / log2(2 + n): a user with n clicks contributes less per pair the more they click. */
  public static double userWeight(int n) {
    return Math.log(2) / Math.log(2 + n);
  }

  /** The stored neighbours of {@code room}, most similar first. */
  public int[] neighbours(int room) {
    return neighbour[room].clone();
  }

  @Override
  public String name() {
    return "i2i";
  }

  @Override
  public int[] retrieve(int user, int[] recentRooms, LiveRooms live, int k) {
    return NeighbourScores.retrieve(
        neighbour, similarity, recentRooms, live, k, MAX_TRIGGERS, TRIGGER_DECAY);
  }
}
