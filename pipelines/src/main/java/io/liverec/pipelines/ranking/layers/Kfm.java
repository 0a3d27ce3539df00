package io.liverec.pipelines.ranking.layers;

import io.liverec.pipelines.ranking.RankerConfig;
import io.liverec.pipelines.ranking.ops.Init;
import io.liverec.pipelines.ranking.ops.Ops;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Kernel FM: Σ_{i<j} xᵢᵀ φᵢⱼ xⱼ with learned d×d kernels φᵢⱼ. Contributes one wide unit.
 *
 * <p>Computation (the efficient form of ALGORITHMS.md §3.1): the kernels of field i are laid side
 * by side as Φᵢ = [φᵢ,₁ … φᵢ,ₙ] ∈ ℝ^{d × n·d}, stacked over i into Φ ∈ ℝ^{n × d × n·d}. With the
 * field embeddings transposed to E' ∈ ℝ^{n × N × d}, one batched matmul E'·Φ ∈ ℝ^{n × N × n·d}
 * gives every xᵢᵀφᵢⱼ at once; reshaped to [n, N, n, d] it is multiplied element-wise with the
 * stacked embeddings [1, N, n, d] and summed over d, giving s[i, b, j] = xᵢᵀ φᵢⱼ xⱼ. A constant
 * upper-triangular mask keeps j &gt; i and the sum over i, j is the term. Cost is one n·d × n·d
 * product per row; blocks with j ≤ i are computed and masked (they get zero gradient).
 *
 * <p>Sharing: {@code pair} learns Φ directly ([n, d, n·d]); {@code field} learns one kernel per
 * field ([n, d, d]) repeated n times along the last axis; {@code shared} learns one [d, d] kernel
 * repeated for all pairs (broadcast over i).
 */
public final class Kfm implements Interaction {

  /** KFM kernel sharing (spec field {@code model.kfmKernelSharing}). */
  public enum Sharing {
    /** One d×d kernel per field pair (i, j). */
    PAIR,
    /** One d×d kernel per field i, used for all its pairs. */
    FIELD,
    /** One d×d kernel for all pairs. */
    SHARED
  }

  @Override
  public <T> Contribution<T> apply(Ops<T> ops, String scope, Fields<T> f, RankerConfig config) {
    int n = f.numFields();
    int d = f.dim();
    T kernels =
        switch (config.kfmSharing()) {
          case PAIR ->
              ops.variable(scope + "/kernel", new long[] {n, d, (long) n * d}, Init.GLOROT);
          case FIELD ->
              repeat(ops, ops.variable(scope + "/kernel", new long[] {n, d, d}, Init.GLOROT), n);
          case SHARED ->
              repeat(
                  ops,
                  ops.reshape(
                      ops.variable(scope + "/kernel", new long[] {d, d}, Init.GLOROT), 1, d, d),
                  n);
        };
    return Contribution.wide(term(ops, f.embeddings(), kernels, n, d), 1);
  }

  /**
   * The KFM term {@code [N, 1]} for embeddings {@code [N, n, d]} and concatenated kernels {@code [n
   * or 1, d, n·d]}.
   */
  public static <T> T term(Ops<T> ops, T embeddings, T kernels, int n, int d) {
    T byField = ops.transpose(embeddings, 1, 0, 2); // [n, N, d]
    T projected = ops.matmul(byField, kernels); // [n, N, n*d]: x_i^T [phi_i1 ... phi_in]
    T blocks = ops.reshape(projected, n, -1, n, d); // [n, N, n, d]
    T stacked = ops.reshape(embeddings, 1, -1, n, d); // [1, N, n, d]
    T scores = ops.reduceSum(ops.mul(blocks, stacked), 3, false); // [n, N, n]
    float[] mask = new float[n * n];
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        mask[i * n + j] = 1f;
      }
    }
    T masked = ops.mul(scores, ops.constant(mask, n, 1, n));
    T perRow = ops.reduceSum(ops.reduceSum(masked, 2, false), 0, false); // [N]
    return ops.reshape(perRow, -1, 1);
  }

  private static <T> T repeat(Ops<T> ops, T kernel, int n) {
    List<T> copies = new ArrayList<>(Collections.nCopies(n, kernel));
    return ops.concat(copies, 2);
  }
}
