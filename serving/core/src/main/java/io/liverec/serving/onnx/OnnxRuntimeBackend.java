package io.liverec.serving.onnx;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.liverec.serving.inference.DataType;
import io.liverec.serving.inference.InferenceBackend;
import io.liverec.serving.inference.InferenceFailedException;
import io.liverec.serving.inference.InvalidInputException;
import io.liverec.serving.inference.ModelNotFoundException;
import io.liverec.serving.inference.Tensor;
import io.liverec.serving.repository.TritonModelConfig;
import io.liverec.serving.triton.proto.ModelConfig;
import io.liverec.serving.triton.proto.ModelOutput;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The embedded backend: runs {@code <repository>/<model>/<version>/model.onnx} with ONNX Runtime in
 * this JVM, from the same Triton repository the server loads. Outputs take the shapes Triton would
 * give clients: with a {@code config.pbtxt}, an output reshaped from {@code [batch]} comes back as
 * {@code [batch, 1]}. Sessions are opened on first use and kept until {@link #close()}.
 */
public final class OnnxRuntimeBackend implements InferenceBackend {
  private static final String CALL = "onnxruntime infer";

  private final Path repository;
  private final int intraOpThreads;
  private final OrtEnvironment env = OrtEnvironment.getEnvironment();
  private final Map<String, Loaded> sessions = new ConcurrentHashMap<>();

  private record Loaded(OrtSession session, Map<String, long[]> servedDims) {}

  /**
   * @param intraOpThreads ONNX Runtime threads per session (0 = ONNX Runtime's default)
   */
  public OnnxRuntimeBackend(Path repository, int intraOpThreads) {
    this.repository = repository.toAbsolutePath();
    this.intraOpThreads = intraOpThreads;
  }

  @Override
  public Map<String, Tensor> infer(
      String model, int version, List<Tensor> inputs, List<String> outputs) {
    Loaded loaded = sessions.computeIfAbsent(model + "/" + version, k -> open(model, version));
    OrtSession s = loaded.session();
    Map<String, OnnxTensor> feeds = new HashMap<>();
    try {
      for (Tensor t : inputs) {
        if (!s.getInputNames().contains(t.name())) {
          throw new InvalidInputException(
              CALL + " " + model + "/" + version,
              "unexpected input '" + t.name() + "' (model inputs: " + s.getInputNames() + ")",
              null);
        }
        feeds.put(t.name(), onnx(t));
      }
      for (String name : s.getInputNames()) {
        if (!feeds.containsKey(name)) {
          throw new InvalidInputException(
              CALL + " " + model + "/" + version, "input '" + name + "' is missing", null);
        }
      }
      List<String> wanted = outputs.isEmpty() ? new ArrayList<>(s.getOutputNames()) : outputs;
      for (String name : wanted) {
        if (!s.getOutputNames().contains(name)) {
          throw new InvalidInputException(
              CALL + " " + model + "/" + version,
              "unknown output '" + name + "' (model outputs: " + s.getOutputNames() + ")",
              null);
        }
      }
      Map<String, Tensor> out = new LinkedHashMap<>();
      try (OrtSession.Result r = s.run(feeds, new java.util.LinkedHashSet<>(wanted))) {
        for (String name : wanted) {
          Optional<OnnxValue> v = r.get(name);
          out.put(name, tensor(name, (OnnxTensor) v.orElseThrow(), loaded.servedDims().get(name)));
        }
      }
      return out;
    } catch (OrtException e) {
      if (e.getCode() == OrtException.OrtErrorCode.ORT_INVALID_ARGUMENT) {
        throw new InvalidInputException(CALL + " " + model + "/" + version, e.getMessage(), e);
      }
      throw new InferenceFailedException(CALL + " " + model + "/" + version, e.getMessage(), e);
    } finally {
      feeds.values().forEach(OnnxTensor::close);
    }
  }

  private Loaded open(String model, int version) {
    Path file = repository.resolve(model).resolve(Integer.toString(version)).resolve("model.onnx");
    if (!Files.isRegularFile(file)) {
      throw new ModelNotFoundException(
          CALL, "model '" + model + "' version " + version + " is not in " + repository, null);
    }
    Map<String, long[]> dims = new HashMap<>();
    Optional<ModelConfig> config = TritonModelConfig.read(repository.resolve(model));
    if (config.isPresent() && config.get().getMaxBatchSize() > 0) {
      for (ModelOutput o : config.get().getOutputList()) {
        dims.put(o.getName(), o.getDimsList().stream().mapToLong(Long::longValue).toArray());
      }
    }
    try {
      OrtSession.SessionOptions o = new OrtSession.SessionOptions();
      if (intraOpThreads > 0) {
        o.setIntraOpNumThreads(intraOpThreads);
      }
      return new Loaded(env.createSession(file.toString(), o), dims);
    } catch (OrtException e) {
      throw new InferenceFailedException(CALL, "cannot open " + file + ": " + e.getMessage(), e);
    }
  }

  private OnnxTensor onnx(Tensor t) throws OrtException {
    ByteBuffer b = t.data();
    long[] shape = t.shape();
    return switch (t.type()) {
      case FP32 -> OnnxTensor.createTensor(env, b.asFloatBuffer(), shape);
      case FP64 -> OnnxTensor.createTensor(env, b.asDoubleBuffer(), shape);
      case INT64 -> OnnxTensor.createTensor(env, b.asLongBuffer(), shape);
      case INT32 -> OnnxTensor.createTensor(env, b.asIntBuffer(), shape);
      case BOOL -> OnnxTensor.createTensor(env, copy(b), shape, OnnxJavaType.BOOL);
    };
  }

  private static ByteBuffer copy(ByteBuffer b) {
    ByteBuffer d = ByteBuffer.allocateDirect(b.remaining()).order(ByteOrder.nativeOrder());
    d.put(b.duplicate());
    return d.flip();
  }

  /** Reads an ONNX Runtime output; applies the served dims ([batch] → [batch, 1]). */
  private static Tensor tensor(String name, OnnxTensor v, long[] servedDims) {
    TensorInfo info = v.getInfo();
    long[] shape = info.getShape();
    if (servedDims != null && shape.length > 0) {
      long[] served = new long[servedDims.length + 1];
      served[0] = shape[0];
      System.arraycopy(servedDims, 0, served, 1, servedDims.length);
      long count = 1;
      for (long d : served) {
        count *= d < 0 ? 1 : d;
      }
      if (count == info.getNumElements() && java.util.Arrays.stream(served).allMatch(d -> d >= 0)) {
        shape = served;
      }
    }
    DataType type = io.liverec.serving.repository.ModelSignature.type(null, name, info.type);
    ByteBuffer raw =
        ByteBuffer.allocate((int) info.getNumElements() * type.byteSize())
            .order(ByteOrder.LITTLE_ENDIAN);
    switch (type) {
      case FP32 -> raw.asFloatBuffer().put(v.getFloatBuffer());
      case FP64 -> raw.asDoubleBuffer().put(v.getDoubleBuffer());
      case INT64 -> raw.asLongBuffer().put(v.getLongBuffer());
      case INT32 -> raw.asIntBuffer().put(v.getIntBuffer());
      case BOOL -> raw.put(v.getByteBuffer());
    }
    return Tensor.ofRaw(name, type, shape, raw.array());
  }

  /**
   * Opens {@code model/version} now, so its first request does not pay for it (what a load is on an
   * inference server).
   *
   * @throws io.liverec.serving.inference.InferenceException when the version is missing or does not
   *     open
   */
  public void load(String model, int version) {
    sessions.computeIfAbsent(model + "/" + version, k -> open(model, version));
  }

  /** Closes {@code model/version}; a later request opens it again. */
  public void unload(String model, int version) {
    Loaded l = sessions.remove(model + "/" + version);
    if (l != null) {
      try {
        l.session().close();
      } catch (OrtException e) {
        // the session is gone either way
      }
    }
  }

  @Override
  public void close() {
    for (Loaded l : sessions.values()) {
      try {
        l.session().close();
      } catch (OrtException e) {
        // closing native sessions at shutdown: nothing left to do with the error
      }
    }
    sessions.clear();
  }
}
