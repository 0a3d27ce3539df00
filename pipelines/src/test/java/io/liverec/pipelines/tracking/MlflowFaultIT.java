package io.liverec.pipelines.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.liverec.registry.MlflowGateway;
import io.liverec.registry.Retry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MLflow server dies in the middle of a training: the run still completes and is kept locally,
 * and {@code sync} later uploads it exactly once (no duplicate runs or versions, even when sync
 * runs twice).
 */
class MlflowFaultIT {
  @TempDir Path serverDir;
  @TempDir Path runs;

  @Test
  void serverStoppedDuringTrainingThenSyncedExactlyOnce() throws Exception {
    Path runDir = runs.resolve("run-1");
    Files.createDirectories(runDir);
    Path onnx = Files.writeString(runDir.resolve("model.onnx"), "weights");
    try (MlflowProcess server = new MlflowProcess(serverDir)) {
      server.start();
      String uri = server.uri();
      RunTracker.Result result;
      try (RunTracker tracker =
          RunTracker.start(
              runDir,
              uri,
              new Retry(3, Duration.ofMillis(100)),
              "fault",
              "nightly",
              Map.of("liverec.spec_hash", "abc"),
              Map.of("training.epochs", "3"))) {
        tracker.logMetric("ctr_auc", 0.70, 0); // streamed live
        server.stop(); // the server dies mid-training
        tracker.logMetric("ctr_auc", 0.72, 1);
        tracker.logMetric("ctr_auc", 0.73, 2);
        tracker.logArtifact(onnx, "model");
        tracker.requestRegistration("fault-ranker", "model");
        result = tracker.finish("FINISHED");
      }
      assertThat(result.synced()).isFalse();
      assertThat(result.error()).isNotBlank();
      RunJournal journal = RunJournal.open(runDir);
      assertThat(journal.metrics()).hasSize(3);
      assertThat(journal.record().status).isEqualTo("FINISHED");
      assertThat(journal.record().sync.complete).isFalse();

      server.start(); // same store: the live part of the run is already there
      try (MlflowGateway gw = new MlflowGateway(uri, Retry.DEFAULT)) {
        MlflowSync sync = new MlflowSync(gw);
        assertThat(sync.syncAll(runs)).hasSize(1);
        // A second sync (e.g. CI retried) finds nothing to do.
        assertThat(sync.syncAll(runs)).isEmpty();
        // Even replaying a completed journal by hand changes nothing.
        sync.sync(RunJournal.open(runDir));
      }

      JsonNode runsFound = MlflowTestSupport.runsOf(uri, "fault");
      assertThat(runsFound).hasSize(1);
      String runId = runsFound.get(0).at("/info/run_id").asText();
      assertThat(runsFound.get(0).at("/info/status").asText()).isEqualTo("FINISHED");
      JsonNode history =
          MlflowTestSupport.get(uri, "metrics/get-history?run_id=" + runId + "&metric_key=ctr_auc");
      assertThat(history.path("metrics")).hasSize(3);
      JsonNode versions = MlflowTestSupport.versionsOf(uri, "fault-ranker");
      assertThat(versions).hasSize(1);
      assertThat(versions.get(0).path("run_id").asText()).isEqualTo(runId);
    }
  }
}
