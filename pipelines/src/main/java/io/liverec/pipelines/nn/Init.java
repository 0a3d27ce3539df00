package io.liverec.pipelines.nn;

import java.util.SplittableRandom;

/**
 * Variable initialisers. Values are drawn in Java from a generator seeded by the model seed and the
 * variable's name, so a variable starts the same whatever the order layers are built in.
 */
public enum Init {
  /** Glorot/Xavier uniform over the last two axes (fan-in, fan-out). */
  GLOROT,
  /** Small uniform values in ±{@value #EMBEDDING_SCALE}, for embedding tables. */
  EMBEDDING,
  ZEROS,
  ONES;

  /** Half-width of the embedding initialisation range. */
  public static final float EMBEDDING_SCALE = 0.05f;

  /** Initial values of a variable named {@code name} with {@code shape}. */
  public float[] values(long[] shape, String name, long seed) {
    int size = Math.toIntExact(numel(shape));
    float[] v = new float[size];
    switch (this) {
      case ZEROS -> {}
      case ONES -> java.util.Arrays.fill(v, 1f);
      case EMBEDDING -> fillUniform(v, EMBEDDING_SCALE, name, seed);
      case GLOROT -> {
        long fanIn = shape.length >= 2 ? shape[shape.length - 2] : shape[0];
        long fanOut = shape[shape.length - 1];
        float limit = (float) Math.sqrt(6.0 / (fanIn + fanOut));
        fillUniform(v, limit, name, seed);
      }
    }
    return v;
  }

  private static void fillUniform(float[] v, float limit, String name, long seed) {
    SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + name.hashCode());
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) ((random.nextDouble() * 2 - 1) * limit);
    }
  }

  public static long numel(long[] shape) {
    long n = 1;
    for (long s : shape) {
      n *= s;
    }
    return n;
  }
}
