package io.liverec.serving.repository;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.TextFormat;
import com.google.protobuf.util.JsonFormat;
import io.liverec.serving.inference.DataType;
import io.liverec.serving.triton.proto.ModelConfig;
import io.liverec.serving.triton.proto.ModelDynamicBatching;
import io.liverec.serving.triton.proto.ModelInput;
import io.liverec.serving.triton.proto.ModelInstanceGroup;
import io.liverec.serving.triton.proto.ModelOutput;
import io.liverec.serving.triton.proto.ModelTensorReshape;
import io.liverec.serving.triton.proto.ModelWarmup;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Triton model configurations for exported ONNX models: generated from a {@link ModelSignature} and
 * {@link ServingOptions}, written as {@code config.pbtxt} (protobuf text format) or as the JSON a
 * load request's config override takes, and parsed back. The messages are the generated classes of
 * {@code inference/model_config.proto}, so names and numbers are Triton's.
 */
public final class TritonModelConfig {
  private TritonModelConfig() {}

  public static final String FILE = "config.pbtxt";

  /**
   * The config serving {@code signature} under {@code name}. With batching, dims leave out the
   * batch axis; a tensor that is {@code [batch]} alone gets dims {@code [1]} and {@code reshape: {
   * shape: [] }} (Triton needs at least one dim), so clients see it as {@code [batch, 1]}.
   */
  public static ModelConfig of(String name, ModelSignature signature, ServingOptions o) {
    boolean batch = o.maxBatchSize() > 0;
    if (batch && !signature.batched()) {
      throw new IllegalArgumentException(
          "model "
              + name
              + ": maxBatchSize "
              + o.maxBatchSize()
              + " needs a leading batch axis on every tensor, got inputs "
              + signature.inputs()
              + " outputs "
              + signature.outputs());
    }
    ModelConfig.Builder c =
        ModelConfig.newBuilder()
            .setName(name)
            .setBackend(o.backend().tritonName())
            .setMaxBatchSize(o.maxBatchSize());
    ModelWarmup.Builder warmup =
        ModelWarmup.newBuilder().setName("zeros").setBatchSize(batch ? 1 : 0).setCount(1);
    for (ModelSignature.Port p : signature.inputs()) {
      long[] dims = dims(p, batch);
      ModelInput.Builder in = ModelInput.newBuilder().setName(p.name()).setDataType(type(p.type()));
      if (dims.length == 0) {
        in.addDims(1).setReshape(ModelTensorReshape.getDefaultInstance());
        dims = new long[] {1};
      } else {
        Arrays.stream(dims).forEach(in::addDims);
      }
      c.addInput(in);
      ModelWarmup.Input.Builder w =
          ModelWarmup.Input.newBuilder().setDataType(type(p.type())).setZeroData(true);
      Arrays.stream(dims).map(d -> d < 0 ? 1 : d).forEach(w::addDims);
      warmup.putInputs(p.name(), w.build());
    }
    for (ModelSignature.Port p : signature.outputs()) {
      long[] dims = dims(p, batch);
      ModelOutput.Builder out =
          ModelOutput.newBuilder().setName(p.name()).setDataType(type(p.type()));
      if (dims.length == 0) {
        out.addDims(1).setReshape(ModelTensorReshape.getDefaultInstance());
      } else {
        Arrays.stream(dims).forEach(out::addDims);
      }
      c.addOutput(out);
    }
    c.addInstanceGroup(
        ModelInstanceGroup.newBuilder()
            .setCount(o.instanceCount())
            .setKind(
                o.gpu() ? ModelInstanceGroup.Kind.KIND_GPU : ModelInstanceGroup.Kind.KIND_CPU));
    if (batch && o.dynamicBatching()) {
      c.setDynamicBatching(
          ModelDynamicBatching.newBuilder()
              .addAllPreferredBatchSize(o.preferredBatchSizes())
              .setMaxQueueDelayMicroseconds(o.maxQueueDelayMicros()));
    }
    if (o.versionPolicy() != null) {
      c.setVersionPolicy(o.versionPolicy());
    }
    if (o.warmup()) {
      c.addModelWarmup(warmup);
    }
    return c.build();
  }

