package io.liverec.serving.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.liverec.serving.TinyModels;
import io.liverec.serving.inference.InvalidInputException;
import io.liverec.serving.inference.ModelNotFoundException;
import io.liverec.serving.inference.Tensor;
import io.liverec.serving.repository.ModelRepositoryPublisher;
import io.liverec.serving.repository.ServingOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxRuntimeBackendTest {
  @TempDir Path dir;

  @Test
  void runsAPublishedVersionAsTheJavaForwardPassDoesWithTritonsShapes() {
    TinyModels.Weights w = TinyModels.rankerWeights(1);
    Path repo = dir.resolve("repo");
    new ModelRepositoryPublisher(repo)
        .publish(
            "ranker",
            1,
            TinyModels.ranker(dir.resolve("r.onnx"), w),
            Map.of(),
            ServingOptions.cpu(ServingOptions.Backend.ONNXRUNTIME));
    List<Tensor> in = TinyModels.rankerInputs(5, 7);
    try (OnnxRuntimeBackend b = new OnnxRuntimeBackend(repo, 1)) {
      Map<String, Tensor> out = b.infer("ranker", 1, in, List.of());
      assertThat(out).containsOnlyKeys("ctr", "cvr");
      float[][] expected = TinyModels.rankerForward(w, in.get(0).longs(), in.get(1).floats(), 7);
      // [batch] outputs come back as [batch, 1], as Triton serves them (dims [1], reshape [])
      assertThat(out.get("ctr").shape()).containsExactly(7, 1);
      float[] ctr = out.get("ctr").floats();
      float[] cvr = out.get("cvr").floats();
      for (int r = 0; r < 7; r++) {
        assertThat(ctr[r]).isCloseTo(expected[0][r], within(1e-6f));
        assertThat(cvr[r]).isCloseTo(expected[1][r], within(1e-6f));
      }
      assertThat(b.infer("ranker", 1, in, List.of("cvr"))).containsOnlyKeys("cvr");
    }
  }

  @Test
  void namesTheMissingModelAndTheBadTensor() {
    Path repo = dir.resolve("repo");
    new ModelRepositoryPublisher(repo)
        .publish(
            "tower",
            1,
            TinyModels.userTower(dir.resolve("t.onnx"), TinyModels.towerWeights(1)),
            Map.of(),
            ServingOptions.cpu(ServingOptions.Backend.ONNXRUNTIME));
    List<Tensor> in = TinyModels.towerInputs(1, 2);
    try (OnnxRuntimeBackend b = new OnnxRuntimeBackend(repo, 1)) {
      assertThat(b.infer("tower", 1, in, List.of()).get("user_vector").shape())
          .containsExactly(2, 8);
      assertThatThrownBy(() -> b.infer("tower", 2, in, List.of()))
          .isInstanceOf(ModelNotFoundException.class)
          .hasMessageContaining("'tower' version 2");
      assertThatThrownBy(() -> b.infer("tower", 1, List.of(in.get(0)), List.of()))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("input 'seq' is missing");
      assertThatThrownBy(
              () ->
                  b.infer(
                      "tower",
                      1,
                      List.of(in.get(0), Tensor.ofLongs("seq", new long[] {2, 4}, new long[8])),
                      List.of()))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("seq");
      assertThatThrownBy(() -> b.infer("tower", 1, in, List.of("nope")))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("unknown output 'nope'");
    }
  }
}
