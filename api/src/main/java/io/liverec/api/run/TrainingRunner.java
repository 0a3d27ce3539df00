package io.liverec.api.run;

import io.liverec.api.v1alpha1.TrainingRun;
import java.nio.file.Path;

/**
 * Runs one TrainingRun in-process (the trainer container and {@code liverec run} use it).
 * Implementations register through {@link java.util.ServiceLoader} ({@code
 * META-INF/services/io.liverec.api.run.TrainingRunner}); the pipelines module provides one.
 */
public interface TrainingRunner {

  /** Trains; {@code workDir} receives checkpoints and exported models. */
  TrainingResult train(TrainingRun run, Path workDir) throws Exception;
}