  private static long[] dims(ModelSignature.Port p, boolean batch) {
    long[] s = p.shape();
    return batch ? Arrays.copyOfRange(s, 1, s.length) : s;
  }

  private static io.liverec.serving.triton.proto.DataType type(DataType t) {
    return io.liverec.serving.triton.proto.DataType.valueOf(t.configName());
  }

  /** {@code config.pbtxt} text. */
  public static String toPbtxt(ModelConfig config) {
    return TextFormat.printer().printToString(config);
  }

  /**
   * Parses {@code config.pbtxt} text; fields this subset of ModelConfig does not know are skipped.
   *
   * @throws IllegalArgumentException with the parser's line and column
   */
  public static ModelConfig parse(String text) {
    ModelConfig.Builder b = ModelConfig.newBuilder();
    try {
      TextFormat.Parser.newBuilder().setAllowUnknownFields(true).build().merge(text, b);
    } catch (TextFormat.ParseException e) {
      throw new IllegalArgumentException(FILE + ": " + e.getMessage(), e);
    }
    return b.build();
  }

  /** Reads {@code <modelDir>/config.pbtxt}; empty when there is none. */
  public static Optional<ModelConfig> read(Path modelDir) {
    Path file = modelDir.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(parse(Files.readString(file, StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  /** The JSON form with Triton's field names, as a load request's {@code config} takes it. */
  public static String toJson(ModelConfig config) {
    try {
      return JsonFormat.printer()
          .preservingProtoFieldNames()
          .omittingInsignificantWhitespace()
          .print(config);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Parses a ModelConfig in JSON (Triton's {@code GET /v2/models/m/config}); unknown fields
   * skipped.
   */
  public static ModelConfig fromJson(String json) {
    ModelConfig.Builder b = ModelConfig.newBuilder();
    try {
      JsonFormat.parser().ignoringUnknownFields().merge(json, b);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("model config JSON: " + e.getMessage(), e);
    }
    return b.build();
  }

  /**
   * The first difference in what clients see (backend, batching, tensor names, types, dims and
   * reshapes) between two configs of one model, or empty when they serve the same tensors.
   */
  public static Optional<String> signatureDifference(ModelConfig a, ModelConfig b) {
    if (!a.getBackend().equals(b.getBackend())) {
      return Optional.of("backend " + a.getBackend() + " vs " + b.getBackend());
    }
    if ((a.getMaxBatchSize() > 0) != (b.getMaxBatchSize() > 0)) {
      return Optional.of("max_batch_size " + a.getMaxBatchSize() + " vs " + b.getMaxBatchSize());
    }
    List<String> ai = new ArrayList<>();
    List<String> bi = new ArrayList<>();
    a.getInputList()
        .forEach(
            t ->
                ai.add(
                    describe(
                        t.getName(),
                        t.getDataType(),
                        t.getDimsList(),
                        t.hasReshape() ? t.getReshape().getShapeList().toString() : "")));
    b.getInputList()
        .forEach(
            t ->
                bi.add(
                    describe(
                        t.getName(),
                        t.getDataType(),
                        t.getDimsList(),
                        t.hasReshape() ? t.getReshape().getShapeList().toString() : "")));
    if (!ai.equals(bi)) {
      return Optional.of("inputs " + ai + " vs " + bi);
    }
    List<String> ao = new ArrayList<>();
    List<String> bo = new ArrayList<>();
    a.getOutputList()
        .forEach(
            t ->
                ao.add(
                    describe(
                        t.getName(),
                        t.getDataType(),
                        t.getDimsList(),
                        t.hasReshape() ? t.getReshape().getShapeList().toString() : "")));
    b.getOutputList()
        .forEach(
            t ->
                bo.add(
                    describe(
                        t.getName(),
                        t.getDataType(),
                        t.getDimsList(),
                        t.hasReshape() ? t.getReshape().getShapeList().toString() : "")));
    if (!ao.equals(bo)) {
      return Optional.of("outputs " + ao + " vs " + bo);
    }
    return Optional.empty();
  }

  private static String describe(
      String name, io.liverec.serving.triton.proto.DataType type, List<Long> dims, String reshape) {
    return name + ":" + type.name() + dims + (reshape.isEmpty() ? "" : " reshape " + reshape);
  }
}
