package io.liverec.pipelines.nn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.Operand;
import org.tensorflow.op.core.Unique;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * Gradients of a loss for a model's variables, where tables read only through gathers (embeddings,
 * FM weights) may get row gradients {@code [U, d]} over the batch's unique ids instead of a dense
 * {@code [vocab, d]} gradient — what lazy Adam ({@link Adam#applySparse}) updates, so a step's cost
 * does not grow with the vocabulary.
 */
public final class SparseGradients {
  private final TfOps ops;
  private final Map<String, Rows> sparse = new LinkedHashMap<>();

  /**
   * @param sparseTables variables to differentiate by rows; each must be read only through {@link
   *     TfOps} lookups ({@link TfOps#onlyGathered})
   */
  public SparseGradients(TfOps ops, Set<String> sparseTables) {
    this.ops = ops;
    for (String name : sparseTables) {
      if (!ops.onlyGathered(name)) {
        throw new IllegalArgumentException(name + " is not read only through lookups");
      }
      sparse.put(name, new Rows(ops, name));
    }
  }

  /** True when {@code name} gets row gradients. */
  public boolean isSparse(String name) {
    return sparse.containsKey(name);
  }

  /** The batch's unique ids of a sparse table (the rows its gradient covers). */
  public Operand<TInt64> uniqueIds(String name) {
    return sparse.get(name).unique;
  }

  /**
   * Gradients of {@code loss} for {@code names}: dense for ordinary variables, summed row gradients
   * over the batch's unique ids for sparse tables.
   */
  public Map<String, Operand<?>> of(Operand<TFloat32> loss, List<String> names, String scope) {
    org.tensorflow.op.Ops tf = ops.tf();
    List<Operand<?>> xs = new ArrayList<>();
    List<int[]> slots = new ArrayList<>(); // per name: [first x, count]
    for (String name : names) {
      Rows rows = sparse.get(name);
      if (rows == null) {
        slots.add(new int[] {xs.size(), 1});
        xs.add(ops.variables().get(name).variable());
      } else {
        slots.add(new int[] {xs.size(), rows.lookups.size()});
        rows.lookups.forEach(l -> xs.add(l.rows()));
      }
    }
    List<Operand<?>> g = new ArrayList<>();
    tf.withSubScope(scope).gradients(loss, xs).forEach(g::add);
    Map<String, Operand<?>> out = new LinkedHashMap<>();
    for (int i = 0; i < names.size(); i++) {
      Rows rows = sparse.get(names.get(i));
      int[] slot = slots.get(i);
      out.put(
          names.get(i),
          rows == null
              ? g.get(slot[0])
              : rows.rowGradient(tf, g.subList(slot[0], slot[0] + slot[1])));
    }
    return out;
  }

  /**
   * A table updated sparsely: the unique ids of all its lookups in the batch and the map from each
   * looked-up position to its unique row.
   */
  private static final class Rows {
    final List<TfOps.Lookup> lookups;
    final Operand<TInt64> unique;
    final Operand<TInt32> position;
    final Operand<TInt32> count;
    final long width;

    Rows(TfOps ops, String name) {
      org.tensorflow.op.Ops tf = ops.tf();
      lookups = ops.lookups().stream().filter(l -> l.variable().equals(name)).toList();
      width = ops.variables().get(name).shape()[1];
      List<Operand<TInt64>> ids = new ArrayList<>();
      for (TfOps.Lookup l : lookups) {
        ids.add(tf.reshape(l.ids(), tf.constant(new long[] {-1})));
      }
      Operand<TInt64> all = ids.size() == 1 ? ids.get(0) : tf.concat(ids, tf.constant(0));
      Unique<TInt64, TInt32> u = tf.unique(all, tf.constant(new long[] {0}));
      unique = u.y();
      position = u.idx();
      count = tf.size(u.y());
    }

    /** Σ of the looked-up rows' gradients per unique id: {@code [U, d]}. */
    Operand<?> rowGradient(org.tensorflow.op.Ops tf, List<Operand<?>> rowGrads) {
      List<Operand<TFloat32>> flat = new ArrayList<>();
      for (Operand<?> g : rowGrads) {
        flat.add(tf.reshape(TfOps.f(g), tf.constant(new long[] {-1, width})));
      }
      Operand<TFloat32> all = flat.size() == 1 ? flat.get(0) : tf.concat(flat, tf.constant(0));
      return tf.math.unsortedSegmentSum(all, position, count);
    }
  }
}
