package io.liverec.pipelines.train;

import io.liverec.api.run.TrainingResult;
import io.liverec.api.run.TrainingRunner;
import io.liverec.api.v1alpha1.TrainingRun;
import io.liverec.pipelines.tracking.TrackedTraining;
import java.nio.file.Path;

/**
 * The {@link TrainingRunner} of TrainingRuns (registered through {@code META-INF/services}): the
 * trainer container and the embedded {@code liverec run} call it. Ranking and recall both go
 * through {@link TrackedTraining}, so every run is recorded (in MLflow when {@code
 * MLFLOW_TRACKING_URI} is set) and registered as {@code challenger} when its gates pass. Metrics
 * are the holdout metrics by their flat names ({@code ctr_auc}, {@code ctcvr_gauc}, …); the model
 * URI is {@code models:/name/version} once registered, else the MLflow run or the run directory.
 */
public final class RankingTrainingRunner implements TrainingRunner {

  @Override
  public TrainingResult train(TrainingRun run, Path workDir) {
    String root = System.getProperty("liverec.repo.root");
    TrackedTraining.Outcome o =
        TrackedTraining.run(run, workDir, root == null ? null : Path.of(root));
    TrainingResult out = new TrainingResult();
    o.metrics()
        .forEach(
            (k, v) -> {
              if (v != null && Double.isFinite(v)) {
                out.metrics.put(k, v);
              }
            });
    out.mlflowRunId = o.tracking().mlflowRunId();
    out.modelVersion = o.tracking().modelVersion();
    out.modelUri = o.modelUri();
    out.trackingError = o.tracking().error();
    return out;
  }
}
