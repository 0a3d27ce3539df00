package io.liverec.pipelines.nn;

import java.util.List;

/**
 * The op vocabulary every ranking layer is written against. One implementation builds the TF Java
 * training graph ({@link TfOps}), another builds the ONNX graph ({@link OnnxOps}) from the trained
 * variable values, so a layer's forward pass is written once and export parity holds by
 * construction.
 *
 * <p>Tensors are opaque handles of type {@code T}. Float tensors unless stated otherwise; id
 * tensors are int64. Binary element-wise ops broadcast like NumPy (both TF and ONNX do). Shapes
 * passed to {@link #reshape} use {@code -1} for the (unknown) batch dimension.
 *
 * @param <T> the tensor handle of the backend
 */
public interface Ops<T> {

  /**
   * A trainable float variable. Names are unique and stable ({@code scope/name}): they key the
   * checkpoint and the ONNX initializers.
   */
  T variable(String name, long[] shape, Init init);

  /** A float constant of the given shape (row-major values). */
  T constant(float[] values, long... shape);

  default T scalar(float value) {
    return constant(new float[] {value});
  }

  /** Matrix product over the last two axes; leading axes broadcast. */
  T matmul(T a, T b);

  T add(T a, T b);

  T sub(T a, T b);

  T mul(T a, T b);

  T div(T a, T b);

  T maximum(T a, T b);

  T minimum(T a, T b);

  T sigmoid(T x);

  T relu(T x);

  T exp(T x);

  T log(T x);

  T abs(T x);

  T square(T x);

  T sqrt(T x);

  /** Softmax over the last axis. */
  T softmax(T x);

  T reduceSum(T x, int axis, boolean keepDims);

  T reduceMean(T x, int axis, boolean keepDims);

  T concat(List<T> xs, int axis);

  /** Reshape; {@code -1} marks the one inferred axis (the batch). */
  T reshape(T x, long... shape);

  T transpose(T x, int... perm);

  /**
   * Rows of a float table at int64 ids: {@code table[V, d]}, {@code ids[...]} → {@code [..., d]}.
   */
  T gather(T table, T ids);

  /** int64 ids plus a constant int64 vector (broadcast over the last axis). */
  T addIds(T ids, long[] offsets);

  /** Float mask, 1 where the int64 id is not 0 (the pad id), else 0. */
  T nonZeroMask(T ids);
}
