package io.liverec.pipelines.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.liverec.api.v1alpha1.Gate;
import io.liverec.api.v1alpha1.TrainingRun;
import io.liverec.api.v1alpha1.TrainingRunSpec;
import io.liverec.pipelines.pipeline.TrackedTrainer;
import io.liverec.pipelines.pipeline.Trainers;
import io.liverec.pipelines.sampling.DuckDbSampler;
import io.liverec.pipelines.sampling.SamplingOptions;
import io.liverec.pipelines.sim.Simulations;
import io.liverec.pipelines.train.RankingTrainer;
import io.liverec.registry.MlflowGateway;
import io.liverec.registry.Retry;
import io.liverec.testenv.TestEnv;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A small real training (simulate → sample → train → export) tracked in the real MLflow server:
 * params, per-epoch metrics, artifacts (the downloaded ONNX runs in ONNX Runtime) and a registered
 * version with alias {@code challenger}; a failing gate registers nothing.
 */
class TrackedTrainerIT {
  @TempDir static Path dir;
  static Path events;

  @BeforeAll
  static void simulateAndSample() {
    events = dir.resolve("events");
    Simulations.small(events, 3);
    new DuckDbSampler()
        .sample(events, events.resolve("samples"), SamplingOptions.defaults(), d -> {});
  }

  static TrainingRun run(String model, List<Gate> gates) {
    TrainingRun run = new TrainingRun();
    run.setMetadata(new ObjectMetaBuilder().withName("it-ranker").withNamespace("ml").build());
    TrainingRunSpec spec = new TrainingRunSpec();
    spec.data.events = events.toString();
    spec.training.epochs = 2;
    spec.training.batchSize = 256;
    spec.training.learningRate = 0.01;
    spec.training.earlyStoppingPatience = 0;
    spec.model.embeddingDim = 8;
    spec.model.hiddenUnits = new ArrayList<>(List.of(16));
    spec.tracking.experiment = "it-tracked-" + UUID.randomUUID();
    spec.tracking.registeredModel = model;
    spec.gates = gates;
    run.setSpec(spec);
    return run;
  }

