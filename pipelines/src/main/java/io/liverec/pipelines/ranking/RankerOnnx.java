package io.liverec.pipelines.ranking;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import io.liverec.pipelines.export.OnnxExporter;
import io.liverec.pipelines.export.OnnxExporter.Port;
import io.liverec.pipelines.nn.Embeddings;
import io.liverec.pipelines.nn.OnnxOps;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The ranker's forward pass as ONNX (opset {@value OnnxOps#OPSET}): the same {@link RankerNet} code
 * run through {@link OnnxOps} with the trained variable values, in the model format of {@link
 * OnnxExporter} (inputs from the feature schema, outputs {@code ctr}, {@code cvr}, {@code ctcvr}).
 */
public final class RankerOnnx {
  private RankerOnnx() {}

  public static ModelProto build(RankerConfig config, Map<String, float[]> values) {
    GraphProto.Builder g = GraphProto.newBuilder().setName("liverec_ranker");
    List<Port> in = OnnxExporter.inputs(config.schema());
    for (Port p : in) {
      g.addInput(OnnxExporter.valueInfo(p));
    }
    OnnxOps ops = new OnnxOps(g, values);
    Embeddings.Inputs<String> inputs =
        new Embeddings.Inputs<>(
            has(in, "sparse"), has(in, "dense"), has(in, "seq"), has(in, "multimodal"));
    RankerNet.Outputs<String> out = RankerNet.build(ops, config, inputs);
    for (Map.Entry<String, String> e : out.probabilities().entrySet()) {
      ops.identity(e.getValue(), e.getKey());
      g.addOutput(OnnxExporter.valueInfo(new Port(e.getKey(), TensorProto.DataType.FLOAT, 0)));
    }
    return OnnxExporter.model(
        g, config.schema(), new ArrayList<>(out.probabilities().keySet()), OnnxOps.OPSET);
  }

  /** Writes the ONNX model of a trained ranker to {@code file}. */
  public static void export(RankerConfig config, Map<String, float[]> values, Path file) {
    OnnxExporter.write(build(config, values), file);
  }

  private static String has(List<Port> ports, String name) {
    return ports.stream().anyMatch(p -> p.name().equals(name)) ? name : null;
  }
}
