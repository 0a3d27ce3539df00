package io.liverec.serving.rollout;

/** Loads and unloads model versions in the inference server (Triton's repository API). */
public interface InferenceServerControl {

  /** Asks the server to load a staged version; returns at once (loading may continue). */
  void load(String model, int version);

  LoadState state(String model, int version);

  void unload(String model, int version);

  /** Load state of one version. */
  enum LoadState {
    ABSENT,
    LOADING,
    READY,
    FAILED
  }
}
