package io.liverec.serving.inference;

import java.util.List;
import java.util.Map;

/**
 * Runs one version of a served model: named typed tensors in, named tensors out. Two
 * implementations: Triton over KServe v2 ({@code io.liverec.serving.triton.TritonClient}, {@code
 * TritonHttpClient}) and ONNX Runtime in-process ({@code io.liverec.serving.onnx
 * .OnnxRuntimeBackend}); the same published model directory gives both the same tensors (names,
 * types, shapes from the model's {@code config.pbtxt}).
 *
 * <p>Failures are {@link InferenceException}s: {@link ModelNotFoundException}, {@link
 * InvalidInputException}, {@link BackendUnavailableException}, {@link DeadlineExceededException},
 * {@link InferenceFailedException}.
 */
public interface InferenceBackend extends AutoCloseable {

  /**
   * Runs version {@code version} (&gt; 0) of {@code model}.
   *
   * @param outputs names of the outputs wanted; empty = all of the model's outputs
   * @return the outputs by name
   */
  Map<String, Tensor> infer(String model, int version, List<Tensor> inputs, List<String> outputs);

  /**
   * Whether version {@code version} of {@code model} can be served now: what a readiness probe asks
   * before traffic is sent. In-process backends are ready once constructed.
   */
  default boolean ready(String model, int version) {
    return true;
  }

  @Override
  default void close() {}
}
