package io.liverec.pipelines.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import io.liverec.pipelines.features.FeatureSchema;
import io.liverec.pipelines.nn.GraphRunner.Value;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EmbeddingsTest {

  @Test
  void sequenceIsMeanPooledOverNonPadPositionsAndFieldsAreStacked() {
    int d = 2;
    FeatureSchema schema =
        new FeatureSchema(
            List.of(new FeatureSchema.SparseField("a", 3), new FeatureSchema.SparseField("b", 2)),
            List.of("x"),
            3,
            4,
            0);
    float[] sparseTable = {0, 0, 1, 1, 2, 2, 10, 10, 20, 20}; // rows 0..2 field a, 3..4 field b
    float[] seqTable = {100, 100, 1, 2, 3, 4, 5, 6}; // row 0 = pad (must not count)
    List<Value> v =
        GraphRunner.run(
            Map.of(
                "emb/sparse",
                sparseTable,
                "emb/seq",
                seqTable,
                "emb/dense/kernel",
                new float[] {1, -1},
                "emb/dense/bias",
                new float[] {0, 0}),
            ops -> {
              org.tensorflow.op.Ops tf = ops.tf();
              var sparse = tf.constant(new long[][] {{2, 1}, {0, 0}});
              var seq = tf.constant(new long[][] {{1, 3, 0}, {0, 0, 0}});
              var dense = tf.constant(new float[][] {{5}, {7}});
              Fields<org.tensorflow.Operand<?>> f =
                  Embeddings.apply(
                      ops, "emb", schema, d, new Embeddings.Inputs<>(sparse, dense, seq, null));
              assertThat(f.numFields()).isEqualTo(4);
              assertThat(f.flatWidth()).isEqualTo(4 * d + 1);
              return List.of(f.embeddings(), f.flat());
            });
    assertThat(v.get(0).shape()).containsExactly(2, 4, d);
    float[] e = v.get(0).data();
    // row 0: field a id 2 -> (2,2); field b id 1 -> table row 4 -> (20,20);
    // seq mean of ids 1 and 3 -> ((1+5)/2, (2+6)/2); dense 5 -> (5, -5)
    assertThat(e).startsWith(2, 2, 20, 20, 3, 4, 5, -5);
    // row 1: all-pad sequence pools to zero
    assertThat(e[8 + 4]).isCloseTo(0f, offset(0f));
    assertThat(e[8 + 5]).isCloseTo(0f, offset(0f));
    assertThat(v.get(1).shape()).containsExactly(2, 4 * d + 1);
    assertThat(v.get(1).data()[4 * d]).isEqualTo(5f);
  }

  @Test
  void multimodalVectorsAreProjectedOnceAndSplitIntoFields() {
    int d = 2;
    FeatureSchema schema =
        new FeatureSchema(List.of(new FeatureSchema.SparseField("a", 3)), List.of(), 0, 0, 2);
    // kernel [2 inputs, 2 fields × d]: unit j of the output is 1·k[0][j] + 2·k[1][j]
    float[] kernel = {1, 2, 3, 4, 10, 20, 30, 40};
    List<Value> v =
        GraphRunner.run(
            Map.of(
                "emb/sparse",
                new float[] {0, 0, 7, 7, 8, 8},
                "emb/multimodal/kernel",
                kernel,
                "emb/multimodal/bias",
                new float[] {0, 0, 0, 0}),
            ops -> {
              org.tensorflow.op.Ops tf = ops.tf();
              var sparse = tf.constant(new long[][] {{1}});
              var mm = tf.constant(new float[][] {{1, 2}});
              Fields<org.tensorflow.Operand<?>> f =
                  Embeddings.apply(
                      ops, "emb", schema, d, 2, new Embeddings.Inputs<>(sparse, null, null, mm));
              assertThat(f.numFields()).isEqualTo(3);
              assertThat(f.flatWidth()).isEqualTo(3 * d);
              return List.of(f.embeddings());
            });
    assertThat(v.get(0).shape()).containsExactly(1, 3, d);
    // field a id 1 -> (7, 7); content -> (21, 42 | 63, 84) as two fields of d units
    assertThat(v.get(0).data()).containsExactly(7, 7, 21, 42, 63, 84);
  }
}
