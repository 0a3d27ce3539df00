package io.liverec.serving.rollout;

/** Loads and unloads model versions in the inference server (Triton's repository API). */
public interface InferenceServerControl {

  /** Asks the server to load a staged version; returns at once (loading may continue). */
  void load(String model, int version);

  LoadState state(String model, int version);

  /** Why {@code model/version} failed to load, in the server's words, when it did. */
  default java.util.Optional<String> failure(String model, int version) {
    return java.util.Optional.empty();
  }

  void unload(String model, int version);

  /** Load state of one version. */
  enum LoadState {
    ABSENT,
    LOADING,
    READY,
    FAILED
  }
}
