package io.liverec.serving.rollout;

import io.liverec.api.v1alpha1.ModelVersionSpec;

/**
 * The model repository the inference server loads from (Triton's {@code <model>/<version>/}
 * layout). Staging makes a version available there; the Triton-repository implementation follows.
 */
public interface ModelRepository {

  /**
   * Makes {@code model/version} available from {@code source}; returns its location. Throws {@link
   * IllegalArgumentException} naming the source when it cannot be used.
   */
  String stage(String model, int version, ModelVersionSpec.Source source);

  /** Removes a staged version (no-op when absent). */
  void remove(String model, int version);
}
