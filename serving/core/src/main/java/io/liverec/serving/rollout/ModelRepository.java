package io.liverec.serving.rollout;

import io.liverec.api.v1alpha1.ModelVersionSpec;

/**
 * The model repository the inference server loads from (Triton's {@code <model>/<version>/}
 * layout). Staging makes a version available there: in memory ({@link InProcessModelRepository}) or
 * in a real Triton repository ({@link TritonModelRepository}).
 */
public interface ModelRepository {

  /**
   * Makes {@code spec.model/spec.version} available from {@code spec.source}, served as {@code
   * spec.triton} says; returns its location. Staging a version that is already there is a no-op
   * (versions are immutable). Throws {@link IllegalArgumentException} naming the field when the
   * source cannot be used.
   */
  String stage(ModelVersionSpec spec);

  /** Removes a staged version (no-op when absent). */
  void remove(String model, int version);
}
