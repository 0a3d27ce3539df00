package io.liverec.pipelines.recall.twotower;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

class InBatchSoftmaxTest {
  // three users and their three clicked rooms, unit vectors in 2-d
  static final float[][] U = {{1, 0}, {0, 1}, {0.6f, 0.8f}};
  static final float[][] R = {{0.8f, 0.6f}, {0, 1}, {-1, 0}};
  static final float TAU = 0.5f;

  @Test
  void lossEqualsAHandComputedSoftmaxCrossEntropyOnA3x3Batch() {
    float[] logQ = {0, 0, 0};
    assertThat(tfLoss(logQ, new float[9])).isCloseTo(handLoss(logQ, null), within(1e-5));
  }

  @Test
  void logQSubtractsTheLogSamplingProbabilityOfEachColumn() {
    float[] logQ = {(float) Math.log(0.5), (float) Math.log(0.1), (float) Math.log(0.02)};
    double withLogQ = tfLoss(logQ, new float[9]);
    assertThat(withLogQ).isCloseTo(handLoss(logQ, null), within(1e-5));
    // a frequently sampled room (large q) loses logit mass: the loss changes
    assertThat(withLogQ).isNotCloseTo(handLoss(new float[3], null), within(1e-3));
  }

  @Test
  void maskedDuplicateIsNotANegative() {
    float[] mask = new float[9];
    mask[0 * 3 + 1] = InBatchSoftmax.MASKED; // row 0's column 1 is the same room as row 0's
    boolean[][] skip = new boolean[3][3];
    skip[0][1] = true;
    assertThat(tfLoss(new float[3], mask)).isCloseTo(handLoss(new float[3], skip), within(1e-5));
  }

  @Test
  void anExtraMixedNegativeColumnJoinsEveryRowsDenominator() {
    float[][] r4 = {R[0], R[1], R[2], {0.6f, -0.8f}};
    float[] logQ = {0, 0, 0, (float) Math.log(0.25)};
    double expected = 0;
    for (int i = 0; i < 3; i++) {
      double z = 0;
      double own = 0;
      for (int j = 0; j < 4; j++) {
        double sij = (U[i][0] * r4[j][0] + U[i][1] * r4[j][1]) / TAU - logQ[j];
        z += Math.exp(sij);
        if (j == i) {
          own = sij;
        }
      }
      expected += own - Math.log(z);
    }
    expected = -expected / 3;
    try (Graph g = new Graph();
        Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      var loss =
          InBatchSoftmax.loss(
              tf,
              tf.constant(U),
              tf.constant(r4),
              tf.constant(logQ),
              tf.constant(Shape.of(3, 4), DataBuffers.of(new float[12])),
              tf.constant(new float[][] {{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}}),
              TAU);
      try (Result res = s.runner().fetch(loss).run()) {
        assertThat((double) ((TFloat32) res.get(0)).getFloat()).isCloseTo(expected, within(1e-5));
      }
    }
  }

  @Test
  void theRoomPriorIsAddedToItsColumnForEveryRow() {
    float[] logQ = {(float) Math.log(0.5), (float) Math.log(0.1), (float) Math.log(0.02)};
    float[] prior = {1.5f, -0.5f, 0.25f};
    double withPrior = tfLoss(logQ, new float[9], prior);
    assertThat(withPrior).isCloseTo(handLoss(logQ, null, prior), within(1e-5));
    assertThat(withPrior).isNotCloseTo(handLoss(logQ, null), within(1e-3));
  }

  /** −(1/3) Σ_i [s_ii − log Σ_j exp(s_ij)], s_ij = u_i·r_j/τ − logQ_j. */
  static double handLoss(float[] logQ, boolean[][] skip) {
    return handLoss(logQ, skip, new float[3]);
  }

  /** The same with s_ij = u_i·r_j/τ + b_j − logQ_j. */
  static double handLoss(float[] logQ, boolean[][] skip, float[] prior) {
    double total = 0;
    for (int i = 0; i < 3; i++) {
      double[] s = new double[3];
      double z = 0;
      for (int j = 0; j < 3; j++) {
        s[j] = (U[i][0] * R[j][0] + U[i][1] * R[j][1]) / TAU + prior[j] - logQ[j];
        if (skip == null || !skip[i][j]) {
          z += Math.exp(s[j]);
        }
      }
      total += s[i] - Math.log(z);
    }
    return -total / 3;
  }

  static double tfLoss(float[] logQ, float[] mask) {
    return tfLoss(logQ, mask, null);
  }

  static double tfLoss(float[] logQ, float[] mask, float[] prior) {
    try (Graph g = new Graph();
        Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      var loss =
          InBatchSoftmax.loss(
              tf,
              tf.constant(U),
              tf.constant(R),
              prior == null ? null : tf.constant(prior),
              tf.constant(logQ),
              tf.constant(Shape.of(3, 3), DataBuffers.of(mask)),
              tf.constant(new float[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}),
              TAU);
      try (Result r = s.runner().fetch(loss).run()) {
        return ((TFloat32) r.get(0)).getFloat();
      }
    }
  }
}
