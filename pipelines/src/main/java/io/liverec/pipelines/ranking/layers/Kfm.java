package io.liverec.pipelines.ranking.layers;

import io.liverec.api.v1alpha1.ModelSpec;
import io.liverec.pipelines.nn.Fields;
import io.liverec.pipelines.nn.Init;
import io.liverec.pipelines.nn.Ops;

/**
 * Kernel FM: Σ_{i<j} xᵢᵀ φᵢⱼ xⱼ with learned d×d kernels φᵢⱼ. Contributes one wide unit.
 *
 * <p>Sharing: {@code pair} learns all blocks ([n, d, n·d], row (i, a), column (j, b)); {@code
 * field} learns one kernel per field i ([n, d, d]) used for all its pairs; {@code shared} learns
 * one [d, d] kernel used for every pair.
 *
 * <p>Computation for {@code field} and {@code shared} (the seed's factored form, ALGORITHMS.md
 * §3.1): with φᵢⱼ = φᵢ the sum factors as Σᵢ (xᵢᵀφᵢ) · S_{>i} where S_{>i} = Σ_{j>i} xⱼ. Per row
 * that is n vector-matrix products pᵢ = xᵢᵀφᵢ (one batched matmul, O(n·d²)), the suffix sums S_{>i}
 * for all i (one matmul with a constant n×n strictly-upper 0/1 matrix, O(n²·d)) and an n·d dot
 * product — against O(n²·d²) for the block form below. The suffix sums could be a running sum,
 * O(n·d), but TF's CPU Cumsum measured ~2× slower than the small matmul at 20 and 60 fields, so the
 * matmul stays until n is in the hundreds (docs/BENCHMARKS.md, KFM).
 *
 * <p>Computation for {@code pair} ({@link #term}): n² distinct kernels admit no such factoring —
 * the parameters alone are n²·d² — so the kernels of field i laid side by side, Φᵢ = [φᵢ,₁ … φᵢ,ₙ],
 * are stacked into one block matrix K ∈ ℝ^{n·d × n·d} with the blocks j ≤ i masked (on the
 * parameters, not the batch), and the row's stacked embeddings x give xᵀKx: one [N, n·d] × [n·d,
 * n·d] matmul for the batch, quadratic in n. {@code field} and {@code shared} are the special cases
 * of this form with repeated blocks, which is how their linear form is tested.
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
    T x = f.embeddings(); // [N, n, d]
    if (sharing == Sharing.PAIR) {
      T kernel = ops.variable(scope + "/kernel", new long[] {n, d, nd}, Init.GLOROT);
      return Contribution.wide(term(ops, x, ops.reshape(kernel, nd, nd), n, d), 1);
    }
    // fields first, [n, N, d]: the per-field products and the suffix sums are then one matmul each
    T byField = ops.transpose(x, 1, 0, 2);
    T projected; // p_i = x_i^T phi_i
    if (sharing == Sharing.FIELD) {
      T kernels = ops.variable(scope + "/kernel", new long[] {n, d, d}, Init.GLOROT);
      projected = ops.matmul(byField, kernels);
    } else {
      T kernel = ops.variable(scope + "/kernel", new long[] {d, d}, Init.GLOROT);
      projected = ops.reshape(ops.matmul(ops.reshape(byField, -1, d), kernel), n, -1, d);
    }
    T after = // S_{>i} = sum_{j>i} x_j
        ops.reshape(
            ops.matmul(ops.constant(strictlyUpper(n), n, n), ops.reshape(byField, n, -1)),
            n,
            -1,
            d);
    T perRow = ops.reduceSum(ops.mul(projected, after), 0, false); // [N, d]
    return Contribution.wide(ops.reduceSum(perRow, 1, true), 1);
  }

  /** The [n, n] 0/1 matrix with ones above the diagonal: row i sums the fields after i. */
  private static float[] strictlyUpper(int n) {
    float[] m = new float[n * n];
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        m[i * n + j] = 1f;
      }
    }
    return m;
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
}
