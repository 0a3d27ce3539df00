package io.liverec.serving.inference;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * A named tensor: element type, shape and the elements as little-endian bytes in row-major order
 * (the layout of KServe's {@code raw_input_contents} / {@code raw_output_contents}). Immutable.
 */
public final class Tensor {
  private final String name;
  private final DataType type;
  private final long[] shape;
  private final byte[] data;

  private Tensor(String name, DataType type, long[] shape, byte[] data) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("tensor name must not be blank");
    }
    Objects.requireNonNull(type, "type");
    long count = 1;
    for (long d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException(
            "tensor " + name + ": shape " + Arrays.toString(shape) + " has a negative dimension");
      }
      count = Math.multiplyExact(count, d);
    }
    if (data.length != count * type.byteSize()) {
      throw new IllegalArgumentException(
          "tensor "
              + name
              + ": "
              + data.length
              + " bytes do not hold shape "
              + Arrays.toString(shape)
              + " of "
              + type
              + " ("
              + count * type.byteSize()
              + " expected)");
    }
    this.name = name;
    this.type = type;
    this.shape = shape.clone();
    this.data = data;
  }

  /** A tensor from raw little-endian bytes (copied). */
  public static Tensor ofRaw(String name, DataType type, long[] shape, byte[] data) {
    return new Tensor(name, type, shape, data.clone());
  }

  public static Tensor ofFloats(String name, long[] shape, float[] values) {
    ByteBuffer b = buffer(values.length * 4);
    b.asFloatBuffer().put(values);
    return new Tensor(name, DataType.FP32, shape, b.array());
  }

  public static Tensor ofDoubles(String name, long[] shape, double[] values) {
    ByteBuffer b = buffer(values.length * 8);
    b.asDoubleBuffer().put(values);
    return new Tensor(name, DataType.FP64, shape, b.array());
  }

  public static Tensor ofLongs(String name, long[] shape, long[] values) {
    ByteBuffer b = buffer(values.length * 8);
    b.asLongBuffer().put(values);
    return new Tensor(name, DataType.INT64, shape, b.array());
  }

  public static Tensor ofInts(String name, long[] shape, int[] values) {
    ByteBuffer b = buffer(values.length * 4);
    b.asIntBuffer().put(values);
    return new Tensor(name, DataType.INT32, shape, b.array());
  }

  private static ByteBuffer buffer(int bytes) {
    return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
  }

  public String name() {
    return name;
  }

  public DataType type() {
    return type;
  }

  public long[] shape() {
    return shape.clone();
  }

  public long elementCount() {
    return data.length / type.byteSize();
  }

  /** The elements as a read-only little-endian buffer (no copy). */
  public ByteBuffer data() {
    return ByteBuffer.wrap(data).asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
  }

  /** The raw little-endian bytes (a copy). */
  public byte[] bytes() {
    return data.clone();
  }

  /** The same elements with another shape of the same element count. */
  public Tensor withShape(long[] newShape) {
    return new Tensor(name, type, newShape, data);
  }

  public float[] floats() {
    expect(DataType.FP32);
    float[] out = new float[data.length / 4];
    data().asFloatBuffer().get(out);
    return out;
  }

  public double[] doubles() {
    expect(DataType.FP64);
    double[] out = new double[data.length / 8];
    data().asDoubleBuffer().get(out);
    return out;
  }

  public long[] longs() {
    expect(DataType.INT64);
    long[] out = new long[data.length / 8];
    data().asLongBuffer().get(out);
    return out;
  }

  public int[] ints() {
    expect(DataType.INT32);
    int[] out = new int[data.length / 4];
    data().asIntBuffer().get(out);
    return out;
  }

  /** Every element widened to double, whatever the type (for comparisons and metrics). */
  public double[] asDoubles() {
    ByteBuffer b = data();
    double[] out = new double[(int) elementCount()];
    for (int i = 0; i < out.length; i++) {
      out[i] =
          switch (type) {
            case BOOL -> b.get(i) != 0 ? 1 : 0;
            case INT32 -> b.getInt(i * 4);
            case INT64 -> b.getLong(i * 8);
            case FP32 -> b.getFloat(i * 4);
            case FP64 -> b.getDouble(i * 8);
          };
    }
    return out;
  }

  private void expect(DataType t) {
    if (type != t) {
      throw new IllegalStateException("tensor " + name + " is " + type + ", not " + t);
    }
  }

  @Override
  public String toString() {
    return name + ":" + type + Arrays.toString(shape);
  }
}
