package io.liverec.pipelines.recall.twotower;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * In-batch sampled softmax with logQ correction (Yi et al., RecSys 2019). For a batch of B (user,
 * clicked room) pairs with unit vectors u_i, r_j:
 *
 * <pre>
 *   s_ij = ⟨u_i, r_j⟩ / τ + b_j − log q_j + m_ij
 *   L    = −(1/B) Σ_i log( exp(s_ii) / Σ_j exp(s_ij) )
 * </pre>
 *
 * where q_j is the probability that room j is sampled into a batch (the other rows' positives are
 * this row's negatives, drawn in proportion to popularity; subtracting log q removes that bias) and
 * m_ij = −∞ (a large negative) when j ≠ i but room j is the same room as i's positive, so a
 * duplicate is not pushed away as a negative. With logQ off, log q_j is fed as 0. b_j is the
 * optional room prior (absent = 0).
 */
public final class InBatchSoftmax {
  /** The additive mask value for duplicate positives. */
  public static final float MASKED = -1e9f;

  private InBatchSoftmax() {}

  /**
   * @param u {@code [B, d]} user vectors
   * @param r {@code [B, d]} room vectors (row i is user i's positive)
   * @param logQ {@code [B]} log sampling probability of each row's room (zeros = no correction)
   * @param mask {@code [B, B]} additive mask (0 or {@link #MASKED})
   * @param labels {@code [B, B]} identity matrix
   */
  public static Operand<TFloat32> loss(
      Ops tf,
      Operand<TFloat32> u,
      Operand<TFloat32> r,
      Operand<TFloat32> logQ,
      Operand<TFloat32> mask,
      Operand<TFloat32> labels,
      float temperature) {
    return loss(tf, u, r, null, logQ, mask, labels, temperature);
  }

  /** The same with a room prior {@code b} ({@code [M]}, added to column j; null = none). */
  public static Operand<TFloat32> loss(
      Ops tf,
      Operand<TFloat32> u,
      Operand<TFloat32> r,
      Operand<TFloat32> b,
      Operand<TFloat32> logQ,
      Operand<TFloat32> mask,
      Operand<TFloat32> labels,
      float temperature) {
    Operand<TFloat32> logits =
        tf.math.div(
            tf.linalg.matMul(u, r, org.tensorflow.op.linalg.MatMul.transposeB(true)),
            tf.constant(temperature));
    if (b != null) {
      logits = tf.math.add(logits, tf.expandDims(b, tf.constant(0)));
    }
    logits = tf.math.sub(logits, tf.expandDims(logQ, tf.constant(0)));
    logits = tf.math.add(logits, mask);
    Operand<TFloat32> logProb = tf.nn.logSoftmax(logits);
    Operand<TFloat32> perRow = tf.reduceSum(tf.math.mul(labels, logProb), tf.constant(1));
    return tf.math.neg(tf.math.mean(perRow, tf.constant(0)));
  }
}
