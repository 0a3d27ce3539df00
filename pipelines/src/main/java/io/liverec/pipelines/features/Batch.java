package io.liverec.pipelines.features;

/**
 * One mini-batch of processed features and labels, row-major. Shapes follow {@link FeatureSchema}:
 * {@code sparse[B][numSparse]}, {@code dense[B][denseDim]}, {@code seq[B][seqLength]}, {@code
 * multimodal[B][multimodalDim]}. Label and weight arrays have length B; {@code userIds} (for GAUC)
 * too. Arrays a schema does not use are zero-width, never null.
 */
public record Batch(
    long[][] sparse,
    float[][] dense,
    long[][] seq,
    float[][] multimodal,
    float[] click,
    float[] conversion,
    float[] weight,
    long[] userIds) {

  public int size() {
    return click.length;
  }
}
