package io.liverec.serving.rollout;

import io.liverec.serving.inference.InferenceException;
import io.liverec.serving.onnx.OnnxRuntimeBackend;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The embedded gateway's inference server control: a load opens the version's ONNX Runtime session
 * in the backend the gateway serves from (so the canary's first requests are not slowed by it), a
 * version that does not open is FAILED with ONNX Runtime's message, an unload closes it.
 */
public final class EmbeddedInferenceServer implements InferenceServerControl {
  private final OnnxRuntimeBackend backend;
  private final Map<String, String> failures = new ConcurrentHashMap<>();
  private final Map<String, Boolean> loaded = new ConcurrentHashMap<>();

  public EmbeddedInferenceServer(OnnxRuntimeBackend backend) {
    this.backend = backend;
  }

  @Override
  public void load(String model, int version) {
    String key = model + "/" + version;
    try {
      backend.load(model, version);
      failures.remove(key);
      loaded.put(key, true);
    } catch (InferenceException e) {
      loaded.remove(key);
      failures.put(key, e.getMessage());
    }
  }

  @Override
  public LoadState state(String model, int version) {
    String key = model + "/" + version;
    if (failures.containsKey(key)) {
      return LoadState.FAILED;
    }
    return loaded.containsKey(key) ? LoadState.READY : LoadState.ABSENT;
  }

  @Override
  public Optional<String> failure(String model, int version) {
    return Optional.ofNullable(failures.get(model + "/" + version));
  }

  @Override
  public void unload(String model, int version) {
    loaded.remove(model + "/" + version);
    backend.unload(model, version);
  }
}
