package io.liverec.pipelines.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.liverec.registry.MlflowGateway;
import io.liverec.registry.Retry;
import io.liverec.testenv.TestEnv;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tracked run against the real MLflow server: params, per-epoch metrics, artifacts, registry. */
class RunTrackerIT {
  @TempDir Path runDir;

  @Test
  void runIsStreamedThenRegisteredAsChallenger() throws Exception {
    String uri = TestEnv.mlflowUri();
    String experiment = "it-tracker-" + UUID.randomUUID();
    String model = "it-ranker-" + UUID.randomUUID();
    Path onnx = Files.writeString(runDir.resolve("model.onnx"), "not really onnx");
    Path config = Files.writeString(runDir.resolve("config.pbtxt"), "name: \"ranker\"");

    RunTracker.Result result;
    try (RunTracker tracker =
        RunTracker.start(
            runDir,
            uri,
            new Retry(2, Duration.ofMillis(100)),
            experiment,
            "nightly",
            Map.of("liverec.spec_hash", "h1", "liverec.trainingrun", "default/nightly"),
            Map.of("training.epochs", "2", "model.interactions", "fm,cross"))) {
      for (int epoch = 0; epoch < 2; epoch++) {
        tracker.logMetric("train_loss", 0.5 - 0.1 * epoch, epoch);
        tracker.logMetric("ctr_auc", 0.7 + 0.02 * epoch, epoch);
      }
      tracker.logArtifact(onnx, "model/ranker/1");
      tracker.logArtifact(config, "model/ranker");
      tracker.requestRegistration(model, "model");
      result = tracker.finish("FINISHED");
    }

    assertThat(result.synced()).isTrue();
    assertThat(result.modelVersion()).isEqualTo("1");
    JsonNode run = MlflowTestSupport.get(uri, "runs/get?run_id=" + result.mlflowRunId()).get("run");
    assertThat(run.at("/info/status").asText()).isEqualTo("FINISHED");
    assertThat(run.at("/data/params").toString()).contains("fm,cross").contains("training.epochs");
    assertThat(run.at("/data/tags").toString()).contains("liverec.spec_hash");
    JsonNode history =
        MlflowTestSupport.get(
            uri, "metrics/get-history?run_id=" + result.mlflowRunId() + "&metric_key=ctr_auc");
    assertThat(history.path("metrics")).hasSize(2);

    JsonNode files =
        MlflowTestSupport.get(
            uri, "artifacts/list?run_id=" + result.mlflowRunId() + "&path=model/ranker/1");
    assertThat(files.path("files").toString()).contains("model/ranker/1/model.onnx");

    JsonNode alias =
        MlflowTestSupport.get(
            uri,
            "registered-models/alias?name=" + MlflowTestSupport.enc(model) + "&alias=challenger");
    assertThat(alias.at("/model_version/version").asText()).isEqualTo("1");
    assertThat(alias.at("/model_version/run_id").asText()).isEqualTo(result.mlflowRunId());

    // Downloading the artifact back gives the same bytes.
    try (MlflowGateway gw = new MlflowGateway(uri, Retry.DEFAULT)) {
      Path back =
          gw.downloadArtifact(
              run.at("/info/artifact_uri").asText(),
              "model/ranker/1/model.onnx",
              runDir.resolve("back.onnx"));
      assertThat(Files.readString(back)).isEqualTo("not really onnx");
    }
  }

  @Test
  void withoutTrackingUriRecordsStayLocal() {
    try (RunTracker tracker =
        RunTracker.start(runDir, null, Retry.DEFAULT, "local", "r", Map.of(), Map.of("a", "1"))) {
      tracker.logMetric("ctr_auc", 0.7, 0);
      RunTracker.Result r = tracker.finish("FINISHED");
      assertThat(r.synced()).isFalse();
      assertThat(r.error()).isNull();
    }
    RunJournal j = RunJournal.open(runDir);
    assertThat(j.record().params).containsEntry("a", "1");
    assertThat(j.metrics()).hasSize(1);
    assertThat(j.record().sync.complete).isFalse();
  }

  @Test
  void aChampionRequestedOnALocalRunMovesWhenTheRunIsSyncedAndRemembersThePreviousHolder()
      throws Exception {
    String uri = TestEnv.mlflowUri();
    String model = "it-champion-" + UUID.randomUUID();
    Retry retry = new Retry(2, Duration.ofMillis(100));
    // v1 holds champion already (a run tracked live, then asked for the alias at once)
    Path first = runDir.resolve("first");
    localRun(first, model);
    RunTracker.Result v1 = RunTracker.requestAlias(first, uri, retry, "champion");
    assertThat(v1.synced()).as(String.valueOf(v1.error())).isTrue();
    assertThat(v1.modelVersion()).isEqualTo("1");
    assertThat(championOf(uri, model)).isEqualTo("1");

    // v2 trained offline: the request waits in its journal, nothing moves
    Path second = runDir.resolve("second");
    localRun(second, model);
    RunTracker.Result pending = RunTracker.requestAlias(second, null, retry, "champion");
    assertThat(pending.synced()).isFalse();
    assertThat(RunJournal.open(second).record().aliases).containsExactly("champion");
    assertThat(championOf(uri, model)).isEqualTo("1");

    // `liverec sync` replays it: registered as v2, champion moves, v1 is remembered
    try (MlflowGateway gw = new MlflowGateway(uri, retry)) {
      new MlflowSync(gw).syncAll(runDir);
      new MlflowSync(gw).syncAll(runDir); // a second replay changes nothing
      assertThat(gw.modelTags(model)).containsEntry("liverec.previous.champion", "1");
    }
    assertThat(championOf(uri, model)).isEqualTo("2");
    assertThat(RunJournal.open(second).record().sync.complete).isTrue();
  }

  @Test
  void aRunThatAskedForNoRegistrationCannotTakeAnAlias() {
    try (RunTracker tracker =
        RunTracker.start(runDir, null, Retry.DEFAULT, "local", "r", Map.of(), Map.of())) {
      tracker.finish("FINISHED");
    }
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> RunTracker.requestAlias(runDir, null, Retry.DEFAULT, "champion"))
        .hasMessageContaining("no registration");
  }

  private static void localRun(Path dir, String model) throws Exception {
    Files.createDirectories(dir);
    Path onnx = Files.writeString(dir.resolve("model.onnx"), "not really onnx");
    try (RunTracker tracker =
        RunTracker.start(
            dir, null, Retry.DEFAULT, "it-champion", "nightly", Map.of(), Map.of("a", "1"))) {
      tracker.logMetric("ctr_auc", 0.7, 0);
      tracker.logArtifact(onnx, "model");
      tracker.requestRegistration(model, "model");
      tracker.finish("FINISHED");
    }
  }

  private static String championOf(String uri, String model) {
    return MlflowTestSupport.get(
            uri, "registered-models/alias?name=" + MlflowTestSupport.enc(model) + "&alias=champion")
        .at("/model_version/version")
        .asText();
  }
}
