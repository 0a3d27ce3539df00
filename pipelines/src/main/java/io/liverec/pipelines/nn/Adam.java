package io.liverec.pipelines.nn;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Adam in the TF graph with TF's fused {@code ApplyAdam} kernel. Its state (first/second moments
 * per variable and the β powers) lives in variables registered with {@link TfOps}, so checkpoints
 * carry it and a resumed run continues exactly.
 */
public final class Adam {
  public static final float BETA1 = 0.9f;
  public static final float BETA2 = 0.999f;
  public static final float EPSILON = 1e-7f;

  private final TfOps ops;
  private final String scope;
  private final Operand<TFloat32> learningRate;
  private final Operand<TFloat32> beta1Power;
  private final Operand<TFloat32> beta2Power;
  private final List<Op> after;

  /**
   * @param scope name prefix of the optimizer's state variables
   * @param after ops every update waits for (e.g. all gradients computed)
   */
  public Adam(TfOps ops, String scope, float learningRate, List<Op> after) {
    this.ops = ops;
    this.scope = scope;
    this.after = after;
    var tf = ops.tf();
    this.learningRate = tf.constant(learningRate);
    // β powers start at 1 and are multiplied before use, so step t uses β^t.
    Variable<TFloat32> b1 = ops.state(scope + "/beta1_power", new long[] {}, Init.ONES);
    Variable<TFloat32> b2 = ops.state(scope + "/beta2_power", new long[] {}, Init.ONES);
    var ordered = tf.withControlDependencies(after);
    this.beta1Power = ordered.assign(b1, tf.math.mul(ordered.identity(b1), tf.constant(BETA1)));
    this.beta2Power = ordered.assign(b2, tf.math.mul(ordered.identity(b2), tf.constant(BETA2)));
  }

  /** The update op of {@code variable} (registered as {@code name}) for gradient {@code grad}. */
  public Op apply(String name, Variable<TFloat32> variable, long[] shape, Operand<?> grad) {
    var tf = ops.tf();
    Variable<TFloat32> m = ops.state(scope + "/" + name + "/m", shape, Init.ZEROS);
    Variable<TFloat32> v = ops.state(scope + "/" + name + "/v", shape, Init.ZEROS);
    return tf.withControlDependencies(after)
        .train
        .applyAdam(
            variable,
            m,
            v,
            beta1Power,
            beta2Power,
            learningRate,
            tf.constant(BETA1),
            tf.constant(BETA2),
            tf.constant(EPSILON),
            TfOps.f(grad));
  }

  /**
   * Lazy (sparse) Adam for a table: only the rows in {@code rows} (unique ids) move, with their
   * moments; {@code grad} is {@code [U, d]}, one summed gradient per unique row. Same step size as
   * {@code ApplyAdam}: lr·√(1−β₂ᵗ)/(1−β₁ᵗ) · m/(√v + ε).
   */
  public Op applySparse(
      String name, Variable<TFloat32> variable, long[] shape, Operand<?> rows, Operand<?> grad) {
    var tf = ops.tf().withControlDependencies(after);
    Variable<TFloat32> m = ops.state(scope + "/" + name + "/m", shape, Init.ZEROS);
    Variable<TFloat32> v = ops.state(scope + "/" + name + "/v", shape, Init.ZEROS);
    @SuppressWarnings("unchecked")
    Operand<org.tensorflow.types.TInt64> ids = (Operand<org.tensorflow.types.TInt64>) rows;
    Operand<TFloat32> g = TfOps.f(grad);
    Operand<TFloat32> one = tf.constant(1f);
    Operand<TFloat32> b1 = tf.constant(BETA1);
    Operand<TFloat32> b2 = tf.constant(BETA2);
    Operand<TFloat32> m1 =
        tf.math.add(
            tf.math.mul(b1, tf.gather(m, ids, tf.constant(0))),
            tf.math.mul(tf.math.sub(one, b1), g));
    Operand<TFloat32> v1 =
        tf.math.add(
            tf.math.mul(b2, tf.gather(v, ids, tf.constant(0))),
            tf.math.mul(tf.math.sub(one, b2), tf.math.square(g)));
    Operand<TFloat32> stepSize =
        tf.math.div(
            tf.math.mul(learningRate, tf.math.sqrt(tf.math.sub(one, beta2Power))),
            tf.math.sub(one, beta1Power));
    Operand<TFloat32> delta =
        tf.math.mul(stepSize, tf.math.div(m1, tf.math.add(tf.math.sqrt(v1), tf.constant(EPSILON))));
    Op mUpdate = tf.scatterUpdate(m, ids, m1);
    Op vUpdate = tf.scatterUpdate(v, ids, v1);
    Op varUpdate = tf.scatterSub(variable, ids, delta);
    return ops.tf().withControlDependencies(List.of(mUpdate, vUpdate, varUpdate)).noOp();
  }

  /** One op that runs all {@code updates}. */
  public static Op group(TfOps ops, List<Op> updates) {
    return ops.tf().withControlDependencies(updates).noOp();
  }
}
