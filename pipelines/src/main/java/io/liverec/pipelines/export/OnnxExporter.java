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
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The ONNX model format LiveRec serves, independent of the model that fills the graph (the ranker's
 * graph is built in {@code ranking.RankerOnnx}). Inputs follow the {@link FeatureSchema}: {@code
 * sparse} int64 [N, F], {@code dense} float [N, D], {@code seq} int64 [N, L], {@code multimodal}
 * float [N, M] (those of width 0 are left out); outputs are the probabilities {@code ctr}, {@code
 * cvr}, {@code ctcvr}, float [N]. The feature schema and the output names are stored in the model's
 * metadata ({@value #SCHEMA_METADATA_KEY}, {@value #OUTPUTS_METADATA_KEY}).
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

  /**
   * The model around a finished graph: IR version, producer, opset and the metadata serving reads
   * (the feature schema and the output names).
   */
  public static ModelProto model(
      GraphProto.Builder graph, FeatureSchema schema, List<String> outputs, long opset) {
    return ModelProto.newBuilder()
        .setIrVersion(IR_VERSION)
        .setProducerName("liverec")
        .addMetadataProps(
            StringStringEntryProto.newBuilder()
                .setKey(SCHEMA_METADATA_KEY)
                .setValue(schemaJson(schema)))
        .addMetadataProps(
            StringStringEntryProto.newBuilder()
                .setKey(OUTPUTS_METADATA_KEY)
                .setValue(String.join(",", outputs)))
        .setGraph(graph)
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset))
        .build();
  }

  /** Writes {@code model} to {@code file}, creating its directory. */
  public static void write(ModelProto model, Path file) {
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

  /** The graph input or output declaration of a port, batch dimension symbolic. */
  public static ValueInfoProto valueInfo(Port p) {
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
