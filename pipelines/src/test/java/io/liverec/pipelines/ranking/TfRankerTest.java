package io.liverec.pipelines.ranking;

import static org.assertj.core.api.Assertions.assertThat;

import io.liverec.api.v1alpha1.ModelSpec;
import io.liverec.api.v1alpha1.TrainingSpec;
import io.liverec.pipelines.features.Batch;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TfRankerTest {
  static final int STEPS = Integer.getInteger("steps", 800);

  static ModelSpec deepFmEsmm() {
    ModelSpec m = new ModelSpec();
    m.interactions = new java.util.ArrayList<>(List.of("fm"));
    m.embeddingDim = 8;
    m.hiddenUnits = new java.util.ArrayList<>(List.of(32, 16));
    return m;
  }

  static TrainingSpec training() {
    TrainingSpec t = new TrainingSpec();
    t.learningRate = 0.01;
    t.seed = 11L;
    return t;
  }

  @Test
  void deepFmEsmmLearnsThePlantedClickStructure() {
    Synthetic data = new Synthetic(3, false);
    try (TfRanker ranker = Rankers.create(deepFmEsmm(), training(), data.schema)) {
      Batch test = data.batch(3000);
      double oracle = Synthetic.auc(data.lastClickLogits, test.click());
      double before = Synthetic.auc(ranker.predict(test).get("ctr"), test.click());
      Map<String, Double> first = null;
      Map<String, Double> last = null;
      for (int step = 0; step < STEPS; step++) {
        last = ranker.trainStep(data.batch(256));
        if (first == null) {
          first = last;
        }
      }
      Map<String, float[]> p = ranker.predict(test);
      double after = Synthetic.auc(p.get("ctr"), test.click());
      assertThat(after)
          .as("ctr AUC after training %.3f (before %.3f, oracle %.3f)", after, before, oracle)
          .isGreaterThan(0.75);
      assertThat(last.get("loss_ctr")).isLessThan(first.get("loss_ctr"));
      float[] ctcvr = p.get("ctcvr");
      for (int i = 0; i < test.size(); i++) {
        assertThat(ctcvr[i])
            .isCloseTo(
                p.get("ctr")[i] * p.get("cvr")[i], org.assertj.core.data.Offset.offset(1e-6f));
      }
      float[] ctcvrLabel = new float[test.size()];
      for (int i = 0; i < test.size(); i++) {
        ctcvrLabel[i] = test.click()[i] * test.conversion()[i];
      }
      assertThat(Synthetic.auc(ctcvr, ctcvrLabel)).isGreaterThan(0.7);
    }
  }

  @Test
  void fullModelLearnsThePlantedClickStructure() {
    ModelSpec m = deepFmEsmm();
    m.interactions = new java.util.ArrayList<>(List.of("kfm", "cross", "autoint"));
    m.multitask.experts = "mmoe";
    m.multitask.numExperts = 2;
    m.multitask.balancing = "gradnorm";
    m.multitask.gradientSurgery = "pcgrad";
    Synthetic data = new Synthetic(3, true);
    try (TfRanker ranker = Rankers.create(m, training(), data.schema)) {
      Batch test = data.batch(3000);
      double oracle = Synthetic.auc(data.lastClickLogits, test.click());
      for (int step = 0; step < STEPS; step++) {
        ranker.trainStep(data.batch(256));
      }
      double after = Synthetic.auc(ranker.predict(test).get("ctr"), test.click());
      assertThat(after).as("ctr AUC %.3f (oracle %.3f)", after, oracle).isGreaterThan(0.75);
      assertThat(ranker.taskWeights().values().stream().mapToDouble(Float::doubleValue).sum())
          .isCloseTo(2.0, org.assertj.core.data.Offset.offset(1e-4));
    }
  }

  static ModelSpec full() {
    ModelSpec m = deepFmEsmm();
    m.interactions = new java.util.ArrayList<>(List.of("kfm", "cross", "autoint"));
    m.multitask.experts = "cgc";
    m.multitask.numExperts = 2;
    m.multitask.balancing = "gradnorm";
    m.multitask.gradientSurgery = "pcgrad";
    return m;
  }

  static java.util.stream.Stream<ModelSpec> specs() {
    return java.util.stream.Stream.of(deepFmEsmm(), full());
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.MethodSource("specs")
  void restoredRunContinuesExactly(ModelSpec spec, @TempDir Path dir) {
    Synthetic data = new Synthetic(5, true);
    List<Batch> batches = List.of(data.batch(64), data.batch(64), data.batch(64), data.batch(64));
    Map<String, Double> continued;
    Map<String, float[]> expected;
    try (TfRanker a = Rankers.create(spec, training(), data.schema)) {
      a.trainStep(batches.get(0));
      a.trainStep(batches.get(1));
      a.save(dir.resolve("ckpt"));
      a.trainStep(batches.get(2));
      continued = a.trainStep(batches.get(3));
      expected = a.predict(batches.get(0));
    }
    try (TfRanker b = Rankers.create(spec, training(), data.schema)) {
      b.restore(dir.resolve("ckpt"));
      b.trainStep(batches.get(2));
      Map<String, Double> resumed = b.trainStep(batches.get(3));
      assertThat(resumed).isEqualTo(continued);
      assertThat(b.predict(batches.get(0)).get("ctr")).containsExactly(expected.get("ctr"));
    }
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.MethodSource("specs")
  void sameSeedSameTraining(ModelSpec spec) {
    Synthetic data = new Synthetic(9, true);
    Batch b1 = data.batch(128);
    Batch b2 = data.batch(128);
    try (TfRanker a = Rankers.create(spec, training(), data.schema);
        TfRanker b = Rankers.create(spec, training(), data.schema)) {
      a.trainStep(b1);
      b.trainStep(b1);
      assertThat(a.trainStep(b2)).isEqualTo(b.trainStep(b2));
    }
  }
}
