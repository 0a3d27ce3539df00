package io.liverec.pipelines.ranking.multitask;

import io.liverec.pipelines.nn.Ops;

/** Weighted binary cross-entropies (weighted mean over the batch). */
public final class Losses {
  private Losses() {}

  /** Probabilities are clipped to [ε, 1 − ε] before the log. */
  public static final float PROB_EPSILON = 1e-7f;

  /** Guards the weighted mean when a batch's weights sum to 0. */
  public static final float WEIGHT_EPSILON = 1e-12f;

  /** Stable BCE from logits: max(x, 0) − x·y + log(1 + e^{−|x|}); all tensors {@code [N]}. */
  public static <T> T bceWithLogits(Ops<T> ops, T logits, T labels, T weights) {
    T per =
        ops.add(
            ops.sub(ops.maximum(logits, ops.scalar(0f)), ops.mul(logits, labels)),
            ops.log(ops.add(ops.scalar(1f), ops.exp(ops.mul(ops.scalar(-1f), ops.abs(logits))))));
    return weightedMean(ops, per, weights);
  }

  /** BCE of a probability (e.g. ESMM's pCTCVR = pCTR·pCVR); tensors {@code [N]}. */
  public static <T> T bceWithProbabilities(Ops<T> ops, T probs, T labels, T weights) {
    T p = ops.minimum(ops.maximum(probs, ops.scalar(PROB_EPSILON)), ops.scalar(1f - PROB_EPSILON));
    T one = ops.scalar(1f);
    T per =
        ops.mul(
            ops.scalar(-1f),
            ops.add(
                ops.mul(labels, ops.log(p)),
                ops.mul(ops.sub(one, labels), ops.log(ops.sub(one, p)))));
    return weightedMean(ops, per, weights);
  }

  public static <T> T weightedMean(Ops<T> ops, T perRow, T weights) {
    T total = ops.reduceSum(ops.mul(perRow, weights), 0, false);
    T norm = ops.maximum(ops.reduceSum(weights, 0, false), ops.scalar(WEIGHT_EPSILON));
    return ops.div(total, norm);
  }
}
