package io.liverec.pipelines.train;

import io.liverec.api.run.TrainingResult;
import io.liverec.api.run.TrainingRunner;
import io.liverec.api.v1alpha1.Task;
import io.liverec.api.v1alpha1.TrainingRun;
import java.nio.file.Path;

/**
 * The {@link TrainingRunner} of TrainingRuns (ranking here; {@code task: recall} goes to {@link
 * io.liverec.pipelines.recall.RecallTrainer}) (registered through {@code META-INF/services}): the
 * trainer container and the embedded {@code liverec run} call it. Metrics are the holdout metrics
 * by their flat names ({@code ctr_auc}, {@code ctcvr_gauc}, …); the model URI is the exported ONNX
 * file.
 */
public final class RankingTrainingRunner implements TrainingRunner {

  @Override
  public TrainingResult train(TrainingRun run, Path workDir) {
    if (run.getSpec() != null && run.getSpec().task == Task.RECALL) {
      io.liverec.pipelines.recall.RecallTrainer.Result recall =
          io.liverec.pipelines.recall.RecallTrainer.run(run, workDir);
      TrainingResult out = new TrainingResult();
      out.metrics.putAll(recall.metrics());
      return out;
    }
    io.liverec.pipelines.train.TrainingResult r = RankingTrainer.run(run, workDir);
    TrainingResult out = new TrainingResult();
    out.metrics.putAll(r.flatMetrics());
    Path onnx = r.artifacts().get("onnx");
    out.modelUri = onnx == null ? null : onnx.toAbsolutePath().toUri().toString();
    return out;
  }
}