  @Test
  void trainingIsTrackedAndRegisteredAsChallenger() throws Exception {
    String uri = TestEnv.mlflowUri();
    String model = "it-tracked-" + UUID.randomUUID();
    Path runDir = dir.resolve("run-ok");
    TrainingRun training = run(model, List.of(new Gate("ctr_auc", 0.55, null)));
    TrackedTrainer.Outcome o =
        track(training, RankingTrainer.Options.defaults()).run(training, runDir);

    assertThat(o.gatesPassed()).as(String.join("; ", o.gateFailures())).isTrue();
    assertThat(o.tracking().synced()).as(o.tracking().error()).isTrue();
    assertThat(o.tracking().modelVersion()).isEqualTo("1");
    String runId = o.tracking().mlflowRunId();

    JsonNode run = MlflowTestSupport.get(uri, "runs/get?run_id=" + runId).get("run");
    assertThat(run.at("/data/params").toString())
        .contains("model.interactions")
        .contains("training.epochs");
    assertThat(run.at("/data/tags").toString())
        .contains(TrainingRunRecords.TAG_SPEC_HASH)
        .contains("ml/it-ranker");
    assertThat(run.at("/data/metrics").toString()).contains("ctcvr_auc").contains("ctr_gauc");
    for (String metric : List.of("train_loss", "val_ctr_auc")) {
      JsonNode h =
          MlflowTestSupport.get(
              uri, "metrics/get-history?run_id=" + runId + "&metric_key=" + metric);
      assertThat(h.path("metrics")).as(metric).hasSizeGreaterThanOrEqualTo(2);
    }
    JsonNode files = MlflowTestSupport.get(uri, "artifacts/list?run_id=" + runId + "&path=model");
    assertThat(files.path("files").toString()).contains("model/model.onnx").contains("transform");
    JsonNode plots = MlflowTestSupport.get(uri, "artifacts/list?run_id=" + runId + "&path=plots");
    assertThat(plots.path("files").toString()).contains("loss.png").contains("roc.png");

    JsonNode alias =
        MlflowTestSupport.get(
            uri,
            "registered-models/alias?name=" + MlflowTestSupport.enc(model) + "&alias=challenger");
    assertThat(alias.at("/model_version/run_id").asText()).isEqualTo(runId);

    // The registered model's ONNX, downloaded from MLflow, runs in ONNX Runtime.
    Path onnx;
    try (MlflowGateway gw = new MlflowGateway(uri, Retry.DEFAULT)) {
      onnx =
          gw.downloadArtifact(
              run.at("/info/artifact_uri").asText(),
              "model/model.onnx",
              dir.resolve("downloaded.onnx"));
    }
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession session = env.createSession(onnx.toString())) {
      Map<String, OnnxTensor> inputs = new HashMap<>();
      try {
        for (var e : session.getInputInfo().entrySet()) {
          var info = (ai.onnxruntime.TensorInfo) e.getValue().getInfo();
          long[] shape = info.getShape().clone();
          shape[0] = 4;
          for (int i = 1; i < shape.length; i++) {
            shape[i] = Math.max(shape[i], 1);
          }
          int n = 1;
          for (long s : shape) {
            n *= (int) s;
          }
          OnnxTensor t =
              info.type == ai.onnxruntime.OnnxJavaType.INT64
                  ? OnnxTensor.createTensor(env, java.nio.LongBuffer.allocate(n), shape)
                  : OnnxTensor.createTensor(env, java.nio.FloatBuffer.allocate(n), shape);
          inputs.put(e.getKey(), t);
        }
        try (OrtSession.Result r = session.run(inputs)) {
          float[] ctcvr = flat(r.get("ctcvr").orElseThrow().getValue());
          assertThat(ctcvr).hasSize(4);
          for (float p : ctcvr) {
            assertThat(p).isBetween(0f, 1f);
          }
        }
      } finally {
        inputs.values().forEach(OnnxTensor::close);
      }
    }
  }

  @Test
  void failingGateRegistersNothing() {
    String uri = TestEnv.mlflowUri();
    String model = "it-gated-" + UUID.randomUUID();
    TrainingRun run = run(model, List.of(new Gate("ctr_auc", 0.999, null)));
    TrackedTrainer.Outcome o =
        track(run, RankingTrainer.Options.defaults().withExport(false))
            .run(run, dir.resolve("run-gated"));
    assertThat(o.gatesPassed()).isFalse();
    assertThat(o.gateFailures().get(0)).contains("ctr_auc").contains("< min 0.9990");
    // the result the Job reports carries them, so the operator can say which gate failed
    assertThat(o.toResult().gateFailures).containsExactlyElementsOf(o.gateFailures());
    assertThat(o.toResult().modelVersion).isNull();
    assertThat(o.tracking().synced()).isTrue();
    assertThat(o.tracking().modelVersion()).isNull();
    assertThat(MlflowTestSupport.versionsOf(uri, model)).isEmpty();
  }

  /**
   * The release gates on the real server: with no champion the run passes (parity and size measured
   * and recorded); once a champion far better than this model holds the alias, the same run fails
   * the no-regression gate alone and registers nothing.
   */
  @Test
  void noRegressionAgainstTheRealChampionDecidesRegistration() {
    String uri = TestEnv.mlflowUri();
    String model = "it-release-" + UUID.randomUUID();
    TrainingRun run = run(model, List.of(new Gate("ctr_auc", 0.55, null)));
    run.getSpec().releaseGates = new io.liverec.api.v1alpha1.ReleaseGates();
    run.getSpec().releaseGates.noRegression =
        new io.liverec.api.v1alpha1.ReleaseGates.NoRegression();
    run.getSpec().releaseGates.noRegression.tolerance = 0.005;
    run.getSpec().releaseGates.noRegression.metrics = List.of("ctr_auc");
    run.getSpec().releaseGates.maxParityError = 1e-4;
    run.getSpec().releaseGates.maxModelBytes = 512L << 20;

    TrackedTrainer.Outcome first =
        track(run, RankingTrainer.Options.defaults()).run(run, dir.resolve("run-release-1"));
    assertThat(first.gatesPassed()).as(String.join("; ", first.gateFailures())).isTrue();
    assertThat(first.tracking().modelVersion()).isEqualTo("1");
    JsonNode metrics =
        MlflowTestSupport.get(uri, "runs/get?run_id=" + first.tracking().mlflowRunId())
            .at("/run/data/metrics");
    assertThat(metrics.toString()).contains(Gates.PARITY_METRIC).contains(Gates.SIZE_METRIC);

    // a champion whose ctr_auc this small model cannot reach
    try (RunTracker t =
            RunTracker.start(
                dir.resolve("run-champion"),
                uri,
                Retry.DEFAULT,
                "it-champion",
                "c",
                Map.of(),
                Map.of());
        MlflowGateway gw = new MlflowGateway(uri, Retry.DEFAULT)) {
      t.logMetric("ctr_auc", 0.999, 0);
      t.requestRegistration(model, "model");
      String v = t.finish("FINISHED").modelVersion();
      gw.setAlias(model, "champion", v);
    }
    TrackedTrainer.Outcome second =
        track(run, RankingTrainer.Options.defaults()).run(run, dir.resolve("run-release-2"));
    assertThat(second.gateFailures())
        .singleElement()
        .asString()
        .startsWith("no regression on ctr_auc vs champion v2")
        .contains("short by");
    assertThat(second.tracking().modelVersion()).isNull();
    assertThat(MlflowTestSupport.versionsOf(uri, model)).hasSize(2);
  }

  @Test
  void recallRunIsTrackedWithMlflowSafeMetricNames() {
    String uri = TestEnv.mlflowUri();
    TrainingRun run = run("it-recall-" + UUID.randomUUID(), List.of());
    run.getSpec().task = io.liverec.api.v1alpha1.Task.RECALL;
    run.getSpec().model.interactions = new ArrayList<>();
    TrackedTrainer.Outcome o =
        track(run, RankingTrainer.Options.defaults()).run(run, dir.resolve("run-recall"));
    assertThat(o.tracking().synced()).as(o.tracking().error()).isTrue();
    assertThat(o.tracking().modelVersion()).isEqualTo("1");
    JsonNode metrics =
        MlflowTestSupport.get(uri, "runs/get?run_id=" + o.tracking().mlflowRunId())
            .at("/run/data/metrics");
    assertThat(metrics.toString()).contains("recall_at_100").doesNotContain("@");
    JsonNode files =
        MlflowTestSupport.get(
            uri, "artifacts/list?run_id=" + o.tracking().mlflowRunId() + "&path=model");
    assertThat(files.path("files").toString()).contains("user_tower.onnx");
  }

  /** The run's trainer from the registry (ranking with {@code ranking}), tracked in MLflow. */
  private static TrackedTrainer track(TrainingRun run, RankingTrainer.Options ranking) {
    return new TrackedTrainer(
        Trainers.defaults().with(new RankingTrainer(ranking)).forRun(run),
        TestEnv.mlflowUri(),
        Retry.DEFAULT,
        null);
  }

  private static float[] flat(Object value) {
    if (value instanceof float[] f) {
      return f;
    }
    float[][] m = (float[][]) value;
    float[] out = new float[m.length];
    for (int i = 0; i < m.length; i++) {
      out[i] = m[i][0];
    }
    return out;
  }
}
