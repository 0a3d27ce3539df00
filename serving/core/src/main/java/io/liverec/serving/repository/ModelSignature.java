package io.liverec.serving.repository;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.liverec.serving.inference.DataType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The inputs and outputs of an ONNX model as ONNX Runtime reads them: names, element types and
 * shapes ({@code -1} = a symbolic dimension such as the batch axis).
 */
public record ModelSignature(List<Port> inputs, List<Port> outputs) {

  /** One graph input or output. */
  public record Port(String name, DataType type, long[] shape) {
    @Override
    public String toString() {
      return name + ":" + type + Arrays.toString(shape);
    }
  }

  public ModelSignature {
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
  }

  /** True when every input and output has a leading variable (batch) dimension. */
  public boolean batched() {
    List<Port> all = new ArrayList<>(inputs);
    all.addAll(outputs);
    return all.stream().allMatch(p -> p.shape().length > 0 && p.shape()[0] == -1);
  }

  /**
   * Reads the signature of {@code onnx}.
   *
   * @throws IllegalArgumentException naming the file when it is missing or not an ONNX model, or a
   *     tensor has a type LiveRec does not serve
   */
  public static ModelSignature read(Path onnx) {
    if (!Files.isRegularFile(onnx)) {
      throw new IllegalArgumentException("ONNX model " + onnx + " does not exist");
    }
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions o = new OrtSession.SessionOptions();
        OrtSession s = env.createSession(onnx.toString(), o)) {
      return new ModelSignature(ports(onnx, s.getInputInfo()), ports(onnx, s.getOutputInfo()));
    } catch (OrtException e) {
      throw new IllegalArgumentException(
          "ONNX model " + onnx + " cannot be read: " + e.getMessage(), e);
    }
  }

  private static List<Port> ports(Path onnx, Map<String, NodeInfo> infos) {
    List<Port> out = new ArrayList<>();
    for (NodeInfo n : infos.values()) {
      if (!(n.getInfo() instanceof TensorInfo t)) {
        throw new IllegalArgumentException(
            onnx + ": " + n.getName() + " is not a tensor (" + n.getInfo() + ")");
      }
      out.add(new Port(n.getName(), type(onnx, n.getName(), t.type), t.getShape()));
    }
    return out;
  }

  public static DataType type(Path onnx, String name, OnnxJavaType t) {
    return switch (t) {
      case FLOAT -> DataType.FP32;
      case DOUBLE -> DataType.FP64;
      case INT64 -> DataType.INT64;
      case INT32 -> DataType.INT32;
      case BOOL -> DataType.BOOL;
      default ->
          throw new IllegalArgumentException(onnx + ": " + name + " has unsupported type " + t);
    };
  }
}
