package io.liverec.pipelines.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.core.Assign;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.ReduceSum;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * {@link Ops} on a TF Java graph. Every variable gets a same-shaped placeholder and an assign op so
 * initial values (and restored values) are fed in, not baked into the graph as constants.
 */
public final class TfOps implements Ops<Operand<?>> {

  /** A graph variable with its feed-to-assign pair. */
  public record Var(
      String name,
      long[] shape,
      Init init,
      Variable<TFloat32> variable,
      Placeholder<TFloat32> value,
      Assign<TFloat32> assign) {}

  private final org.tensorflow.op.Ops tf;
  private final Map<String, Var> variables = new LinkedHashMap<>();
  private final Map<Operand<?>, String> readOf = new java.util.IdentityHashMap<>();
  private final List<Lookup> lookups = new ArrayList<>();
  private final java.util.Set<String> denseUses = new java.util.HashSet<>();

  /** A row lookup {@code variable[ids]} with its output ({@code ids.shape + [d]}). */
  public record Lookup(String variable, Operand<TInt64> ids, Operand<TFloat32> rows) {}

  public TfOps(org.tensorflow.op.Ops tf) {
    this.tf = tf;
  }

  public org.tensorflow.op.Ops tf() {
    return tf;
  }

  /** Variables in creation order. */
  /** Assigns every variable its seeded initial value (one session run for all of them). */
  public void initialise(org.tensorflow.Session session, long seed) {
    org.tensorflow.Session.Runner runner = session.runner();
    List<org.tensorflow.Tensor> feeds = new ArrayList<>();
    try {
      for (Var v : variables().values()) {
        TFloat32 value =
            TFloat32.tensorOf(
                Shape.of(v.shape()),
                org.tensorflow.ndarray.buffer.DataBuffers.of(
                    v.init().values(v.shape(), v.name(), seed), true, false));
        feeds.add(value);
        runner.feed(v.value(), value).addTarget(v.assign());
      }
      runner.run().close();
    } finally {
      feeds.forEach(org.tensorflow.Tensor::close);
    }
  }

  public Map<String, Var> variables() {
    return Collections.unmodifiableMap(variables);
  }

  @Override
  public Operand<?> variable(String name, long[] shape, Init init) {
    if (variables.containsKey(name)) {
      throw new IllegalArgumentException("duplicate variable name " + name);
    }
    String opName = name.replaceAll("[^A-Za-z0-9_.-]", ".");
    Variable<TFloat32> v = tf.withName(opName).variable(Shape.of(shape), TFloat32.class);
    Placeholder<TFloat32> p =
        tf.withName(opName + ".init_value")
            .placeholder(TFloat32.class, Placeholder.shape(Shape.of(shape)));
    Assign<TFloat32> a = tf.withName(opName + ".assign").assign(v, p);
    variables.put(name, new Var(name, shape.clone(), init, v, p, a));
    // Layers consume a plain (non-ref) read: some gradient functions reject float_ref inputs, and
    // a read taken once in the forward pass is what the backward pass reuses.
    Operand<TFloat32> read = tf.withName(opName + ".read").identity(v);
    readOf.put(read, name);
    return read;
  }

  /**
   * A state variable (optimizer slots, task weights): registered like {@link #variable} so it is
   * initialised and checkpointed, but returned as the variable itself for assign/apply ops.
   */
  public Variable<TFloat32> state(String name, long[] shape, Init init) {
    variable(name, shape, init);
    return variables.get(name).variable();
  }

  /** Row lookups of registered variables, in creation order. */
  public List<Lookup> lookups() {
    return Collections.unmodifiableList(lookups);
  }

  /**
   * Whether a variable is read only through {@link #gather} (so its gradient is the gathered rows'
   * gradient scattered back, and a sparse update is exact).
   */
  public boolean onlyGathered(String name) {
    return !denseUses.contains(name) && lookups.stream().anyMatch(l -> l.variable().equals(name));
  }

  @Override
  public Operand<?> constant(float[] values, long... shape) {
    if (shape.length == 0) {
      return tf.constant(values[0]);
    }
    return tf.constant(Shape.of(shape), org.tensorflow.ndarray.buffer.DataBuffers.of(values));
  }

