package io.liverec.serving.triton;

import io.liverec.serving.inference.InferenceBackend;
import io.liverec.serving.triton.proto.ModelConfig;
import io.liverec.serving.triton.proto.ModelMetadataResponse;
import io.liverec.serving.triton.proto.ModelStatistics;
import io.liverec.serving.triton.proto.RepositoryIndexResponse;
import io.liverec.serving.triton.proto.ServerMetadataResponse;
import java.util.List;

/**
 * What LiveRec asks of a Triton server (KServe v2 plus Triton's model-repository, configuration and
 * statistics extensions), over gRPC ({@link TritonClient}) or HTTP/JSON ({@link TritonHttpClient});
 * both answer with the protocol's messages. A {@code version} of 0 means the server's choice under
 * the model's version policy.
 *
 * <p>Readiness is judged per model version ({@link #modelReady}), never from {@link
 * #serverReady()}: with Triton's default strict readiness one failed version makes the whole server
 * "not ready" (LiveRec's servers run with {@code --strict-readiness=false}).
 */
public interface TritonApi extends InferenceBackend {

  boolean serverLive();

  boolean serverReady();

  boolean modelReady(String model, int version);

  /** Triton's own readiness of the version; unreachable or failing = not ready. */
  @Override
  default boolean ready(String model, int version) {
    try {
      return modelReady(model, version);
    } catch (io.liverec.serving.inference.InferenceException e) {
      return false;
    }
  }

  ServerMetadataResponse serverMetadata();

  ModelMetadataResponse modelMetadata(String model, int version);

  ModelConfig modelConfig(String model, int version);

  /** Models and versions in the repository with their state and, when unavailable, the reason. */
  List<RepositoryIndexResponse.ModelIndex> repositoryIndex(boolean readyOnly);

  /**
   * Loads (or reloads) {@code model} from the repository; waits until Triton has finished.
   *
   * @param configOverride replaces config.pbtxt for this load (e.g. a version policy naming the
   *     stable and canary versions), or null
   * @throws ModelLoadException with Triton's message when a version fails to load
   */
  void load(String model, ModelConfig configOverride);

  void unload(String model, boolean unloadDependents);

  /** Inference statistics of {@code model} (all versions when {@code version} is 0). */
  List<ModelStatistics> statistics(String model, int version);
}
