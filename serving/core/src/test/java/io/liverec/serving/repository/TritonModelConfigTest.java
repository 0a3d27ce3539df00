package io.liverec.serving.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.liverec.serving.TinyModels;
import io.liverec.serving.triton.proto.DataType;
import io.liverec.serving.triton.proto.ModelConfig;
import io.liverec.serving.triton.proto.ModelInstanceGroup;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TritonModelConfigTest {
  @TempDir Path dir;

  private ModelSignature ranker() {
    return ModelSignature.read(
        TinyModels.ranker(dir.resolve("r.onnx"), TinyModels.rankerWeights(1)));
  }

  @Test
  void readsTheSignatureOfAnOnnxFile() {
    ModelSignature s = ranker();
    assertThat(s.inputs())
        .extracting(Object::toString)
        .containsExactly("sparse:INT64[-1, 3]", "dense:FP32[-1, 4]");
    assertThat(s.outputs())
        .extracting(ModelSignature.Port::name)
        .containsExactlyInAnyOrder("ctr", "cvr");
    assertThat(s.batched()).isTrue();
  }

  @Test
  void onnxruntimeConfigLeavesOutTheBatchAxisAndReshapesBatchOnlyOutputs() {
    ModelConfig c =
        TritonModelConfig.of(
            "ranker",
            ranker(),
            ServingOptions.cpu(ServingOptions.Backend.ONNXRUNTIME)
                .withVersionPolicy(ServingOptions.latest(2)));
    assertThat(c.getBackend()).isEqualTo("onnxruntime");
    assertThat(c.getMaxBatchSize()).isEqualTo(1024);
    assertThat(c.getInput(0).getName()).isEqualTo("sparse");
    assertThat(c.getInput(0).getDataType()).isEqualTo(DataType.TYPE_INT64);
    assertThat(c.getInput(0).getDimsList()).containsExactly(3L);
    assertThat(c.getInput(0).hasReshape()).isFalse();
    for (var o : c.getOutputList()) {
      assertThat(o.getDataType()).isEqualTo(DataType.TYPE_FP32);
      assertThat(o.getDimsList()).containsExactly(1L);
      assertThat(o.hasReshape()).isTrue();
      assertThat(o.getReshape().getShapeList()).isEmpty();
    }
    assertThat(c.getDynamicBatching().getPreferredBatchSizeList()).containsExactly(256, 1024);
    assertThat(c.getDynamicBatching().getMaxQueueDelayMicroseconds()).isEqualTo(500);
    assertThat(c.getInstanceGroup(0).getKind()).isEqualTo(ModelInstanceGroup.Kind.KIND_CPU);
    assertThat(c.getInstanceGroup(0).getCount()).isEqualTo(2);
    assertThat(c.getVersionPolicy().getLatest().getNumVersions()).isEqualTo(2);
    var warm = c.getModelWarmup(0);
    assertThat(warm.getBatchSize()).isEqualTo(1);
    assertThat(warm.getInputsMap()).containsOnlyKeys("sparse", "dense");
    assertThat(warm.getInputsMap().get("dense").getDimsList()).containsExactly(4L);
    assertThat(warm.getInputsMap().get("dense").getZeroData()).isTrue();
  }

  @Test
  void pythonVariantServesIdenticalTensors() {
    ModelConfig ort =
        TritonModelConfig.of("m", ranker(), ServingOptions.cpu(ServingOptions.Backend.ONNXRUNTIME));
    ModelConfig py =
        TritonModelConfig.of("m", ranker(), ServingOptions.cpu(ServingOptions.Backend.PYTHON));
    assertThat(py.getBackend()).isEqualTo("python");
    assertThat(py.getInputList()).isEqualTo(ort.getInputList());
    assertThat(py.getOutputList()).isEqualTo(ort.getOutputList());
    assertThat(TritonModelConfig.signatureDifference(ort, py))
        .hasValueSatisfying(d -> assertThat(d).contains("backend"));
  }

  @Test
  void pbtxtAndJsonRoundTripWithTritonsFieldNames() {
    ModelConfig c =
        TritonModelConfig.of(
            "ranker",
            ranker(),
            ServingOptions.cpu(ServingOptions.Backend.ONNXRUNTIME)
                .withVersionPolicy(ServingOptions.specific(1, 2)));
    String text = TritonModelConfig.toPbtxt(c);
    assertThat(text)
        .contains("backend: \"onnxruntime\"")
        .contains("max_batch_size: 1024")
        .contains("data_type: TYPE_INT64")
        .contains("reshape {")
        .contains("kind: KIND_CPU")
        .contains("max_queue_delay_microseconds: 500")
        .contains("zero_data: true");
    assertThat(TritonModelConfig.parse(text)).isEqualTo(c);
    String json = TritonModelConfig.toJson(c);
    assertThat(json)
        .contains("\"max_batch_size\":1024")
        .contains("\"data_type\":\"TYPE_FP32\"")
        .contains("\"specific\":{\"versions\":[\"1\",\"2\"]}");
    assertThat(TritonModelConfig.fromJson(json)).isEqualTo(c);
    // Triton's own config answers carry fields this subset leaves out
    assertThat(
            TritonModelConfig.fromJson(
                    "{\"name\":\"x\",\"max_batch_size\":8,\"optimization\":{\"priority\":\"PRIORITY_DEFAULT\"}}")
                .getMaxBatchSize())
        .isEqualTo(8);
    assertThat(
            TritonModelConfig.parse("name: \"x\"\nsequence_batching { }\nmax_batch_size: 4")
                .getMaxBatchSize())
        .isEqualTo(4);
  }

  @Test
  void badTextAndUnbatchableModelsAreNamed() {
    assertThatThrownBy(() -> TritonModelConfig.parse("max_batch_size: \"x\""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("config.pbtxt")
        .hasMessageContaining("1:");
    ModelSignature fixed =
        new ModelSignature(
            java.util.List.of(
                new ModelSignature.Port(
                    "x", io.liverec.serving.inference.DataType.FP32, new long[] {2, 3})),
            java.util.List.of(
                new ModelSignature.Port(
                    "y", io.liverec.serving.inference.DataType.FP32, new long[] {2})));
    assertThatThrownBy(
            () ->
                TritonModelConfig.of(
                    "m", fixed, ServingOptions.cpu(ServingOptions.Backend.ONNXRUNTIME)))
        .hasMessageContaining("batch axis");
  }
}
