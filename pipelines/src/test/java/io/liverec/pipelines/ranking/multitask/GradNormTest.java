package io.liverec.pipelines.ranking.multitask;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import io.liverec.api.v1alpha1.ModelSpec;
import io.liverec.api.v1alpha1.TrainingSpec;
import io.liverec.pipelines.features.Batch;
import io.liverec.pipelines.features.FeatureSchema;
import io.liverec.pipelines.ranking.Rankers;
import io.liverec.pipelines.ranking.TfRanker;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GradNormTest {

  /**
   * Two tasks, independent towers: the ctr label is a deterministic function of one field (learnt
   * fast), the cvr label is a coin flip (its loss cannot fall). GradNorm must lower the weight of
   * the fast task and raise the other, keeping the sum at 2.
   */
  @Test
  void fasterLearningTaskGetsTheSmallerWeight() {
    FeatureSchema schema =
        new FeatureSchema(
            List.of(new FeatureSchema.SparseField("a", 10), new FeatureSchema.SparseField("b", 10)),
            List.of(),
            0,
            0,
            0);
    ModelSpec m = new ModelSpec();
    m.embeddingDim = 4;
    m.hiddenUnits = new ArrayList<>(List.of(8));
    m.interactions = new ArrayList<>();
    m.multitask.structure = "independent";
    m.multitask.balancing = "gradnorm";
    m.multitask.alpha = 1.0;
    TrainingSpec t = new TrainingSpec();
    t.learningRate = 0.01;
    SplittableRandom r = new SplittableRandom(3);
    try (TfRanker ranker = Rankers.create(m, t, schema)) {
      for (int step = 0; step < 150; step++) {
        ranker.trainStep(batch(r, 128));
      }
      Map<String, Float> w = ranker.taskWeights();
      assertThat(w.get("ctr")).isLessThan(1f);
      assertThat(w.get("cvr")).isGreaterThan(1f);
      assertThat(w.get("ctr") + w.get("cvr")).isCloseTo(2f, offset(1e-4f));
    }
  }

  static Batch batch(SplittableRandom r, int n) {
    long[][] sparse = new long[n][2];
    float[] click = new float[n];
    float[] conv = new float[n];
    float[] weight = new float[n];
    for (int i = 0; i < n; i++) {
      sparse[i][0] = r.nextLong(10);
      sparse[i][1] = r.nextLong(10);
      click[i] = sparse[i][0] < 5 ? 1 : 0;
      conv[i] = r.nextBoolean() ? 1 : 0;
      weight[i] = 1;
    }
    return new Batch(
        sparse, new float[n][0], new long[n][0], new float[n][0], click, conv, weight, new long[n]);
  }
}
