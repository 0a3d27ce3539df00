package io.liverec.pipelines.pipeline;

import io.liverec.api.v1alpha1.Task;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a {@link Trainer} produced, in the terms every task shares.
 *
 * @param task the task that ran
 * @param runDir the run directory
 * @param metrics final (holdout) metrics by flat name, e.g. {@code ctcvr_auc}
 * @param artifacts run-directory outputs by name ({@code onnx}, {@code triton}, {@code report}, …)
 * @param epochs per-epoch metrics by name ({@code train_loss}, {@code val_ctr_auc}, …), in epoch
 *     order; empty when the task has no epoch curve to record
 * @param bestEpoch the epoch that was evaluated and exported (0 when not applicable)
 * @param details the task's own full result (e.g. the ranking evaluation), or null
 */
public record TrainerOutput(
    Task task,
    Path runDir,
    Map<String, Double> metrics,
    Map<String, Path> artifacts,
    List<Map<String, Double>> epochs,
    int bestEpoch,
    Object details) {

  /** The task's own result when it is of {@code type}. */
  public <T> Optional<T> details(Class<T> type) {
    return type.isInstance(details) ? Optional.of(type.cast(details)) : Optional.empty();
  }
}
