package io.liverec.pipelines.ranking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.liverec.api.v1alpha1.ModelSpec;
import io.liverec.api.v1alpha1.TrainingSpec;
import io.liverec.pipelines.features.Batch;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Whole-model checks: gradients reach every variable, output shapes, spec validation. */
class RankerModelTest {

  static ModelSpec base() {
    ModelSpec m = new ModelSpec();
    m.embeddingDim = 4;
    m.hiddenUnits = new ArrayList<>(List.of(8, 4));
    m.multitask.numExperts = 2;
    return m;
  }

  static void check(Consumer<ModelSpec> change) {
    ModelSpec m = base();
    change.accept(m);
    Synthetic data = new Synthetic(1, true);
    Batch b = data.batch(64);
    try (TfRanker r = Rankers.create(m, new TrainingSpec(), data.schema)) {
      Map<String, Double> norms = r.gradientNorms(b);
      assertThat(norms.keySet()).containsExactlyElementsOf(r.modelVariables());
      assertThat(norms)
          .as("gradient norms for %s", m.interactions)
          .allSatisfy((name, norm) -> assertThat(norm).as(name).isGreaterThan(0.0));
      Map<String, float[]> p = r.predict(b);
      assertThat(p.keySet()).containsExactly("ctr", "cvr", "ctcvr");
      p.values().forEach(v -> assertThat(v).hasSize(64));
    }
  }

  @Test
  void everyVariableGetsAGradientWithAllInteractionsAndEsmm() {
    check(
        m -> {
          m.interactions =
              new ArrayList<>(List.of("fm", "nfm", "kfm", "cross", "autoint", "bitint"));
          m.attentionLayers = 2;
        });
  }

  @Test
  void everyVariableGetsAGradientWithSeveralContentFields() {
    check(
        m -> {
          m.interactions = new ArrayList<>(List.of("kfm", "cross", "autoint", "bitint"));
          m.crossForm = "matrix";
          m.multimodalFields = 3;
        });
  }

  @Test
  void everyVariableGetsAGradientWithTheMatrixCrossLayer() {
    check(
        m -> {
          m.interactions = new ArrayList<>(List.of("kfm", "cross"));
          m.crossForm = "matrix";
        });
  }

  @Test
  void everyVariableGetsAGradientWithMmoeGradNormAndIndependentTasks() {
    check(
        m -> {
          m.multitask.structure = "independent";
          m.multitask.experts = "mmoe";
          m.multitask.balancing = "gradnorm";
          m.kfmKernelSharing = "pair";
          m.interactions = new ArrayList<>(List.of("kfm"));
        });
  }

  @Test
  void everyVariableGetsAGradientWithCgcAndPcGrad() {
    check(
        m -> {
          m.multitask.experts = "cgc";
          m.multitask.gradientSurgery = "pcgrad";
          m.multitask.balancing = "gradnorm";
          m.kfmKernelSharing = "shared";
          m.interactions = new ArrayList<>(List.of("kfm", "autoint"));
        });
  }

  @ParameterizedTest
  @ValueSource(strings = {"variable", "row"})
  void everyVariableGetsAGradientWithPcGradAtAFinerScope(String scope) {
    check(
        m -> {
          m.multitask.experts = "cgc";
          m.multitask.gradientSurgery = "pcgrad";
          m.multitask.pcgradScope = scope;
          m.interactions = new ArrayList<>(List.of("fm"));
        });
  }

  @Test
  void validationNamesTheField() {
    assertInvalid(
        m -> m.interactions = new ArrayList<>(List.of("fm", "wide")), "model.interactions");
    assertInvalid(m -> m.kfmKernelSharing = "row", "model.kfmKernelSharing");
    assertInvalid(m -> m.crossForm = "tensor", "model.crossForm");
    assertInvalid(m -> m.multitask.experts = "ple", "model.multitask.experts");
    assertInvalid(
        m -> {
          m.multitask.tasks = new ArrayList<>(List.of("ctr"));
          m.multitask.structure = "independent";
          m.multitask.gradientSurgery = "pcgrad";
        },
        "model.multitask.gradientSurgery");
    assertInvalid(
        m -> {
          m.multitask.tasks = new ArrayList<>(List.of("ctr"));
          m.multitask.structure = "independent";
          m.multitask.experts = "cgc";
        },
        "model.multitask.experts");
    assertInvalid(
        m -> m.multitask.tasks = new ArrayList<>(List.of("ctr")), "model.multitask.structure");
    assertInvalid(
        m -> m.multitask.tasks = new ArrayList<>(List.of("ctr", "gift")), "model.multitask.tasks");
    assertInvalid(m -> m.multitask.balancing = "uncertainty", "model.multitask.balancing");
    assertInvalid(m -> m.multitask.alpha = -1.0, "model.multitask.alpha");
    assertInvalid(m -> m.hiddenUnits = new ArrayList<>(), "model.hiddenUnits");
    assertInvalid(m -> m.embeddingDim = 0, "model.embeddingDim");
    assertInvalid(m -> m.multimodalFields = 0, "model.multimodalFields");
    assertInvalid(
        m -> {
          m.multitask.gradientSurgery = "pcgrad";
          m.multitask.pcgradScope = "rows";
        },
        "model.multitask.pcgradScope");
    // a scope without the surgery it belongs to is a mistake, not silently ignored
    assertInvalid(m -> m.multitask.pcgradScope = "variable", "model.multitask.pcgradScope");
    assertInvalid(
        m -> {
          m.interactions = new ArrayList<>(List.of("cross"));
          m.crossLayers = 0;
        },
        "model.crossLayers");
  }

  @Test
  void outOfRangeIdsAndWrongWidthsNameTheBatchField() {
    Synthetic data = new Synthetic(1, true);
    try (TfRanker r = Rankers.create(base(), new TrainingSpec(), data.schema)) {
      Batch b = data.batch(4);
      b.sparse()[2][1] = Synthetic.VOCAB;
      assertThatThrownBy(() -> r.trainStep(b))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("batch.sparse[2]")
          .hasMessageContaining("'f1'");
      Batch c = data.batch(4);
      c.seq()[0][0] = -1;
      assertThatThrownBy(() -> r.predict(c)).hasMessageContaining("batch.seq[0]");
      Batch d = data.batch(4);
      d.dense()[3] = new float[] {1f};
      assertThatThrownBy(() -> r.predict(d)).hasMessageContaining("batch.dense[3]");
    }
  }

  @Test
  void validSpecPassesValidationWithoutASchema() {
    ModelSpec m = base();
    m.interactions = new ArrayList<>(List.of("kfm", "cross", "autoint"));
    m.multitask.experts = "mmoe";
    m.multitask.balancing = "gradnorm";
    m.multitask.gradientSurgery = "pcgrad";
    Rankers.validate(m, new TrainingSpec());
  }

  private static void assertInvalid(Consumer<ModelSpec> change, String field) {
    ModelSpec m = base();
    change.accept(m);
    assertThatThrownBy(() -> Rankers.validate(m, new TrainingSpec()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(field + ":");
  }
}
