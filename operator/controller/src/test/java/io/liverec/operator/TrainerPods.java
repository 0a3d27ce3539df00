package io.liverec.operator;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;

/** Test pods of a training Job whose one container has terminated. */
public final class TrainerPods {
  private TrainerPods() {}

  /**
   * Pod {@code name} of Job {@code job} in {@code namespace} whose container {@code container}
   * terminated with {@code exitCode} and left {@code message} as its termination message.
   */
  public static Pod terminated(
      String namespace, String name, String job, String container, int exitCode, String message) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(namespace)
        .addToLabels("job-name", job)
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName(container)
        .withImage("x")
        .endContainer()
        .endSpec()
        .withNewStatus()
        .addNewContainerStatus()
        .withName(container)
        .withNewState()
        .withNewTerminated()
        .withExitCode(exitCode)
        .withMessage(message)
        .endTerminated()
        .endState()
        .endContainerStatus()
        .endStatus()
        .build();
  }
}
