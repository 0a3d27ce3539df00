package io.liverec.serving.repository;

import io.liverec.serving.triton.proto.ModelVersionPolicy;
import java.util.List;

/**
 * How a published model is served: which Triton backend runs the ONNX file, batching, instances,
 * version policy and warm-up. Written into the model's {@code config.pbtxt}.
 *
 * @param backend {@link Backend#ONNXRUNTIME} (Triton's onnxruntime backend) or {@link
 *     Backend#PYTHON} (Triton's Python backend running the same file with the onnxruntime package,
 *     for servers without the onnxruntime backend, such as the nvidia-pytriton wheel's)
 * @param maxBatchSize &gt; 0 for a model with a leading batch axis (config dims exclude it); 0 = no
 *     batching
 * @param dynamicBatching Triton's dynamic batcher combines concurrent requests (only when {@code
 *     maxBatchSize > 0})
 * @param preferredBatchSizes dynamic batching: preferred sizes (empty = as large as possible)
 * @param maxQueueDelayMicros dynamic batching: how long a request may wait for others
 * @param instanceCount model instances per device
 * @param gpu instances on GPUs ({@code KIND_GPU}) instead of CPUs
 * @param versionPolicy which versions Triton loads (null = Triton's default, the latest one)
 * @param warmup run one zero-filled batch-1 request per instance before the version is ready
 */
public record ServingOptions(
    Backend backend,
    int maxBatchSize,
    boolean dynamicBatching,
    List<Integer> preferredBatchSizes,
    long maxQueueDelayMicros,
    int instanceCount,
    boolean gpu,
    ModelVersionPolicy versionPolicy,
    boolean warmup) {

  /** The Triton backend that runs the exported ONNX file. */
  public enum Backend {
    ONNXRUNTIME("onnxruntime", "model.onnx"),
    PYTHON("python", "model.py");

    private final String tritonName;
    private final String entryFile;

    Backend(String tritonName, String entryFile) {
      this.tritonName = tritonName;
      this.entryFile = entryFile;
    }

    /** The {@code backend:} value in config.pbtxt. */
    public String tritonName() {
      return tritonName;
    }

    /** The file Triton loads from a version directory. */
    public String entryFile() {
      return entryFile;
    }
  }

  public ServingOptions {
    if (maxBatchSize < 0) {
      throw new IllegalArgumentException("maxBatchSize must be >= 0, got " + maxBatchSize);
    }
    if (instanceCount < 1) {
      throw new IllegalArgumentException("instanceCount must be >= 1, got " + instanceCount);
    }
    preferredBatchSizes = List.copyOf(preferredBatchSizes);
    for (int size : preferredBatchSizes) {
      if (size < 1 || (maxBatchSize > 0 && size > maxBatchSize)) {
        throw new IllegalArgumentException(
            "preferredBatchSizes: " + size + " is outside 1.." + maxBatchSize);
      }
    }
  }

  /**
   * CPU defaults: batches up to 1024 preferring 256 and 1024, 500 µs queue delay, 2 instances, the
   * latest version, warm-up on (the same batching as pipelines' export).
   */
  public static ServingOptions cpu(Backend backend) {
    return new ServingOptions(backend, 1024, true, List.of(256, 1024), 500, 2, false, null, true);
  }

  public ServingOptions withVersionPolicy(ModelVersionPolicy policy) {
    return with(maxBatchSize, dynamicBatching, preferredBatchSizes, instanceCount, gpu, policy);
  }

  public ServingOptions withInstances(int count, boolean onGpu) {
    return with(maxBatchSize, dynamicBatching, preferredBatchSizes, count, onGpu, versionPolicy);
  }

  /**
   * Batching: requests of up to {@code max} rows (0 = the model has no batch axis), combined by the
   * dynamic batcher when {@code dynamic}. Preferred sizes above {@code max} are dropped.
   */
  public ServingOptions withBatching(int max, boolean dynamic) {
    return with(
        max,
        dynamic,
        preferredBatchSizes.stream().filter(b -> b <= max).toList(),
        instanceCount,
        gpu,
        versionPolicy);
  }

  /** The same backend, queue delay and warm-up with the other settings replaced. */
  private ServingOptions with(
      int newMaxBatchSize,
      boolean newDynamicBatching,
      List<Integer> newPreferredBatchSizes,
      int newInstanceCount,
      boolean newGpu,
      ModelVersionPolicy newVersionPolicy) {
    return new ServingOptions(
        backend,
        newMaxBatchSize,
        newDynamicBatching,
        newPreferredBatchSizes,
        maxQueueDelayMicros,
        newInstanceCount,
        newGpu,
        newVersionPolicy,
        warmup);
  }

  /** Policy serving exactly {@code versions} (a stable version and its canary, say). */
  public static ModelVersionPolicy specific(long... versions) {
    ModelVersionPolicy.Specific.Builder s = ModelVersionPolicy.Specific.newBuilder();
    for (long v : versions) {
      s.addVersions(v);
    }
    return ModelVersionPolicy.newBuilder().setSpecific(s).build();
  }

  /** Policy serving the newest {@code n} versions. */
  public static ModelVersionPolicy latest(int n) {
    return ModelVersionPolicy.newBuilder()
        .setLatest(ModelVersionPolicy.Latest.newBuilder().setNumVersions(n))
        .build();
  }
}
