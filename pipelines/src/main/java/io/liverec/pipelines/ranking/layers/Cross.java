package io.liverec.pipelines.ranking.layers;

import io.liverec.pipelines.ranking.RankerConfig;
import io.liverec.pipelines.ranking.ops.Init;
import io.liverec.pipelines.ranking.ops.Ops;

/**
 * DCN cross network over the flat input x₀: x_{l+1} = x₀ (x_lᵀ w_l) + b_l + x_l, for {@code
 * model.crossLayers} layers. The last x_l is a wide vector.
 */
public final class Cross implements Interaction {

  @Override
  public <T> Contribution<T> apply(Ops<T> ops, String scope, Fields<T> f, RankerConfig config) {
    int k = f.flatWidth();
    T x0 = f.flat();
    T x = x0;
    for (int l = 0; l < config.crossLayers(); l++) {
      T w = ops.variable(scope + "/layer" + l + "/w", new long[] {k, 1}, Init.GLOROT);
      T b = ops.variable(scope + "/layer" + l + "/b", new long[] {k}, Init.ZEROS);
      T xw = ops.matmul(x, w); // [N, 1]
      x = ops.add(ops.add(ops.mul(x0, xw), b), x);
    }
    return Contribution.wide(x, k);
  }
}
