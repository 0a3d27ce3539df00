package io.liverec.pipelines.ranking.layers;

import io.liverec.api.v1alpha1.ModelSpec;
import io.liverec.pipelines.nn.Fields;
import io.liverec.pipelines.nn.Init;
import io.liverec.pipelines.nn.Ops;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Kernel FM: Σ_{i<j} xᵢᵀ φᵢⱼ xⱼ with learned d×d kernels φᵢⱼ. Contributes one wide unit.
 *
 * <p>Computation (the efficient form of ALGORITHMS.md §3.1): the kernels of field i laid side by
 * side are Φᵢ = [φᵢ,₁ … φᵢ,ₙ] ∈ ℝ^{d × n·d}; stacking Φ₁ … Φₙ gives one block matrix K ∈ ℝ^{n·d ×
 * n·d} whose block (i, j) is φᵢⱼ. Blocks with j ≤ i are zeroed by a constant mask (on the
 * parameters, not on the batch). With the stacked embeddings x = [x₁; …; xₙ] ∈ ℝ^{n·d} of a row,
 * xᵀK is, for every i at once, xᵢᵀ[φᵢ,₁ … φᵢ,ₙ] summed over i — one [N, n·d] × [n·d, n·d] matmul
 * for the batch — and its dot product with x gives Σ_{i<j} xᵢᵀφᵢⱼxⱼ. Cost per row: one n·d × n·d
 * matrix-vector product plus an n·d dot product; the kernel assembly does not depend on the batch.
 *
 * <p>Sharing: {@code pair} learns all blocks ([n, d, n·d], row (i, a), column (j, b)); {@code
 * field} learns one kernel per field i ([n, d, d]) repeated along its block row; {@code shared}
 * learns one [d, d] kernel used for every pair.
 */
public record Kfm(Sharing sharing) implements Interaction {

  public static Kfm fromSpec(ModelSpec model) {
    return new Kfm(
        SpecValues.parse(Sharing.class, model.kfmKernelSharing, "model.kfmKernelSharing", "field"));
  }

  @Override
  public int minFields() {
    return 2;
  }

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
  public <T> Contribution<T> apply(Ops<T> ops, String scope, Fields<T> f) {
    int n = f.numFields();
    int d = f.dim();
    long nd = (long) n * d;
    T blockRows =
        switch (sharing) {
          case PAIR -> ops.variable(scope + "/kernel", new long[] {n, d, nd}, Init.GLOROT);
          case FIELD ->
              repeat(ops, ops.variable(scope + "/kernel", new long[] {n, d, d}, Init.GLOROT), n, 2);
          case SHARED ->
              repeat(
                  ops,
                  repeat(
                      ops,
                      ops.reshape(
                          ops.variable(scope + "/kernel", new long[] {d, d}, Init.GLOROT), 1, d, d),
                      n,
                      2),
                  n,
                  0);
        };
    return Contribution.wide(term(ops, f.embeddings(), ops.reshape(blockRows, nd, nd), n, d), 1);
  }

  /**
   * The KFM term {@code [N, 1]} for embeddings {@code [N, n, d]} and the block kernel matrix {@code
   * [n·d, n·d]} (block (i, j) = φᵢⱼ; blocks with j ≤ i are masked here).
   */
  public static <T> T term(Ops<T> ops, T embeddings, T kernels, int n, int d) {
    int nd = n * d;
    float[] mask = new float[nd * nd];
    for (int row = 0; row < nd; row++) {
      for (int col = 0; col < nd; col++) {
        if (col / d > row / d) {
          mask[row * nd + col] = 1f;
        }
      }
    }
    T upper = ops.mul(kernels, ops.constant(mask, nd, nd));
    T x = ops.reshape(embeddings, -1, nd); // [N, n*d]
    T projected = ops.matmul(x, upper); // row: sum_i x_i^T [phi_i1 ... phi_in]
    return ops.reduceSum(ops.mul(projected, x), 1, true); // [N, 1]
  }

  private static <T> T repeat(Ops<T> ops, T x, int n, int axis) {
    List<T> copies = new ArrayList<>(Collections.nCopies(n, x));
    return ops.concat(copies, axis);
  }
}
