package io.liverec.pipelines.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.liverec.api.v1alpha1.TrainingSpec;
import io.liverec.pipelines.ranking.Rankers;
import io.liverec.pipelines.ranking.TfRanker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TritonRepositoryTest {

  @Test
  void configReadBackMatchesTheOnnxGraph(@TempDir Path dir) throws Exception {
    Path transform = dir.resolve("transform.json");
    Files.writeString(transform, "{\"columns\":[]}");
    Path modelDir;
    try (TfRanker ranker =
        Rankers.create(AblationLadder.base(), new TrainingSpec(), OnnxParityTest.SCHEMA)) {
      modelDir =
          TritonRepository.write(
              dir.resolve("repo"),
              "ranker",
              3,
              ranker,
              OnnxParityTest.SCHEMA,
              List.of("ctr", "cvr", "ctcvr"),
              transform,
              TritonRepository.Options.defaults());
    }
    assertThat(modelDir.resolve("3/model.onnx")).isRegularFile();
    assertThat(modelDir.resolve("3/transform.json")).hasContent("{\"columns\":[]}");
    String text = Files.readString(modelDir.resolve("config.pbtxt"));
    assertThat(text).contains("backend: \"onnxruntime\"").contains("max_batch_size: 1024");
    TritonConfig config = TritonRepository.readConfig(modelDir);
    assertThat(config.name()).isEqualTo("ranker");
    assertThat(config.preferredBatchSizes()).containsExactly(256, 1024);
    assertThat(config.maxQueueDelayMicros()).isEqualTo(500);
    assertThat(config.instanceKind()).isEqualTo("KIND_CPU");
    assertThat(config.instanceCount()).isEqualTo(2);

    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions o = new OrtSession.SessionOptions();
        OrtSession s = env.createSession(modelDir.resolve("3/model.onnx").toString(), o)) {
      Map<String, String> meta = s.getMetadata().getCustomMetadata();
      assertThat(OnnxExporter.schemaFromJson(meta.get(OnnxExporter.SCHEMA_METADATA_KEY)))
          .isEqualTo(OnnxParityTest.SCHEMA);
      assertThat(meta.get(OnnxExporter.OUTPUTS_METADATA_KEY)).isEqualTo("ctr,cvr,ctcvr");
      assertMatches(config.inputs(), s.getInputInfo());
      assertMatches(config.outputs(), s.getOutputInfo());
    }
    for (TritonConfig.Tensor out : config.outputs()) {
      assertThat(out.dims()).containsExactly(1L);
      assertThat(out.reshape()).isEmpty();
    }
    for (TritonConfig.Tensor in : config.inputs()) {
      assertThat(in.reshape()).isNull();
    }
  }

  /** Names, element types and per-row dims (Triton dims exclude the batch; [N] is dims [1]). */
  private static void assertMatches(List<TritonConfig.Tensor> triton, Map<String, NodeInfo> onnx) {
    assertThat(triton)
        .extracting(TritonConfig.Tensor::name)
        .containsExactlyElementsOf(onnx.keySet());
    for (TritonConfig.Tensor t : triton) {
      TensorInfo info = (TensorInfo) onnx.get(t.name()).getInfo();
      long[] shape = info.getShape();
      assertThat(shape[0]).as("batch axis of %s", t.name()).isEqualTo(-1);
      List<Long> perRow = new ArrayList<>();
      for (int i = 1; i < shape.length; i++) {
        perRow.add(shape[i]);
      }
      if (perRow.isEmpty()) {
        assertThat(t.dims()).containsExactly(1L);
      } else {
        assertThat(t.dims()).as(t.name()).containsExactlyElementsOf(perRow);
      }
      String expected = info.type == OnnxJavaType.INT64 ? "TYPE_INT64" : "TYPE_FP32";
      assertThat(info.type).isIn(OnnxJavaType.INT64, OnnxJavaType.FLOAT);
      assertThat(t.dataType()).as(t.name()).isEqualTo(expected);
    }
  }

  @Test
  void parsesHandWrittenConfigsAndSkipsUnknownFields() {
    TritonConfig c =
        TritonConfig.parse(
            """
            name: "m"
            backend: "onnxruntime"
            max_batch_size: 8
            input [ { name: "sparse" data_type: TYPE_INT64 dims: [ 3 ] } ]
            output [ { name: "ctr" data_type: TYPE_FP32 dims: [ 1 ] reshape: { shape: [ ] } } ]
            model_warmup [ { name: "w" batch_size: 1 } ]
            """);
    assertThat(c.inputs().get(0).dims()).containsExactly(3L);
    assertThat(c.outputs().get(0).reshape()).isEmpty();
    assertThat(c.preferredBatchSizes()).isEmpty();
  }

  @Test
  void malformedConfigNamesTheFileFormat() {
    assertThatThrownBy(() -> TritonConfig.parse("max_batch_size: \"x\""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("config.pbtxt:");
  }
}
