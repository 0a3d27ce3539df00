package io.liverec.pipelines.ranking.layers;

import io.liverec.api.v1alpha1.ModelSpec;
import io.liverec.pipelines.nn.Fields;
import io.liverec.pipelines.nn.Init;
import io.liverec.pipelines.nn.Ops;
import java.util.ArrayList;
import java.util.List;

/**
 * BitInt: attention at unit (bit) level. T is the concatenation of all field embeddings (U = n·d
 * scalar units); every unit is a token.
 *
 * <p>Documented low-rank, per-unit form (full U×U attention would cost U² per row and head): per
 * head h, the query of unit i is a per-unit scaling qᵢ = w_Q[i]·Tᵢ; keys and values are r = d
 * low-rank "summary units" k = T·P_K, v = T·P_V with P_K, P_V ∈ ℝ^{U×r} (each a learned mix of all
 * units, Linformer-style). Scores φ(Tᵢ, m) = qᵢ·k_m, α = softmax over m, ṽᵢ = Σ_m αᵢₘ v_m. Heads
 * are combined with per-unit output weights, plus a per-unit residual w_R ⊙ T, then ReLU: cost
 * O(U·r) per head. {@code layers} ({@code model.attentionLayers}) are stacked; the [N, U] output is
 * a wide vector.
 */
public record BitInt(int heads, int layers) implements Interaction {

  public static BitInt fromSpec(ModelSpec model) {
    return new BitInt(
        SpecValues.positive(model.attentionHeads, "model.attentionHeads"),
        SpecValues.positive(model.attentionLayers, "model.attentionLayers"));
  }

  @Override
  public <T> Contribution<T> apply(Ops<T> ops, String scope, Fields<T> f) {
    int units = f.numFields() * f.dim();
    int rank = f.dim();
    T x = ops.reshape(f.embeddings(), -1, units);
    for (int l = 0; l < layers; l++) {
      x = layer(ops, scope + "/layer" + l, x, units, rank, heads);
    }
    return Contribution.wide(x, units);
  }

  /** One unit-level attention layer: {@code [N, U]} → {@code [N, U]}. */
  public static <T> T layer(Ops<T> ops, String name, T x, int units, int rank, int heads) {
    List<T> outs = new ArrayList<>();
    for (int h = 0; h < heads; h++) {
      String hn = name + "/head" + h;
      T wq = ops.variable(hn + "/query", new long[] {units}, Init.ONES);
      T pk = ops.variable(hn + "/key", new long[] {units, rank}, Init.GLOROT);
      T pv = ops.variable(hn + "/value", new long[] {units, rank}, Init.GLOROT);
      T wo = ops.variable(hn + "/output", new long[] {units}, Init.ONES);
      T q = ops.reshape(ops.mul(x, wq), -1, units, 1); // [N, U, 1]
      T k = ops.reshape(ops.matmul(x, pk), -1, 1, rank); // [N, 1, r]
      T v = ops.reshape(ops.matmul(x, pv), -1, rank, 1); // [N, r, 1]
      T attention = ops.softmax(ops.mul(q, k)); // [N, U, r]
      T mixed = ops.reshape(ops.matmul(attention, v), -1, units); // [N, U]
      outs.add(ops.mul(mixed, wo));
    }
    T sum = outs.get(0);
    for (int h = 1; h < outs.size(); h++) {
      sum = ops.add(sum, outs.get(h));
    }
    T residual = ops.mul(x, ops.variable(name + "/residual", new long[] {units}, Init.ONES));
    return ops.relu(ops.add(sum, residual));
  }
}
