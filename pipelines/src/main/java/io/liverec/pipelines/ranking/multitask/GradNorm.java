package io.liverec.pipelines.ranking.multitask;

import io.liverec.pipelines.nn.Adam;
import io.liverec.pipelines.nn.Init;
import io.liverec.pipelines.nn.TfOps;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * GradNorm task weighting (ALGORITHMS.md §3.3), in the TF graph. Learnable weights wᵢ (start 1); on
 * the last shared layer W, Gᵢ = ‖∇_W wᵢLᵢ‖₂ = wᵢ·nᵢ with nᵢ = ‖∇_W Lᵢ‖₂; Ḡ = mean Gᵢ; L̃ᵢ =
 * Lᵢ(t)/Lᵢ(0); rᵢ = L̃ᵢ / mean L̃; L_grad = Σᵢ |Gᵢ − Ḡ·rᵢ^α| with the target treated as constant,
 * so ∂L_grad/∂wᵢ = sign(Gᵢ − Ḡ·rᵢ^α)·nᵢ. The weights take an Adam step on that gradient, are kept
 * positive and renormalised to Σwᵢ = number of tasks. A task whose loss falls faster (small rᵢ)
 * gets a smaller target and so a smaller weight. Lᵢ(0) is the first step's loss, stored in a
 * variable so a restored run keeps it.
 */
public final class GradNorm {

  /** Floor of a weight before renormalising (keeps every task alive). */
  public static final float MIN_WEIGHT = 1e-3f;

  private final TfOps ops;
  private final int tasks;
  private final Variable<TFloat32> weights;
  private final Variable<TFloat32> initialLosses;
  private final Variable<TFloat32> initialized;

  public GradNorm(TfOps ops, String scope, int tasks) {
    this.ops = ops;
    this.tasks = tasks;
    this.weights = ops.state(scope + "/weights", new long[] {tasks}, Init.ONES);
    this.initialLosses = ops.state(scope + "/initial_losses", new long[] {tasks}, Init.ONES);
    this.initialized = ops.state(scope + "/initialized", new long[] {}, Init.ZEROS);
  }

  /** The task weights variable {@code [tasks]} (read it for the weighted loss). */
  public Variable<TFloat32> weights() {
    return weights;
  }

  /**
   * The weight update.
   *
   * @param losses per-task losses {@code [tasks]}
   * @param norms nᵢ = ‖∇_W Lᵢ‖₂ {@code [tasks]}
   * @param after ops that must run (and read the old weights) before the weights change
   */
  public Op update(
      Operand<TFloat32> losses,
      Operand<TFloat32> norms,
      double alpha,
      Adam optimizer,
      List<Op> after) {
    var tf = ops.tf().withControlDependencies(after);
    Operand<TFloat32> one = tf.constant(1f);
    Operand<TFloat32> isInit = tf.identity(initialized);
    Operand<TFloat32> l0 =
        tf.math.add(
            tf.math.mul(isInit, tf.identity(initialLosses)),
            tf.math.mul(tf.math.sub(one, isInit), losses));
    Operand<TFloat32> ratio =
        tf.math.div(losses, tf.math.maximum(l0, tf.constant(Losses.PROB_EPSILON)));
    Operand<TFloat32> r = tf.math.div(ratio, tf.math.mean(ratio, tf.constant(0)));
    Operand<TFloat32> g = tf.math.mul(tf.identity(weights), norms);
    Operand<TFloat32> target =
        tf.math.mul(tf.math.mean(g, tf.constant(0)), tf.math.pow(r, tf.constant((float) alpha)));
    Operand<TFloat32> grad = tf.math.mul(tf.math.sign(tf.math.sub(g, target)), norms);
    Op step = optimizer.apply("weights", weights, new long[] {tasks}, grad);
    var after2 = ops.tf().withControlDependencies(List.of(step));
    Operand<TFloat32> stepped =
        after2.math.maximum(after2.identity(weights), tf.constant(MIN_WEIGHT));
    Operand<TFloat32> normalised =
        after2.math.mul(
            stepped,
            after2.math.div(
                after2.constant((float) tasks), after2.reduceSum(stepped, after2.constant(0))));
    Op renorm = after2.assign(weights, normalised);
    Op keepL0 = tf.assign(initialLosses, l0);
    Op markInit = after2.withControlDependencies(List.of(keepL0)).assign(initialized, one);
    return ops.tf().withControlDependencies(List.of(renorm, keepL0, markInit)).noOp();
  }
}
