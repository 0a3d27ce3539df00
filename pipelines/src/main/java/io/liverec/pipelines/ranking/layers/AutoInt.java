package io.liverec.pipelines.ranking.layers;

import io.liverec.api.v1alpha1.ModelSpec;
import io.liverec.pipelines.nn.Fields;
import io.liverec.pipelines.nn.Init;
import io.liverec.pipelines.nn.Ops;

/**
 * AutoInt: multi-head self-attention over field embeddings. Per head h: α = softmaxₖ⟨W_Q eᵢ, W_K
 * eₖ⟩, ẽᵢ = Σₖ αᵢₖ W_V eₖ; heads concatenated, plus a residual projection W_R eᵢ, then ReLU. Each
 * head has width d; {@code layers} ({@code model.attentionLayers}) are stacked. The flattened
 * output is a wide vector.
 */
public record AutoInt(int heads, int layers) implements Interaction {

  public static AutoInt fromSpec(ModelSpec model) {
    return new AutoInt(
        SpecValues.positive(model.attentionHeads, "model.attentionHeads"),
        SpecValues.positive(model.attentionLayers, "model.attentionLayers"));
  }

  @Override
  public <T> Contribution<T> apply(Ops<T> ops, String scope, Fields<T> f) {
    int n = f.numFields();
    int d = f.dim();
    T x = f.embeddings();
    int width = d;
    for (int l = 0; l < layers; l++) {
      x = layer(ops, scope + "/layer" + l, x, n, width, heads, d);
      width = heads * d;
    }
    return Contribution.wide(ops.reshape(x, -1, (long) n * width), n * width);
  }

  /** One attention layer: {@code [N, n, in]} → {@code [N, n, heads·headDim]}. */
  public static <T> T layer(Ops<T> ops, String name, T x, int n, int in, int heads, int headDim) {
    long out = (long) heads * headDim;
    T q = project(ops, name + "/query", x, in, out, n, heads, headDim, 0, 2, 1, 3); // [N,H,n,a]
    T k = project(ops, name + "/key", x, in, out, n, heads, headDim, 0, 2, 3, 1); // [N,H,a,n]
    T v = project(ops, name + "/value", x, in, out, n, heads, headDim, 0, 2, 1, 3); // [N,H,n,a]
    T attention = ops.softmax(ops.matmul(q, k)); // [N, H, n, n]
    T mixed = ops.transpose(ops.matmul(attention, v), 0, 2, 1, 3); // [N, n, H, a]
    T concat = ops.reshape(mixed, -1, n, out);
    T residual = ops.matmul(x, ops.variable(name + "/residual", new long[] {in, out}, Init.GLOROT));
    return ops.relu(ops.add(concat, residual));
  }

  private static <T> T project(
      Ops<T> ops, String name, T x, int in, long out, int n, int heads, int headDim, int... perm) {
    T w = ops.variable(name, new long[] {in, out}, Init.GLOROT);
    T y = ops.reshape(ops.matmul(x, w), -1, n, heads, headDim); // [N, n, H, a]
    return ops.transpose(y, perm);
  }
}
