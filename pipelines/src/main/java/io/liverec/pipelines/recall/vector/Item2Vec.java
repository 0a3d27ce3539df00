package io.liverec.pipelines.recall.vector;

import io.liverec.pipelines.recall.Shuffle;
import java.util.SplittableRandom;

/**
 * item2vec: skip-gram with negative sampling over click sequences (Barkan &amp; Koenigstein 2016,
 * after word2vec). For each click and each other click within {@code window} positions, one
 * positive pair and {@code negatives} rooms drawn from the unigram distribution raised to 0.75,
 * after sub-sampling frequent rooms ({@link #SUBSAMPLE}); logistic loss, plain SGD with a learning
 * rate decaying linearly to 1e-4 of its start. The room embedding is the input vector. Rooms that
 * never occur keep {@code null}.
 *
 * @param dim embedding width
 * @param window context half-width
 * @param negatives negative samples per positive pair
 * @param epochs passes over the sequences
 * @param learningRate starting SGD step
 * @param seed random seed (initialisation, negatives, order)
 */
public record Item2Vec(
    int dim, int window, int negatives, int epochs, double learningRate, long seed) {

  public static final Item2Vec DEFAULT = new Item2Vec(32, 5, 5, 5, 0.025, 1L);

  private static final double UNIGRAM_POWER = 0.75;

  /** Sub-sampling threshold t (word2vec's -sample). */
  static final double SUBSAMPLE = 1e-3;

  private static final int TABLE_SIZE = 1 << 20;

  public Item2Vec withSeed(long newSeed) {
    return new Item2Vec(dim, window, negatives, epochs, learningRate, newSeed);
  }

  /** Trains and returns one vector per room id in {@code [0, numRooms)}, null for unseen rooms. */
  public float[][] train(int[][] sequences, int numRooms) {
    SplittableRandom rnd = new SplittableRandom(seed);
    long[] freq = new long[numRooms];
    long totalPairs = 0;
    for (int[] s : sequences) {
      for (int r : s) {
        freq[r]++;
      }
      totalPairs += (long) s.length;
    }
    int[] table = unigramTable(freq);
    float[][] in = new float[numRooms][];
    float[][] out = new float[numRooms][];
    for (int r = 0; r < numRooms; r++) {
      if (freq[r] > 0) {
        in[r] = new float[dim];
        out[r] = new float[dim];
        for (int d = 0; d < dim; d++) {
          in[r][d] = (float) ((rnd.nextDouble() - 0.5) / dim);
        }
      }
    }
    if (table.length == 0) {
      return in;
    }
    float[] grad = new float[dim];
    long steps = Math.max(1, totalPairs * epochs);
    long step = 0;
    int[] order = new int[sequences.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    double[] keep = keepProbabilities(freq);
    for (int epoch = 0; epoch < epochs; epoch++) {
      Shuffle.inPlace(order, rnd);
      for (int si : order) {
        int[] s = subsample(sequences[si], keep, rnd);
        for (int a = 0; a < s.length; a++, step++) {
          float lr = (float) (learningRate * Math.max(1e-4, 1.0 - (double) step / steps));
          int lo = Math.max(0, a - window);
          int hi = Math.min(s.length - 1, a + window);
          for (int b = lo; b <= hi; b++) {
            if (b == a || s[b] == s[a]) {
              continue;
            }
            float[] v = in[s[a]];
            java.util.Arrays.fill(grad, 0f);
            update(v, out[s[b]], 1, lr, grad);
            for (int n = 0; n < negatives; n++) {
              int neg = table[rnd.nextInt(table.length)];
              if (neg != s[b] && neg != s[a]) {
                update(v, out[neg], 0, lr, grad);
              }
            }
            for (int d = 0; d < dim; d++) {
              v[d] += grad[d];
            }
          }
        }
      }
    }
    return in;
  }

  /** One logistic step on (v, context) with label; accumulates v's step into grad. */
  private static void update(float[] v, float[] ctx, int label, float lr, float[] grad) {
    double dot = 0;
    for (int d = 0; d < v.length; d++) {
      dot += v[d] * ctx[d];
    }
    double p = 1.0 / (1.0 + Math.exp(-dot));
    float g = (float) ((label - p) * lr);
    for (int d = 0; d < v.length; d++) {
      grad[d] += g * ctx[d];
      ctx[d] += g * v[d];
    }
  }

  /**
   * word2vec's sub-sampling of frequent items: an occurrence of an item with corpus share f is kept
   * with probability min(1, √(t/f) + t/f), t = {@link #SUBSAMPLE}. Without it a few hub rooms that
   * every user clicks pull every vector towards one direction.
   */
  static double[] keepProbabilities(long[] freq) {
    long total = 0;
    for (long f : freq) {
      total += f;
    }
    double[] keep = new double[freq.length];
    for (int r = 0; r < freq.length; r++) {
      double f = total == 0 ? 0 : (double) freq[r] / total;
      keep[r] = f == 0 ? 1 : Math.min(1, Math.sqrt(SUBSAMPLE / f) + SUBSAMPLE / f);
    }
    return keep;
  }

  private static int[] subsample(int[] s, double[] keep, SplittableRandom rnd) {
    int[] out = new int[s.length];
    int n = 0;
    for (int r : s) {
      if (keep[r] >= 1 || rnd.nextDouble() < keep[r]) {
        out[n++] = r;
      }
    }
    return java.util.Arrays.copyOf(out, n);
  }

  private static int[] unigramTable(long[] freq) {
    double total = 0;
    for (long f : freq) {
      total += Math.pow(f, UNIGRAM_POWER);
    }
    if (total == 0) {
      return new int[0];
    }
    int[] table = new int[TABLE_SIZE];
    int r = 0;
    double cum = Math.pow(freq[0], UNIGRAM_POWER) / total;
    for (int i = 0; i < TABLE_SIZE; i++) {
      table[i] = r;
      if ((double) (i + 1) / TABLE_SIZE > cum && r < freq.length - 1) {
        r++;
        cum += Math.pow(freq[r], UNIGRAM_POWER) / total;
        while (freq[r] == 0 && r < freq.length - 1) {
          r++;
          cum += Math.pow(freq[r], UNIGRAM_POWER) / total;
        }
      }
    }
    return table;
  }
}
