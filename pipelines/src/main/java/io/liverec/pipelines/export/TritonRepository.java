package io.liverec.pipelines.export;

import ai.onnx.proto.OnnxMl.TensorProto;
import io.liverec.pipelines.features.FeatureSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a ranker into a Triton model repository: {@code <repo>/<name>/config.pbtxt} (backend
 * onnxruntime, inputs and outputs without the batch axis, dynamic batching, instance group) and
 * {@code <repo>/<name>/<version>/model.onnx}, with the feature transform spec copied next to the
 * model so serving builds exactly the inputs the model was trained on.
 */
public final class TritonRepository {
  private TritonRepository() {}

  public static final String CONFIG_FILE = "config.pbtxt";
  public static final String MODEL_FILE = "model.onnx";

  /** Serving options for the generated config. */
  public record Options(
      int maxBatchSize,
      List<Integer> preferredBatchSizes,
      long maxQueueDelayMicros,
      int instanceCount,
      String instanceKind) {

    /** CPU serving defaults: batches up to 1024, preferring 256/1024, 500 µs queue, 2 instances. */
    public static Options defaults() {
      return new Options(1024, List.of(256, 1024), 500, 2, "KIND_CPU");
    }
  }

  /** The config for a schema's inputs and the given outputs (each of shape [batch]). */
  public static TritonConfig config(
      String name, FeatureSchema schema, List<String> outputs, Options o) {
    List<TritonConfig.Tensor> in = new ArrayList<>();
    for (OnnxExporter.Port p : OnnxExporter.inputs(schema)) {
      in.add(
          new TritonConfig.Tensor(p.name(), tritonType(p.type()), List.of((long) p.width()), null));
    }
    List<TritonConfig.Tensor> out = new ArrayList<>();
    for (String output : outputs) {
      // A [batch] output: dims [1] per row, reshaped to a scalar (Triton needs rank >= 1 dims).
      out.add(new TritonConfig.Tensor(output, "TYPE_FP32", List.of(1L), List.of()));
    }
    return new TritonConfig(
        name,
        "onnxruntime",
        o.maxBatchSize(),
        in,
        out,
        o.preferredBatchSizes(),
        o.maxQueueDelayMicros(),
        o.instanceCount(),
        o.instanceKind());
  }

  /**
   * Exports {@code model} as version {@code version} of model {@code name} under {@code repo}.
   *
   * @param outputs the model's output names (e.g. ctr, cvr, ctcvr)
   * @param transformSpec the fitted feature transform spec, copied into the version directory
   * @return the model directory
   */
  public static Path write(
      Path repo,
      String name,
      int version,
      OnnxModel model,
      FeatureSchema schema,
      List<String> outputs,
      Path transformSpec,
      Options options) {
    if (version <= 0) {
      throw new IllegalArgumentException("version: Triton versions are positive, got " + version);
    }
    if (transformSpec != null && !Files.isRegularFile(transformSpec)) {
      throw new IllegalArgumentException("transform spec " + transformSpec + " does not exist");
    }
    Path modelDir = repo.resolve(name);
    Path versionDir = modelDir.resolve(Integer.toString(version));
    try {
      Files.createDirectories(versionDir);
      model.exportOnnx(versionDir.resolve(MODEL_FILE));
      if (transformSpec != null) {
        Files.copy(
            transformSpec,
            versionDir.resolve(transformSpec.getFileName()),
            StandardCopyOption.REPLACE_EXISTING);
      }
      Files.writeString(
          modelDir.resolve(CONFIG_FILE),
          config(name, schema, outputs, options).toPbtxt(),
          StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write Triton model " + modelDir, e);
    }
    return modelDir;
  }

  /** Reads {@code <modelDir>/config.pbtxt}. */
  public static TritonConfig readConfig(Path modelDir) {
    Path file = modelDir.resolve(CONFIG_FILE);
    try {
      return TritonConfig.parse(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  static String tritonType(TensorProto.DataType t) {
    return switch (t) {
      case FLOAT -> "TYPE_FP32";
      case INT64 -> "TYPE_INT64";
      case INT32 -> "TYPE_INT32";
      case DOUBLE -> "TYPE_FP64";
      default -> throw new IllegalArgumentException("no Triton type for ONNX " + t);
    };
  }
}
