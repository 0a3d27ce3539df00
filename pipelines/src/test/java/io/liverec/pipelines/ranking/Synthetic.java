package io.liverec.pipelines.ranking;

import io.liverec.pipelines.features.Batch;
import io.liverec.pipelines.features.FeatureSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A planted ranking problem for tests: clicks follow an FM-structured logit over hidden per-id
 * factors (plus one dense feature), conversions a second planted logit among clicks.
 */
final class Synthetic {
  static final int FIELDS = 4;
  static final long VOCAB = 40;
  static final int FACTOR_DIM = 3;

  final FeatureSchema schema;
  private final float[][][] factors; // [field][id][k]
  private final float[][] convWeight; // [field][id]
  private final SplittableRandom random;

  /** True click logits of the last generated batch (the oracle score). */
  float[] lastClickLogits;

  Synthetic(long seed, boolean withSeqAndMultimodal) {
    List<FeatureSchema.SparseField> fields = new ArrayList<>();
    for (int f = 0; f < FIELDS; f++) {
      fields.add(new FeatureSchema.SparseField("f" + f, VOCAB));
    }
    schema =
        withSeqAndMultimodal
            ? new FeatureSchema(fields, List.of("d0", "d1"), 5, 30, 4)
            : new FeatureSchema(fields, List.of("d0", "d1"), 0, 0, 0);
    SplittableRandom r = new SplittableRandom(seed);
    factors = new float[FIELDS][(int) VOCAB][FACTOR_DIM];
    convWeight = new float[FIELDS][(int) VOCAB];
    for (int f = 0; f < FIELDS; f++) {
      for (int v = 0; v < VOCAB; v++) {
        for (int k = 0; k < FACTOR_DIM; k++) {
          factors[f][v][k] = (float) (r.nextDouble() * 2 - 1);
        }
        convWeight[f][v] = (float) (r.nextDouble() * 2 - 1);
      }
    }
    random = r.split();
  }

  Batch batch(int n) {
    int seqLen = schema.seqLength();
    int mm = schema.multimodalDim();
    long[][] sparse = new long[n][FIELDS];
    float[][] dense = new float[n][2];
    long[][] seq = new long[n][seqLen];
    float[][] multimodal = new float[n][mm];
    float[] click = new float[n];
    float[] conv = new float[n];
    float[] weight = new float[n];
    long[] users = new long[n];
    lastClickLogits = new float[n];
    for (int i = 0; i < n; i++) {
      double logit = -0.3;
      for (int f = 0; f < FIELDS; f++) {
        sparse[i][f] = random.nextLong(VOCAB);
      }
      for (int a = 0; a < FIELDS; a++) {
        for (int b = a + 1; b < FIELDS; b++) {
          float[] u = factors[a][(int) sparse[i][a]];
          float[] v = factors[b][(int) sparse[i][b]];
          for (int k = 0; k < FACTOR_DIM; k++) {
            logit += 1.2 * u[k] * v[k];
          }
        }
      }
      dense[i][0] = (float) random.nextGaussian();
      dense[i][1] = (float) random.nextGaussian();
      logit += 0.8 * dense[i][0];
      for (int t = 0; t < seqLen; t++) {
        seq[i][t] = t < 1 + random.nextInt(seqLen) ? 1 + random.nextLong(29) : 0;
      }
      for (int m = 0; m < mm; m++) {
        multimodal[i][m] = (float) random.nextGaussian();
      }
      lastClickLogits[i] = (float) logit;
      click[i] = random.nextDouble() < sigmoid(logit) ? 1f : 0f;
      double convLogit = -0.5 + 2 * convWeight[0][(int) sparse[i][0]] + dense[i][1];
      conv[i] = click[i] > 0 && random.nextDouble() < sigmoid(convLogit) ? 1f : 0f;
      weight[i] = 1f;
      users[i] = i % 17;
    }
    return new Batch(sparse, dense, seq, multimodal, click, conv, weight, users);
  }

  static double sigmoid(double x) {
    return 1 / (1 + Math.exp(-x));
  }

  /** ROC AUC by the rank-sum formula (ties get average ranks). */
  static double auc(float[] scores, float[] labels) {
    int n = scores.length;
    Integer[] idx = new Integer[n];
    for (int i = 0; i < n; i++) {
      idx[i] = i;
    }
    java.util.Arrays.sort(idx, (a, b) -> Float.compare(scores[a], scores[b]));
    double[] rank = new double[n];
    for (int i = 0; i < n; ) {
      int j = i;
      while (j + 1 < n && scores[idx[j + 1]] == scores[idx[i]]) {
        j++;
      }
      for (int k = i; k <= j; k++) {
        rank[idx[k]] = (i + j) / 2.0 + 1;
      }
      i = j + 1;
    }
    double pos = 0;
    double sum = 0;
    for (int i = 0; i < n; i++) {
      if (labels[i] > 0) {
        pos++;
        sum += rank[i];
      }
    }
    double neg = n - pos;
    return (sum - pos * (pos + 1) / 2) / (pos * neg);
  }
}
