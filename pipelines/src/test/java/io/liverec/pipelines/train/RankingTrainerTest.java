package io.liverec.pipelines.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.liverec.api.errors.LiverecException;
import io.liverec.api.v1alpha1.TrainingRun;
import io.liverec.api.v1alpha1.TrainingRunSpec;
import io.liverec.pipelines.eval.TaskMetrics;
import io.liverec.pipelines.features.TransformSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The training loop end to end with the real TF ranker on small planted data. */
class RankingTrainerTest {

  @TempDir static Path dir;
  static Path samples;

  @BeforeAll
  static void data() throws Exception {
    samples = PlantedSamples.write(dir, 24_000);
  }

  static TrainingRun run(int epochs, long seed) {
    return run(epochs, seed, samples);
  }

  static TrainingRun run(int epochs, long seed, Path samples) {
    TrainingRun run = new TrainingRun();
    run.setMetadata(new ObjectMetaBuilder().withName("planted").build());
    TrainingRunSpec spec = new TrainingRunSpec();
    spec.data.events = samples.toString();
    spec.training.epochs = epochs;
    spec.training.batchSize = 256;
    spec.training.learningRate = 0.03;
    spec.training.seed = seed;
    spec.training.earlyStoppingPatience = 0;
    spec.model.embeddingDim = 8;
    spec.model.hiddenUnits = new java.util.ArrayList<>(List.of(32));
    run.setSpec(spec);
    return run;
  }

  static RankingTrainer.Options options() {
    return RankingTrainer.Options.defaults()
        .withColumns(PlantedSamples.spec())
        .withCheckpointEverySteps(20)
        .withExport(false);
  }

  @Test
  void learnsThePlantedStructureAndWritesTheRunDirectory() throws Exception {
    Path runDir = dir.resolve("run-learn");
    RankingEvaluation r = new RankingTrainer(options().withExport(true)).rank(run(2, 7), runDir);
    TaskMetrics ctr = r.holdout().get(0);
    TaskMetrics ctcvr = r.holdout().get(2);
    assertThat(ctr.bayesAuc()).isGreaterThan(0.7);
    assertThat(ctr.auc()).isGreaterThan(0.70).isLessThanOrEqualTo(ctr.bayesAuc() + 0.02);
    assertThat(ctcvr.auc()).isGreaterThan(0.65);
    assertThat(r.history()).hasSize(2);
    RunLayout l = new RunLayout(runDir);
    assertThat(l.spec()).exists();
    assertThat(l.metrics()).content().contains("\"ctr\"", "\"bayesAuc\"");
    assertThat(l.report()).content().contains("Bayes-optimal AUC", "| ctr |", "one training epoch");
    var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(l.metrics().toFile());
    // one epoch's repair counters saw every training row once
    assertThat(json.path("trainFeatureRepairs").path("rows").asLong())
        .isEqualTo(json.path("data").path("trainRows").asLong())
        .isPositive();
    assertThat(l.onnx()).isNotEmptyFile();
    assertThat(l.triton().resolve("planted/config.pbtxt")).isNotEmptyFile();
    assertThat(l.triton().resolve("planted/1/model.onnx")).isNotEmptyFile();
    assertThat(l.triton().resolve("planted/1/transform.json")).isNotEmptyFile();
    assertThat(TransformSpec.load(l.transform()).schema().numSparse()).isEqualTo(7);
    // the export was run in ONNX Runtime on holdout rows: measured, and as close as the parity test
    assertThat(r.flatMetrics().get(io.liverec.pipelines.tracking.Gates.PARITY_METRIC))
        .isNotNull()
        .isBetween(0.0, 1e-5);
  }

  @Test
  void sameSeedGivesTheSameModelAndAnotherSeedAnother() {
    RankingEvaluation a = new RankingTrainer(options()).rank(run(1, 11), dir.resolve("det-a"));
    RankingEvaluation b = new RankingTrainer(options()).rank(run(1, 11), dir.resolve("det-b"));
    RankingEvaluation c = new RankingTrainer(options()).rank(run(1, 12), dir.resolve("det-c"));
    assertThat(b.holdout()).isEqualTo(a.holdout());
    assertThat(c.metric("ctr_logloss")).isNotEqualTo(a.metric("ctr_logloss"));
  }

  @Test
  void aRunInterruptedMidEpochResumesFromItsCheckpointToTheSameResult() {
    RankingEvaluation whole = new RankingTrainer(options()).rank(run(2, 5), dir.resolve("whole"));
    Path runDir = dir.resolve("interrupted");
    // epoch 2 has ~66 steps; crash at step 45, after the checkpoint at step 40
    RankingTrainer.Options crashing =
        options()
            .withListener(
                (epoch, step, global) -> {
                  if (epoch == 1 && step == 45) {
                    throw new IllegalStateException("simulated crash");
                  }
                });
    assertThatThrownBy(() -> new RankingTrainer(crashing).rank(run(2, 5), runDir))
        .hasMessage("simulated crash");
    TrainState saved = TrainState.read(new RunLayout(runDir).state());
    assertThat(saved.epoch()).isEqualTo(1);
    assertThat(saved.step()).isEqualTo(40);
    assertThat(new RunLayout(runDir).metrics()).doesNotExist();
    RankingEvaluation resumed = new RankingTrainer(options()).rank(run(2, 5), runDir);
    assertThat(resumed.holdout()).isEqualTo(whole.holdout());
    assertThat(resumed.history()).isEqualTo(whole.history());
  }

  @Test
  void badSpecFailsNamingTheFieldBeforeReadingData() {
    TrainingRun badModel = run(1, 1);
    badModel.getSpec().model.interactions = new java.util.ArrayList<>(List.of("fm", "xdeepfm"));
    badModel.getSpec().data.events = "/nonexistent/samples";
    assertThatThrownBy(() -> new RankingTrainer().rank(badModel, dir.resolve("bad1")))
        .isInstanceOf(LiverecException.class)
        .hasMessageContaining("model.interactions")
        .hasMessageContaining("xdeepfm");
    TrainingRun badEpochs = run(0, 1);
    assertThatThrownBy(() -> new RankingTrainer().rank(badEpochs, dir.resolve("bad2")))
        .hasMessageContaining("spec.training.epochs");
    TrainingRun noData = run(1, 1);
    noData.getSpec().data.events = dir.resolve("nothing-here").toString();
    assertThatThrownBy(() -> new RankingTrainer().rank(noData, dir.resolve("bad3")))
        .isInstanceOf(LiverecException.class)
        .hasMessageContaining("spec.data.events");
    assertThat(Files.exists(dir.resolve("bad1"))).isFalse();
  }
}
