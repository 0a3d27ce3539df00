package io.liverec.pipelines.pipeline;

import io.liverec.pipelines.tracking.Plots;
import io.liverec.pipelines.tracking.RunTracker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/** How a {@link TrackedTrainer} records a trainer's epochs and artifacts. */
final class TrackedArtifacts {
  /** Artifact directory that becomes the registered version's source. */
  static final String MODEL_DIR = "model";

  /** Run-directory artifacts that are part of the deployable model (the rest are reports). */
  private static final Set<String> MODEL_ARTIFACTS =
      Set.of("onnx", "transform", "user_tower", "room_vectors", "index");

  private TrackedArtifacts() {}

  /**
   * Bytes of the run-directory files that {@link #log} registers under {@link #MODEL_DIR}: the
   * model artifacts and the Triton repository.
   */
  static long modelBytes(Path runDir, Map<String, Path> artifacts) {
    long bytes = 0;
    for (Map.Entry<String, Path> a : artifacts.entrySet()) {
      Path p = a.getValue();
      boolean model = MODEL_ARTIFACTS.contains(a.getKey()) || a.getKey().equals("triton");
      if (!model
          || p == null
          || !Files.exists(p)
          || !p.toAbsolutePath().startsWith(runDir.toAbsolutePath())) {
        continue;
      }
      try (Stream<Path> files = Files.walk(p)) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          bytes += Files.size(f);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("measuring the model files under " + p, e);
      }
    }
    return bytes;
  }

  /** Per-epoch metrics, plus a loss plot and a validation plot ({@code val_*}) when any. */
  static void logEpochs(RunTracker tracker, Path runDir, List<Map<String, Double>> epochs) {
    Map<String, List<Double>> loss = new LinkedHashMap<>();
    Map<String, List<Double>> validation = new LinkedHashMap<>();
    for (int epoch = 0; epoch < epochs.size(); epoch++) {
      for (Map.Entry<String, Double> m : epochs.get(epoch).entrySet()) {
        tracker.logMetric(m.getKey(), m.getValue(), epoch);
        if (m.getKey().startsWith("val_")) {
          validation.computeIfAbsent(m.getKey().substring(4), k -> new ArrayList<>());
          validation.get(m.getKey().substring(4)).add(m.getValue());
        } else {
          loss.computeIfAbsent(m.getKey(), k -> new ArrayList<>()).add(m.getValue());
        }
      }
    }
    if (epochs.isEmpty()) {
      return;
    }
    Path plots = runDir.resolve("plots");
    tracker.logArtifact(Plots.curves(plots.resolve("loss.png"), "train loss", loss), "plots");
    tracker.logArtifact(
        Plots.curves(plots.resolve("validation_auc.png"), "validation AUC", validation), "plots");
  }

  /** The run's own outputs: model files under {@link #MODEL_DIR}, plots and reports beside. */
  static void log(RunTracker tracker, Path runDir, Map<String, Path> artifacts) {
    for (Map.Entry<String, Path> a : artifacts.entrySet()) {
      Path p = a.getValue();
      if (p == null || !p.toAbsolutePath().startsWith(runDir.toAbsolutePath())) {
        continue; // only the run's own outputs are uploaded
      }
      boolean model = MODEL_ARTIFACTS.contains(a.getKey());
      if (Files.isRegularFile(p)) {
        tracker.logArtifact(p, model ? MODEL_DIR : a.getKey().startsWith("plot") ? "plots" : "");
      } else if (Files.isDirectory(p) && !a.getKey().equals("checkpoint")) {
        String base = (model || a.getKey().equals("triton") ? MODEL_DIR + "/" : "") + a.getKey();
        logTree(tracker, p, base);
      }
    }
    for (String report : List.of("sample-report.json", "sample-report.md")) {
      Path f = runDir.resolve("samples").resolve(report);
      if (Files.isRegularFile(f)) {
        tracker.logArtifact(f, "sampling");
      }
    }
  }

  private static void logTree(RunTracker tracker, Path dir, String base) {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
        Path rel = dir.relativize(f).getParent();
        tracker.logArtifact(f, base + (rel == null ? "" : "/" + rel));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
