package io.liverec.pipelines.export;

import java.nio.file.Path;

/** A trained model that can write itself as an ONNX file (what {@link TritonRepository} needs). */
@FunctionalInterface
public interface OnnxModel {

  /** Writes the model's forward pass to {@code file} in the format of {@link OnnxExporter}. */
  void exportOnnx(Path file);
}
