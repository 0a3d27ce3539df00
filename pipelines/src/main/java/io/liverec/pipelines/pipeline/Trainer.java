package io.liverec.pipelines.pipeline;

import io.liverec.api.v1alpha1.Task;
import io.liverec.api.v1alpha1.TrainingRun;
import io.liverec.api.v1alpha1.TrainingRunSpec;
import java.nio.file.Path;

/**
 * Trains one task of a TrainingRun into a run directory: prepare the data → fit the model →
 * evaluate it on the holdout → export the deployable artifacts. One implementation per {@link
 * Task}, registered in {@code META-INF/services/io.liverec.pipelines.pipeline.Trainer} and found by
 * {@link Trainers}; tracking and gates are added around any trainer by {@link TrackedTrainer}.
 *
 * <p>Adding a task: implement this interface in the task's package and add its registration line.
 */
public interface Trainer {

  /** The task this trainer runs ({@code spec.task}). */
  Task task();

  /**
   * Checks everything that can be checked before any data is read or any run is recorded; errors
   * name the field ({@code spec.training.epochs …}). Returns the spec with defaults filled in.
   */
  TrainingRunSpec validate(TrainingRun run);

  /** Prepares, fits, evaluates and exports; {@code runDir} receives every output. */
  TrainerOutput train(TrainingRun run, Path runDir);
}
