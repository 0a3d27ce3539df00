package io.liverec.pipelines.pipeline;

import io.liverec.api.run.TrainingResult;
import io.liverec.api.run.TrainingRunner;
import io.liverec.api.v1alpha1.TrainingRun;
import java.nio.file.Path;

/**
 * Where a TrainingRun's training begins, in the trainer Job and in {@code liverec run}: the {@link
 * TrainingRunner} registered through {@code META-INF/services}. It picks the task's {@link Trainer}
 * from {@link Trainers}, wraps it in a {@link TrackedTrainer} (MLflow when {@code
 * MLFLOW_TRACKING_URI} is set, else local records) and returns the shared {@link TrainingResult}:
 * holdout metrics by flat name ({@code ctr_auc}, …) and {@code models:/name/version} once
 * registered, else the MLflow run or the run directory.
 */
public final class PipelineTrainingRunner implements TrainingRunner {

  @Override
  public TrainingResult train(TrainingRun run, Path workDir) {
    String root = System.getProperty("liverec.repo.root");
    Trainer trainer = Trainers.defaults().forRun(run);
    return TrackedTrainer.around(trainer, root == null ? null : Path.of(root))
        .run(run, workDir)
        .toResult();
  }
}
