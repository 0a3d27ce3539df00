package io.liverec.pipelines.recall.index;

/** Small vector helpers shared by the indexes and the embedding models. */
public final class Vectors {
  private Vectors() {}

  /**
   * Scales {@code v} in place to unit L2 norm. A zero (or non-finite) vector is left as zeros: it
   * scores 0 against everything rather than NaN.
   */
  public static float[] normalizeInPlace(float[] v) {
    double ss = 0;
    for (float x : v) {
      ss += (double) x * x;
    }
    double norm = Math.sqrt(ss);
    if (norm == 0 || !Double.isFinite(norm)) {
      java.util.Arrays.fill(v, 0f);
      return v;
    }
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (v[i] / norm);
    }
    return v;
  }

  /** A normalised copy. */
  public static float[] normalized(float[] v) {
    return normalizeInPlace(v.clone());
  }

  static void checkShape(float[][] vectors, int[] ids) {
    if (vectors.length != ids.length) {
      throw new IllegalArgumentException(
          vectors.length + " vectors but " + ids.length + " ids for the index");
    }
    for (int i = 1; i < vectors.length; i++) {
      if (vectors[i].length != vectors[0].length) {
        throw new IllegalArgumentException(
            "vector " + i + " has dimension " + vectors[i].length + ", not " + vectors[0].length);
      }
    }
  }
}
