package io.liverec.pipelines.features;

import java.util.List;

/**
 * The model-facing shape of processed features: what a {@link Batch} holds and what a model's input
 * placeholders (TF) and graph inputs (ONNX) are. Produced by the feature transform from a column
 * spec and saved with the model, so serving builds exactly the same inputs.
 *
 * @param sparseFields categorical fields, one id per row each (hashed or vocabulary ids, 0 =
 *     unknown/missing); column order of {@link Batch#sparse()}
 * @param denseNames names of dense numeric inputs; column order of {@link Batch#dense()}
 * @param seqLength length of the padded recent-room sequence (0 = none); pad id is 0
 * @param seqVocab id space of the sequence (ids are in [0, seqVocab))
 * @param multimodalDim width of the concatenated room content vectors (0 = none)
 */
public record FeatureSchema(
    List<SparseField> sparseFields,
    List<String> denseNames,
    int seqLength,
    long seqVocab,
    int multimodalDim) {

  /** A categorical field and the size of its id space (ids in [0, vocabSize)). */
  public record SparseField(String name, long vocabSize) {}

  public int numSparse() {
    return sparseFields.size();
  }

  public int denseDim() {
    return denseNames.size();
  }
}
