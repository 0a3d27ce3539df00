package io.liverec.serving.rollout;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The embedded server's control: a version becomes READY when loaded. Tests may mark a version as
 * failing to load ({@link #failLoading}).
 */
public final class InProcessInferenceServer implements InferenceServerControl {
  private final Map<String, LoadState> states = new ConcurrentHashMap<>();
  private final Map<String, Boolean> failing = new ConcurrentHashMap<>();

  @Override
  public void load(String model, int version) {
    states.put(
        key(model, version),
        failing.containsKey(key(model, version)) ? LoadState.FAILED : LoadState.READY);
  }

  @Override
  public LoadState state(String model, int version) {
    return states.getOrDefault(key(model, version), LoadState.ABSENT);
  }

  @Override
  public void unload(String model, int version) {
    states.remove(key(model, version));
  }

  /** Makes the next loads of {@code model/version} fail. */
  public void failLoading(String model, int version) {
    failing.put(key(model, version), true);
  }

  private static String key(String model, int version) {
    return model + "/" + version;
  }
}
