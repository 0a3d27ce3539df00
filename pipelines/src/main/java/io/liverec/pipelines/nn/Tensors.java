package io.liverec.pipelines.nn;

import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * Batch columns ({@code [n][width]} Java arrays) to TF tensors and back, checking every row's width
 * so that a malformed batch fails with the column's name instead of deep inside a kernel.
 */
public final class Tensors {
  private Tensors() {}

  /** {@code [n, width]} int64 tensor of {@code rows}; {@code field} names the column in errors. */
  public static TInt64 longs(long[][] rows, int n, int width, String field) {
    checkRows(rows.length, n, field);
    return TInt64.tensorOf(
        Shape.of(n, width), DataBuffers.of(flatten(rows, n, width, field), true, false));
  }

  /** {@code [n, width]} float tensor of {@code rows}. */
  public static TFloat32 floats(float[][] rows, int n, int width, String field) {
    checkRows(rows.length, n, field);
    return TFloat32.tensorOf(
        Shape.of(n, width), DataBuffers.of(flatten(rows, n, width, field), true, false));
  }

  /** Row-major copy of a {@code [n][width]} batch column, checking every row's width. */
  public static long[] flatten(long[][] rows, int n, int width, String field) {
    long[] flat = new long[n * width];
    for (int i = 0; i < n; i++) {
      checkWidth(rows[i].length, i, width, field);
      System.arraycopy(rows[i], 0, flat, i * width, width);
    }
    return flat;
  }

  public static float[] flatten(float[][] rows, int n, int width, String field) {
    float[] flat = new float[n * width];
    for (int i = 0; i < n; i++) {
      checkWidth(rows[i].length, i, width, field);
      System.arraycopy(rows[i], 0, flat, i * width, width);
    }
    return flat;
  }

  /** All values of a float tensor, row-major. */
  public static float[] read(Tensor t) {
    TFloat32 f = (TFloat32) t;
    float[] out = new float[Math.toIntExact(f.size())];
    f.copyTo(DataBuffers.of(out, false, false));
    return out;
  }

  /** A {@code [n, d]} float tensor as n rows. */
  public static float[][] rows(Tensor t, int n) {
    float[] flat = read(t);
    int d = n == 0 ? 0 : flat.length / n;
    float[][] out = new float[n][d];
    for (int i = 0; i < n; i++) {
      System.arraycopy(flat, i * d, out[i], 0, d);
    }
    return out;
  }

  private static void checkRows(int length, int n, String field) {
    if (length != n) {
      throw new IllegalArgumentException("batch." + field + " has " + length + " rows, not " + n);
    }
  }

  private static void checkWidth(int length, int row, int width, String field) {
    if (length != width) {
      throw new IllegalArgumentException(
          "batch." + field + "[" + row + "] has " + length + " columns, schema says " + width);
    }
  }
}
