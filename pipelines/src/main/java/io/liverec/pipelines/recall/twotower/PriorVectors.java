package io.liverec.pipelines.recall.twotower;

/**
 * Serves the score ⟨u, r⟩ / τ + b_r of a two-tower with a room prior from an index of unit vectors
 * under dot product, by the usual maximum-inner-product-to-cosine reduction (Bachrach et al. 2014):
 *
 * <pre>
 *   room  r' = [r, τ·b_r, √(M² − 1 − τ²b_r²)] / M      M = max_r √(1 + τ²b_r²)
 *   query u' = [u, 1, 0] / √2
 *   ⟨u', r'⟩ = (⟨u, r⟩ + τ·b_r) / (√2·M)  =  τ/(√2·M) · (⟨u, r⟩/τ + b_r)
 * </pre>
 *
 * Both sides are unit length (d + 2 wide) and the order of the scores is that of the model's
 * logits, so the ANN index and its live filter work unchanged. A serving client appends {@code [1,
 * 0]} to the user tower's output and divides by √2.
 */
public final class PriorVectors {
  private PriorVectors() {}

  /** The indexed room vectors from unit tower outputs and priors. */
  public static float[][] rooms(float[][] unit, float[] prior, double temperature) {
    double maxSq = 1;
    for (float b : prior) {
      maxSq = Math.max(maxSq, 1 + temperature * temperature * b * b);
    }
    double m = Math.sqrt(maxSq);
    float[][] out = new float[unit.length][];
    for (int i = 0; i < unit.length; i++) {
      int d = unit[i].length;
      float[] v = new float[d + 2];
      double sq = 0;
      for (int j = 0; j < d; j++) {
        v[j] = (float) (unit[i][j] / m);
        sq += (double) unit[i][j] * unit[i][j];
      }
      double tb = temperature * prior[i];
      v[d] = (float) (tb / m);
      v[d + 1] = (float) (Math.sqrt(Math.max(0, maxSq - sq - tb * tb)) / m);
      out[i] = v;
    }
    return out;
  }

  /**
   * The query for a user vector {@code u}: {@code [u, 1, 0]} scaled to unit length (for a unit
   * {@code u}, the factor is 1/√2). {@code u} need not be unit: a mean of unit vectors (an expected
   * score over contexts) keeps its length relative to the prior's 1.
   */
  public static float[] query(float[] u) {
    float[] q = new float[u.length + 2];
    double sq = 1;
    for (float x : u) {
      sq += (double) x * x;
    }
    float inv = (float) (1 / Math.sqrt(sq));
    for (int j = 0; j < u.length; j++) {
      q[j] = u[j] * inv;
    }
    q[u.length] = inv;
    return q;
  }
}
