package io.liverec.pipelines.ranking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import io.liverec.api.v1alpha1.ModelSpec;
import io.liverec.api.v1alpha1.TrainingSpec;
import io.liverec.pipelines.features.Batch;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Lazy (sparse) Adam on lookup tables against dense Adam. */
class SparseUpdatesTest {

  static RankerConfig config(Synthetic data, boolean pcGrad) {
    ModelSpec m = new ModelSpec();
    m.embeddingDim = 4;
    m.hiddenUnits = new ArrayList<>(List.of(8, 4));
    m.interactions = new ArrayList<>(List.of("fm", "kfm"));
    if (pcGrad) {
      m.multitask.gradientSurgery = "pcgrad";
      m.multitask.balancing = "gradnorm";
    }
    TrainingSpec t = new TrainingSpec();
    t.learningRate = 0.01;
    return RankerConfig.of(m, t, data.schema);
  }

  @Test
  void rowGradientsHaveTheDenseGradientsNorm() {
    for (boolean pcGrad : List.of(false, true)) {
      Synthetic data = new Synthetic(2, true);
      Batch b = data.batch(200); // ids repeat: rows are summed over duplicates
      RankerConfig c = config(data, pcGrad);
      try (TfRanker sparse = new TfRanker(c);
          TfRanker dense = new TfRanker(c, false)) {
        Map<String, Double> s = sparse.gradientNorms(b);
        Map<String, Double> d = dense.gradientNorms(b);
        for (String table : List.of("embedding/sparse", "embedding/seq", "interaction/fm/linear")) {
          assertThat(s.get(table)).as(table).isGreaterThan(0).isCloseTo(d.get(table), offset(1e-5));
        }
      }
    }
  }

  @Test
  void firstLazyStepEqualsDenseAdamAndLeavesUnseenRowsAlone() {
    Synthetic data = new Synthetic(4, true);
    Batch b = data.batch(16);
    RankerConfig c = config(data, false);
    try (TfRanker sparse = new TfRanker(c);
        TfRanker dense = new TfRanker(c, false)) {
      float[] before = sparse.variableValues().get("embedding/sparse");
      sparse.trainStep(b);
      dense.trainStep(b);
      float[] s = sparse.variableValues().get("embedding/sparse");
      float[] d = dense.variableValues().get("embedding/sparse");
      for (int i = 0; i < s.length; i++) {
        assertThat(s[i]).isCloseTo(d[i], offset(1e-6f));
      }
      // row of field 0, id never in the batch: unchanged; an id in the batch: moved
      int dim = 4;
      java.util.Set<Long> seen = new java.util.HashSet<>();
      for (long[] row : b.sparse()) {
        seen.add(row[0]);
      }
      long unseen = 0;
      while (seen.contains(unseen)) {
        unseen++;
      }
      long used = b.sparse()[0][0];
      for (int k = 0; k < dim; k++) {
        assertThat(s[(int) unseen * dim + k]).isEqualTo(before[(int) unseen * dim + k]);
      }
      boolean moved = false;
      for (int k = 0; k < dim; k++) {
        moved |= s[(int) used * dim + k] != before[(int) used * dim + k];
      }
      assertThat(moved).isTrue();
    }
  }
}
