package io.liverec.pipelines.ranking;

import io.liverec.pipelines.export.OnnxModel;
import io.liverec.pipelines.features.Batch;
import java.nio.file.Path;
import java.util.Map;

/**
 * A trainable multi-task ranker (TF Java graph mode), built from a {@link
 * io.liverec.pipelines.features.FeatureSchema} and the TrainingRun's model spec. Outputs are
 * probabilities named {@code ctr}, {@code cvr} and {@code ctcvr}.
 */
public interface Ranker extends AutoCloseable, OnnxModel {

  /** One optimisation step on the batch; returns the losses (at least {@code loss}, per task). */
  Map<String, Double> trainStep(Batch batch);

  /** Forward pass: output name → one probability per row. */
  Map<String, float[]> predict(Batch batch);

  /** Writes all variables (and optimizer state) so {@link #restore} continues exactly. */
  void save(Path checkpointDir);

  void restore(Path checkpointDir);

  /** Exports the forward pass as an ONNX model with the same inputs and outputs. */
  @Override
  void exportOnnx(Path onnxFile);

  @Override
  void close();
}