  @Override
  public Operand<?> matmul(Operand<?> a, Operand<?> b) {
    int ra = a.shape().numDimensions();
    int rb = b.shape().numDimensions();
    if (ra == 2 && rb == 2) {
      return tf.linalg.matMul(in(a), in(b));
    }
    return tf.train.batchMatMul(in(a), in(b), TFloat32.class);
  }

  @Override
  public Operand<?> add(Operand<?> a, Operand<?> b) {
    return tf.math.add(in(a), in(b));
  }

  @Override
  public Operand<?> sub(Operand<?> a, Operand<?> b) {
    return tf.math.sub(in(a), in(b));
  }

  @Override
  public Operand<?> mul(Operand<?> a, Operand<?> b) {
    return tf.math.mul(in(a), in(b));
  }

  @Override
  public Operand<?> div(Operand<?> a, Operand<?> b) {
    return tf.math.div(in(a), in(b));
  }

  @Override
  public Operand<?> maximum(Operand<?> a, Operand<?> b) {
    return tf.math.maximum(in(a), in(b));
  }

  @Override
  public Operand<?> minimum(Operand<?> a, Operand<?> b) {
    return tf.math.minimum(in(a), in(b));
  }

  @Override
  public Operand<?> sigmoid(Operand<?> x) {
    return tf.math.sigmoid(in(x));
  }

  @Override
  public Operand<?> relu(Operand<?> x) {
    return tf.nn.relu(in(x));
  }

  @Override
  public Operand<?> exp(Operand<?> x) {
    return tf.math.exp(in(x));
  }

  @Override
  public Operand<?> log(Operand<?> x) {
    return tf.math.log(in(x));
  }

  @Override
  public Operand<?> abs(Operand<?> x) {
    return tf.math.abs(in(x));
  }

  @Override
  public Operand<?> square(Operand<?> x) {
    return tf.math.square(in(x));
  }

  @Override
  public Operand<?> sqrt(Operand<?> x) {
    return tf.math.sqrt(in(x));
  }

  @Override
  public Operand<?> softmax(Operand<?> x) {
    return tf.nn.softmax(in(x));
  }

  @Override
  public Operand<?> reduceSum(Operand<?> x, int axis, boolean keepDims) {
    return tf.reduceSum(in(x), tf.constant(axis), ReduceSum.keepDims(keepDims));
  }

  @Override
  public Operand<?> reduceMean(Operand<?> x, int axis, boolean keepDims) {
    return tf.math.mean(in(x), tf.constant(axis), Mean.keepDims(keepDims));
  }

  @Override
  public Operand<?> concat(List<Operand<?>> xs, int axis) {
    if (xs.size() == 1) {
      return xs.get(0);
    }
    List<Operand<TFloat32>> fs = new ArrayList<>();
    for (Operand<?> x : xs) {
      fs.add(in(x));
    }
    return tf.concat(fs, tf.constant(axis));
  }

  @Override
  public Operand<?> reshape(Operand<?> x, long... shape) {
    return tf.reshape(in(x), tf.constant(shape));
  }

  @Override
  public Operand<?> transpose(Operand<?> x, int... perm) {
    return tf.linalg.transpose(in(x), tf.constant(perm));
  }

  @Override
  public Operand<?> gather(Operand<?> table, Operand<?> ids) {
    Operand<TFloat32> rows = tf.gather(f(table), i64(ids), tf.constant(0));
    String name = readOf.get(table);
    if (name != null) {
      lookups.add(new Lookup(name, i64(ids), rows));
    } else {
      in(table);
    }
    return rows;
  }

  @Override
  public Operand<?> addIds(Operand<?> ids, long[] offsets) {
    return tf.math.add(i64(ids), tf.constant(offsets));
  }

  @Override
  public Operand<?> nonZeroMask(Operand<?> ids) {
    return tf.dtypes.cast(tf.math.notEqual(i64(ids), tf.constant(0L)), TFloat32.class);
  }

  /** Marks a variable read used outside a gather (its gradient must be dense) and casts. */
  private Operand<TFloat32> in(Operand<?> x) {
    String name = readOf.get(x);
    if (name != null) {
      denseUses.add(name);
    }
    return f(x);
  }

  /** Views a handle as a float operand. */
  @SuppressWarnings("unchecked")
  public static Operand<TFloat32> f(Operand<?> x) {
    return (Operand<TFloat32>) x;
  }

  @SuppressWarnings("unchecked")
  static Operand<TInt64> i64(Operand<?> x) {
    return (Operand<TInt64>) x;
  }
}
