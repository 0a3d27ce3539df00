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
    String uri = eventsUri(spec);
    Path p = toPath(uri);
    if (Files.isDirectory(p.resolve("samples"))) {
      return p.resolve("samples");
    }
    if (Files.isDirectory(p) && p.getFileName().toString().equals("samples")) {
      return p;
    }
    throw LiverecException.badInput(
        "spec.data.events " + uri + ": no samples/ table found under " + p.toAbsolutePath());
  }

  public static String eventsUri(TrainingRunSpec spec) {
    String uri = spec.data == null ? null : spec.data.events;
    if (uri == null || uri.isBlank()) {
      throw LiverecException.badInput(
          "spec.data.events is empty: give the directory of the simulated log or of its samples");
    }
    return uri;
  }

  /** True when {@code spec.data.events} is a raw event log (has an impressions table). */
  public static boolean isEventLog(Path p) {
    return Files.isDirectory(p.resolve("impressions"));
  }

  public static Path toPath(String uri) {
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
