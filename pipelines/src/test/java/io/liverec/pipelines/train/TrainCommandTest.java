package io.liverec.pipelines.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.liverec.api.errors.LiverecException;
import io.liverec.api.v1alpha1.Gate;
import io.liverec.api.v1alpha1.TrainingRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainCommandTest {
  @TempDir Path dir;

  private Path yaml(String spec) throws Exception {
    Path f = dir.resolve("run.yaml");
    Files.writeString(
        f,
        "apiVersion: liverec.io/v1alpha1\nkind: TrainingRun\nmetadata:\n  name: r\nspec:\n" + spec);
    return f;
  }

  @Test
  void readsATrainingRunYaml() throws Exception {
    TrainingRun run =
        TrainCommand.readRun(
            yaml(
                "  task: ranking\n  data: {events: /data/log, holdoutDays: 1}\n"
                    + "  model: {interactions: [kfm, cross]}\n  training: {epochs: 3}\n"));
    assertThat(run.getSpec().model.interactions).containsExactly("kfm", "cross");
    assertThat(run.getSpec().training.epochs).isEqualTo(3);
    assertThat(new RankingTrainer().validate(run).training.batchSize).isEqualTo(1024);
  }

  @Test
  void badFieldsAreNamedWithTheFile() throws Exception {
    Path f = yaml("  task: ranking\n  data: {events: /data/log}\n  training: {epochs: -1}\n");
    assertThatThrownBy(() -> TrainCommand.readRun(f))
        .isInstanceOf(LiverecException.class)
        .hasMessageContaining(f.toString())
        .hasMessageContaining("spec.training.epochs");
    Path unknown =
        yaml(
            "  task: ranking\n  data: {events: /data/log}\n  model: {interactions: [deepcross]}\n");
    assertThatThrownBy(() -> TrainCommand.readRun(unknown))
        .isInstanceOf(LiverecException.class)
        .hasMessageContaining("spec.model.interactions");
    Path recall = yaml("  task: recall\n  data: {events: /data/log}\n");
    assertThatThrownBy(() -> new RankingTrainer().validate(TrainCommand.readRun(recall)))
        .hasMessageContaining("spec.task");
  }

  @Test
  void gatesFailWhenAMetricIsOutOfBoundsOrMissing() throws Exception {
    TrainingRun run = TrainCommand.readRun(yaml("  task: ranking\n  data: {events: /data/log}\n"));
    run.getSpec().gates.add(new Gate("ctr_auc", 0.7, null));
    run.getSpec().gates.add(new Gate("ctcvr_logloss", null, 0.5));
    assertThat(TrainCommand.failedGates(run, Map.of("ctr_auc", 0.71, "ctcvr_logloss", 0.4)))
        .isEmpty();
    assertThat(TrainCommand.failedGates(run, Map.of("ctr_auc", 0.69, "ctcvr_logloss", 0.4)))
        .startsWith("ctr_auc = 0.6900 < min 0.7000");
    assertThat(TrainCommand.failedGates(run, Map.of("ctr_auc", 0.71)))
        .contains("ctcvr_logloss = missing");
  }
}
