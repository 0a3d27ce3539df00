package io.liverec.pipelines.ranking.layers;

import io.liverec.api.v1alpha1.ModelSpec;
import io.liverec.pipelines.nn.Fields;
import io.liverec.pipelines.nn.Init;
import io.liverec.pipelines.nn.Ops;

/**
 * Cross network over the flat input x₀ of width k, for {@code layers} layers ({@code
 * model.crossLayers}); the last x_l is a wide vector. {@code form} ({@code model.crossForm}) picks
 * the layer:
 *
 * <ul>
 *   <li>{@link Form#VECTOR} (DCN): x_{l+1} = x₀ (x_lᵀ w_l) + b_l + x_l, w_l ∈ ℝᵏ — each layer adds
 *       x₀ times one linear form of x_l, so L layers reach degree L+1 only through products of L
 *       linear forms;
 *   <li>{@link Form#MATRIX} (DCN-V2): x_{l+1} = x₀ ⊙ (W_l x_l + b_l) + x_l, W_l ∈ ℝᵏˣᵏ — every
 *       output unit gets its own linear form, so the layer spans all degree-(l+2) monomials the
 *       embeddings can form.
 * </ul>
 */
public record Cross(int layers, Form form) implements Interaction {

  public Cross {
    if (layers <= 0) {
      throw SpecValues.bad(
          "model.crossLayers", "must be > 0 when 'cross' is in model.interactions");
    }
  }

  public static Cross fromSpec(ModelSpec model) {
    return new Cross(
        SpecValues.nonNegative(model.crossLayers, "model.crossLayers"),
        SpecValues.parse(Form.class, model.crossForm, "model.crossForm", "vector"));
  }

  /** Cross-layer form (see the class comment). */
  public enum Form {
    VECTOR,
    MATRIX
  }

  @Override
  public <T> Contribution<T> apply(Ops<T> ops, String scope, Fields<T> f) {
    int k = f.flatWidth();
    T x0 = f.flat();
    T x = x0;
    boolean matrix = form == Form.MATRIX;
    for (int l = 0; l < layers; l++) {
      String layer = scope + "/layer" + l;
      T b = ops.variable(layer + "/b", new long[] {k}, Init.ZEROS);
      if (matrix) {
        T w = ops.variable(layer + "/W", new long[] {k, k}, Init.GLOROT);
        x = ops.add(ops.mul(x0, ops.add(ops.matmul(x, w), b)), x);
      } else {
        T w = ops.variable(layer + "/w", new long[] {k, 1}, Init.GLOROT);
        T xw = ops.matmul(x, w); // [N, 1]
        x = ops.add(ops.add(ops.mul(x0, xw), b), x);
      }
    }
    return Contribution.wide(x, k);
  }
}
