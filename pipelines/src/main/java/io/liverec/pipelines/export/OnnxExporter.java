package io.liverec.pipelines.export;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.liverec.pipelines.features.FeatureSchema;
import io.liverec.pipelines.ranking.RankerConfig;
import io.liverec.pipelines.ranking.RankerNet;
import io.liverec.pipelines.ranking.layers.Embeddings;
import io.liverec.pipelines.ranking.ops.OnnxOps;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Exports the ranker's forward pass as ONNX (opset {@value OnnxOps#OPSET}) by running the same
 * {@link RankerNet} code through {@link OnnxOps} with the trained variable values. Inputs follow
 * the {@link FeatureSchema}: {@code sparse} int64 [N, F], {@code dense} float [N, D], {@code seq}
 * int64 [N, L], {@code multimodal} float [N, M] (those of width 0 are left out); outputs are the
 * probabilities {@code ctr}, {@code cvr}, {@code ctcvr}, float [N]. The feature schema and the
 * output names are stored in the model's metadata ({@value #SCHEMA_METADATA_KEY}, {@value
 * #OUTPUTS_METADATA_KEY}).
 */
public final class OnnxExporter {
  private OnnxExporter() {}

  /** Symbolic name of the batch dimension. */
  public static final String BATCH_DIM = "batch";

  /** ONNX IR version written (ONNX Runtime 1.28 reads up to 10). */
  public static final long IR_VERSION = 8;

  /** Model metadata key holding the {@link FeatureSchema} as JSON (serving checks its inputs). */
  public static final String SCHEMA_METADATA_KEY = "liverec.feature_schema";

  /** Model metadata key listing the output names, comma-separated. */
  public static final String OUTPUTS_METADATA_KEY = "liverec.outputs";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The schema as stored in the model's metadata. */
  public static String schemaJson(FeatureSchema schema) {
    try {
      return JSON.writeValueAsString(schema);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Reads a schema stored by {@link #schemaJson}. */
  public static FeatureSchema schemaFromJson(String json) {
    try {
      return JSON.readValue(json, FeatureSchema.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          SCHEMA_METADATA_KEY + ": not a feature schema: " + e.getOriginalMessage(), e);
    }
  }

  /** A graph input or output: name, element type and width (0 = shape [N]). */
  public record Port(String name, TensorProto.DataType type, int width) {}

  /** The model's inputs for a schema, in graph order. */
  public static List<Port> inputs(FeatureSchema s) {
    List<Port> in = new ArrayList<>();
    if (s.numSparse() > 0) {
      in.add(new Port("sparse", TensorProto.DataType.INT64, s.numSparse()));
    }
    if (s.denseDim() > 0) {
      in.add(new Port("dense", TensorProto.DataType.FLOAT, s.denseDim()));
    }
    if (s.seqLength() > 0) {
      in.add(new Port("seq", TensorProto.DataType.INT64, s.seqLength()));
    }
    if (s.multimodalDim() > 0) {
      in.add(new Port("multimodal", TensorProto.DataType.FLOAT, s.multimodalDim()));
    }
    return in;
  }

  public static ModelProto build(RankerConfig config, Map<String, float[]> values) {
    GraphProto.Builder g = GraphProto.newBuilder().setName("liverec_ranker");
    List<Port> in = inputs(config.schema());
    for (Port p : in) {
      g.addInput(valueInfo(p));
    }
    OnnxOps ops = new OnnxOps(g, values);
    Embeddings.Inputs<String> inputs =
        new Embeddings.Inputs<>(
            has(in, "sparse"), has(in, "dense"), has(in, "seq"), has(in, "multimodal"));
    RankerNet.Outputs<String> out = RankerNet.build(ops, config, inputs);
    for (Map.Entry<String, String> e : out.probabilities().entrySet()) {
      ops.identity(e.getValue(), e.getKey());
      g.addOutput(valueInfo(new Port(e.getKey(), TensorProto.DataType.FLOAT, 0)));
    }
    return ModelProto.newBuilder()
        .setIrVersion(IR_VERSION)
        .setProducerName("liverec")
        .addMetadataProps(
            StringStringEntryProto.newBuilder()
                .setKey(SCHEMA_METADATA_KEY)
                .setValue(schemaJson(config.schema())))
        .addMetadataProps(
            StringStringEntryProto.newBuilder()
                .setKey(OUTPUTS_METADATA_KEY)
                .setValue(String.join(",", out.probabilities().keySet())))
        .setGraph(g)
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OnnxOps.OPSET))
        .build();
  }

  /** Writes the ONNX model of a trained ranker to {@code file}. */
  public static void export(RankerConfig config, Map<String, float[]> values, Path file) {
    ModelProto model = build(config, values);
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      try (OutputStream os = Files.newOutputStream(file)) {
        model.writeTo(os);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write ONNX model " + file, e);
    }
  }

  private static String has(List<Port> ports, String name) {
    return ports.stream().anyMatch(p -> p.name().equals(name)) ? name : null;
  }

  static ValueInfoProto valueInfo(Port p) {
    TensorShapeProto.Builder shape =
        TensorShapeProto.newBuilder()
            .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(BATCH_DIM));
    if (p.width() > 0) {
      shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(p.width()));
    }
    return ValueInfoProto.newBuilder()
        .setName(p.name())
        .setType(
            TypeProto.newBuilder()
                .setTensorType(
                    TypeProto.Tensor.newBuilder()
                        .setElemType(p.type().getNumber())
                        .setShape(shape)))
        .build();
  }
}
