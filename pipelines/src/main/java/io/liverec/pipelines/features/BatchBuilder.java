package io.liverec.pipelines.features;

import java.util.Arrays;

/** Row arrays of a {@link Batch} being filled; {@link #build} trims to the rows filled. */
public final class BatchBuilder {
  final long[][] sparse;
  final float[][] dense;
  final long[][] seq;
  final float[][] multimodal;
  final float[] click;
  final float[] conversion;
  final float[] weight;
  final long[] userIds;

  public BatchBuilder(FeatureSchema schema, int capacity) {
    sparse = new long[capacity][schema.numSparse()];
    dense = new float[capacity][schema.denseDim()];
    seq = new long[capacity][schema.seqLength()];
    multimodal = new float[capacity][schema.multimodalDim()];
    click = new float[capacity];
    conversion = new float[capacity];
    weight = new float[capacity];
    userIds = new long[capacity];
    Arrays.fill(weight, 1f);
  }

  public int capacity() {
    return click.length;
  }

  /** Transforms raw row {@code r} into slot {@code i} and sets its labels. */
  public void set(
      int i,
      FeatureTransform t,
      java.util.function.Function<String, Object> raw,
      float clickLabel,
      float conversionLabel,
      float w,
      long userId,
      FeatureCounters counters) {
    t.transformRow(raw, sparse[i], dense[i], seq[i], multimodal[i], counters);
    click[i] = clickLabel;
    conversion[i] = conversionLabel;
    weight[i] = w;
    userIds[i] = userId;
  }

  public Batch build(int n) {
    if (n == capacity()) {
      return new Batch(sparse, dense, seq, multimodal, click, conversion, weight, userIds);
    }
    return new Batch(
        Arrays.copyOf(sparse, n),
        Arrays.copyOf(dense, n),
        Arrays.copyOf(seq, n),
        Arrays.copyOf(multimodal, n),
        Arrays.copyOf(click, n),
        Arrays.copyOf(conversion, n),
        Arrays.copyOf(weight, n),
        Arrays.copyOf(userIds, n));
  }
}
