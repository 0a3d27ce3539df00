package io.liverec.pipelines.nn;

import java.util.List;

/** Fully connected layers and stacks of them (the DNN part, experts, towers). */
public final class Dense {
  private Dense() {}

  /** {@code x[N, in] · W[in, out] + b}, optionally followed by ReLU. */
  public static <T> T layer(Ops<T> ops, String name, T x, int in, int out, boolean relu) {
    T w = ops.variable(name + "/kernel", new long[] {in, out}, Init.GLOROT);
    T b = ops.variable(name + "/bias", new long[] {out}, Init.ZEROS);
    T y = ops.add(ops.matmul(x, w), b);
    return relu ? ops.relu(y) : y;
  }

  /** A ReLU MLP with the given hidden sizes; returns {@code [N, units.last]}. */
  public static <T> T mlp(Ops<T> ops, String name, T x, int in, List<Integer> units) {
    T h = x;
    int width = in;
    for (int i = 0; i < units.size(); i++) {
      h = layer(ops, name + "/dense" + i, h, width, units.get(i), true);
      width = units.get(i);
    }
    return h;
  }
}
