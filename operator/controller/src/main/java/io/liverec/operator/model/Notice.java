package io.liverec.operator.model;

import io.liverec.api.v1alpha1.Reason;

/**
 * A Kubernetes Event that a reconcile should emit, decided by the pure status functions ({@link
 * TrainingProgress}, {@link FeatureViewProgress}) and emitted by the reconciler through {@code
 * EventRecorder#emit}.
 */
public record Notice(Reason reason, String message, boolean warning) {
  public static Notice normal(Reason reason, String message) {
    return new Notice(reason, message, false);
  }

  public static Notice warning(Reason reason, String message) {
    return new Notice(reason, message, true);
  }
}
