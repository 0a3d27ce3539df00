package io.liverec.pipelines.nn;

import io.liverec.pipelines.features.FeatureSchema;
import java.util.ArrayList;
import java.util.List;

/**
 * Input embeddings. Sparse fields share one table (each field's ids offset into its own row range,
 * so one gather serves all fields); the padded recent-room sequence is embedded with its own table
 * and mean-pooled over non-pad positions (pad id 0 is masked, an all-pad row pools to zero); dense
 * inputs are projected into one extra field embedding and the multimodal vectors into {@code
 * multimodalFields} of them (one linear map, its output split into fields), so interaction layers
 * see them too. The raw dense inputs are also appended to the flat deep input.
 *
 * <p>TF Java returns embedding gradients dense (a [V, d] tensor per step), so the cost of a step
 * grows with the total vocabulary: keep hashed vocabularies modest (tens of thousands of rows).
 */
public final class Embeddings {
  private Embeddings() {}

  /** Graph inputs; absent ones (zero width in the schema) are null. */
  public record Inputs<T>(T sparse, T dense, T seq, T multimodal) {}

  /** One multimodal field. */
  public static <T> Fields<T> apply(
      Ops<T> ops, String scope, FeatureSchema schema, int d, Inputs<T> in) {
    return apply(ops, scope, schema, d, 1, in);
  }

  public static <T> Fields<T> apply(
      Ops<T> ops, String scope, FeatureSchema schema, int d, int multimodalFields, Inputs<T> in) {
    if (multimodalFields < 1) {
      throw new IllegalArgumentException("multimodalFields must be >= 1, got " + multimodalFields);
    }
    List<T> fields = new ArrayList<>();
    int extraFields = 0;
    T ids = null;
    long totalVocab = 0;
    int f = schema.numSparse();
    if (f > 0) {
      long[] offsets = new long[f];
      for (int i = 0; i < f; i++) {
        offsets[i] = totalVocab;
        totalVocab += schema.sparseFields().get(i).vocabSize();
      }
      T table = ops.variable(scope + "/sparse", new long[] {totalVocab, d}, Init.EMBEDDING);
      ids = ops.addIds(in.sparse(), offsets);
      fields.add(ops.gather(table, ids)); // [N, F, d]
    }
    if (schema.seqLength() > 0) {
      int len = schema.seqLength();
      T table = ops.variable(scope + "/seq", new long[] {schema.seqVocab(), d}, Init.EMBEDDING);
      T emb = ops.gather(table, in.seq()); // [N, L, d]
      T mask = ops.reshape(ops.nonZeroMask(in.seq()), -1, len, 1); // [N, L, 1]
      T sum = ops.reduceSum(ops.mul(emb, mask), 1, false); // [N, d]
      T count = ops.maximum(ops.reduceSum(mask, 1, false), ops.scalar(1f)); // [N, 1]
      fields.add(ops.reshape(ops.div(sum, count), -1, 1, d));
    }
    if (schema.denseDim() > 0) {
      fields.add(
          ops.reshape(
              Dense.layer(ops, scope + "/dense", in.dense(), schema.denseDim(), d, false),
              -1,
              1,
              d));
    }
    if (schema.multimodalDim() > 0) {
      int k = multimodalFields;
      fields.add(
          ops.reshape(
              Dense.layer(
                  ops,
                  scope + "/multimodal",
                  in.multimodal(),
                  schema.multimodalDim(),
                  k * d,
                  false),
              -1,
              k,
              d));
      extraFields += k - 1;
    }
    // the sparse part is one [N, F, d] block, the multimodal part k fields; every other one field
    int n = f + fields.size() - (f > 0 ? 1 : 0) + extraFields;
    T stacked = ops.concat(fields, 1); // [N, n, d]
    List<T> flatParts = new ArrayList<>();
    flatParts.add(ops.reshape(stacked, -1, (long) n * d));
    int flatWidth = n * d;
    if (schema.denseDim() > 0) {
      flatParts.add(in.dense());
      flatWidth += schema.denseDim();
    }
    return new Fields<>(stacked, n, d, ids, totalVocab, ops.concat(flatParts, 1), flatWidth);
  }
}
