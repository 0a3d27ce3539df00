package io.liverec.pipelines.ranking.multitask;

import io.liverec.pipelines.nn.Ops;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * PCGrad (gradient surgery) on the parameters every task reaches: for each task i, for the other
 * tasks j in random order, if gᵢ·gⱼ &lt; 0 then gᵢ ← gᵢ − (gᵢ·gⱼ / ‖gⱼ‖²) gⱼ; the update is Σᵢ gᵢ.
 * Written as gᵢ − (min(0, gᵢ·gⱼ) / ‖gⱼ‖²) gⱼ so a non-conflicting pair leaves gᵢ exactly unchanged.
 * A task's gradient is a list of tensors (one per shared variable); dot products sum over all of
 * them, so no flattening is needed.
 *
 * <p>The order is drawn from a seeded generator when the graph is built and then fixed; with the
 * two supported tasks (ctr, cvr) the order has no effect. {@link Scope#VARIABLE} measures and
 * projects each shared variable on its own (a conflict on one tensor is projected even when the
 * tasks agree on the rest), {@link Scope#GLOBAL} over all of them at once.
 */
public final class PcGrad {
  private PcGrad() {}

  /** Guards ‖gⱼ‖² = 0. */
  public static final float NORM_EPSILON = 1e-20f;

  /** Over what a conflict is measured and projected. */
  public enum Scope {
    /** One dot product over every shared variable (the paper's form). */
    GLOBAL,
    /** A dot product and projection per shared variable. */
    VARIABLE,
    /**
     * A dot product and projection per row of each table read by lookups (an embedding row, that is
     * one id), per variable for the others.
     */
    ROW
  }

  /** Projected, summed gradients over all shared variables at once ({@link Scope#GLOBAL}). */
  public static <T> List<T> combine(Ops<T> ops, List<List<T>> taskGrads, long seed) {
    return combine(ops, taskGrads, seed, Scope.GLOBAL);
  }

  /**
   * Projected, summed gradients, one per shared variable. With {@link Scope#VARIABLE} each variable
   * is treated as its own parameter vector; the random task order is the same for every variable.
   */
  public static <T> List<T> combine(Ops<T> ops, List<List<T>> taskGrads, long seed, Scope scope) {
    return combine(ops, taskGrads, seed, scope, null);
  }

  /**
   * As {@link #combine(Ops, List, long, Scope)}; with {@link Scope#ROW}, {@code rowWise.get(v)}
   * says whether shared variable v is a lookup table whose gradient is 2-D, one row per id ([V, d]
   * dense or [U, d] over the batch's ids), and is projected row by row.
   */
  public static <T> List<T> combine(
      Ops<T> ops, List<List<T>> taskGrads, long seed, Scope scope, List<Boolean> rowWise) {
    int tasks = taskGrads.size();
    int vars = taskGrads.get(0).size();
    Random random = new Random(seed);
    List<List<Integer>> orders = new ArrayList<>();
    for (int i = 0; i < tasks; i++) {
      List<Integer> others = new ArrayList<>();
      for (int j = 0; j < tasks; j++) {
        if (j != i) {
          others.add(j);
        }
      }
      java.util.Collections.shuffle(others, random);
      orders.add(others);
    }
    if (scope == Scope.GLOBAL) {
      return project(ops, taskGrads, orders);
    }
    List<T> out = new ArrayList<>();
    for (int v = 0; v < vars; v++) {
      List<List<T>> one = new ArrayList<>();
      for (List<T> g : taskGrads) {
        one.add(List.of(g.get(v)));
      }
      boolean rows = scope == Scope.ROW && rowWise != null && rowWise.get(v);
      out.add(rows ? projectRows(ops, one, orders) : project(ops, one, orders).get(0));
    }
    return out;
  }

  /** gᵢ projected against the others in {@code orders.get(i)}, summed over i. */
  private static <T> List<T> project(
      Ops<T> ops, List<List<T>> taskGrads, List<List<Integer>> orders) {
    int tasks = taskGrads.size();
    int vars = taskGrads.get(0).size();
    List<T> sum = null;
    for (int i = 0; i < tasks; i++) {
      List<T> gi = new ArrayList<>(taskGrads.get(i));
      for (int j : orders.get(i)) {
        List<T> gj = taskGrads.get(j);
        T dot = dot(ops, gi, gj);
        T normSq = ops.maximum(dot(ops, gj, gj), ops.scalar(NORM_EPSILON));
        T coef = ops.div(ops.minimum(dot, ops.scalar(0f)), normSq);
        for (int v = 0; v < vars; v++) {
          gi.set(v, ops.sub(gi.get(v), ops.mul(coef, gj.get(v))));
        }
      }
      if (sum == null) {
        sum = gi;
      } else {
        for (int v = 0; v < vars; v++) {
          sum.set(v, ops.add(sum.get(v), gi.get(v)));
        }
      }
    }
    return sum;
  }

  /** As {@link #project} for one 2-D variable, with a dot product per row (axis 0). */
  private static <T> T projectRows(
      Ops<T> ops, List<List<T>> taskGrads, List<List<Integer>> orders) {
    T sum = null;
    for (int i = 0; i < taskGrads.size(); i++) {
      T gi = taskGrads.get(i).get(0);
      for (int j : orders.get(i)) {
        T gj = taskGrads.get(j).get(0);
        T dot = ops.reduceSum(ops.mul(gi, gj), 1, true);
        T normSq = ops.maximum(ops.reduceSum(ops.mul(gj, gj), 1, true), ops.scalar(NORM_EPSILON));
        T coef = ops.div(ops.minimum(dot, ops.scalar(0f)), normSq);
        gi = ops.sub(gi, ops.mul(coef, gj));
      }
      sum = sum == null ? gi : ops.add(sum, gi);
    }
    return sum;
  }

  /** Σ over variables of Σ over elements of a ⊙ b, a scalar. */
  public static <T> T dot(Ops<T> ops, List<T> a, List<T> b) {
    T total = null;
    for (int v = 0; v < a.size(); v++) {
      T d = ops.reduceSum(ops.reshape(ops.mul(a.get(v), b.get(v)), -1), 0, false);
      total = total == null ? d : ops.add(total, d);
    }
    return total;
  }
}
