package io.liverec.pipelines.train;

import io.liverec.api.errors.LiverecException;
import io.liverec.api.v1alpha1.TrainingRunSpec;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the samples a TrainingRun trains on from {@code spec.data.events}: a directory holding a
 * {@code samples/} table (sampler output, next to {@code rooms.parquet}), or a sample table itself.
 */
public final class SampleSources {
  private SampleSources() {}

  public static Path resolve(TrainingRunSpec spec) {
    String uri = spec.data == null ? null : spec.data.events;
    if (uri == null || uri.isBlank()) {
      throw LiverecException.badInput(
          "spec.data.events is empty: give the directory of the simulated log or of its samples");
    }
    Path p = toPath(uri);
    if (Files.isDirectory(p.resolve("samples"))) {
      return p.resolve("samples");
    }
    if (Files.isDirectory(p) && p.getFileName().toString().equals("samples")) {
      return p;
    }
    if (Files.isDirectory(p.resolve("impressions"))) {
      throw LiverecException.badInput(
          "spec.data.events "
              + uri
              + " holds raw events but no samples/ table; run the sampler first"
              + " (liverec sample) or point spec.data.events at its output");
    }
    throw LiverecException.badInput(
        "spec.data.events " + uri + ": no samples/ table found under " + p.toAbsolutePath());
  }

  static Path toPath(String uri) {
    if (uri.startsWith("file://")) {
      return Path.of(uri.substring("file://".length()));
    }
    if (uri.contains("://")) {
      throw LiverecException.badInput(
          "spec.data.events " + uri + ": the embedded trainer reads local files only (file://)");
    }
    return Path.of(uri);
  }
}
