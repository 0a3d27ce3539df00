package io.liverec.pipelines.train;

import java.nio.file.Path;

/**
 * Files of one training run directory ({@code liverec-out/runs/<name>-<timestamp>/}):
 *
 * <pre>
 * spec.yaml         the TrainingRun as run
 * transform.json    the fitted feature transform (serving loads this file)
 * checkpoints/      ckpt-&lt;step&gt;/ (latest), best/ (best validation epoch), state.json
 * metrics.json      holdout metrics per task, validation history, feature repairs
 * report.md         the same, readable
 * model.onnx        the forward pass for ONNX Runtime / Triton
 * triton/           Triton model repository
 * samples/          the samples, when the run samples events itself
 * samples_pit/      the samples joined point-in-time with spec.data.featureViews (trained on)
 * </pre>
 */
public record RunLayout(Path dir) {
  public Path spec() {
    return dir.resolve("spec.yaml");
  }

  public Path transform() {
    return dir.resolve("transform.json");
  }

  public Path checkpoints() {
    return dir.resolve("checkpoints");
  }

  public Path state() {
    return checkpoints().resolve("state.json");
  }

  public Path best() {
    return checkpoints().resolve("best");
  }

  public Path metrics() {
    return dir.resolve("metrics.json");
  }

  public Path report() {
    return dir.resolve("report.md");
  }

  public Path onnx() {
    return dir.resolve("model.onnx");
  }

  public Path triton() {
    return dir.resolve("triton");
  }

  /** Where samples go when the run samples events itself. */
  public Path samples() {
    return dir.resolve("samples");
  }

  /** The samples joined point-in-time with the run's feature views: what it trains on. */
  public Path featureSamples() {
    return dir.resolve("samples_pit");
  }
}
