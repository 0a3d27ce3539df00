package io.liverec.pipelines.recall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.liverec.api.errors.LiverecException;
import io.liverec.api.v1alpha1.Task;
import io.liverec.api.v1alpha1.TrainingRun;
import io.liverec.api.v1alpha1.TrainingRunSpec;
import io.liverec.pipelines.sim.Simulations;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A recall TrainingRun on the simulator's small log: train, evaluate, export. */
class RecallTrainerTest {
  @TempDir Path dir;

  private TrainingRun run(Path log, Task task) {
    TrainingRun run = new TrainingRun();
    run.setMetadata(new ObjectMetaBuilder().withName("recall").build());
    TrainingRunSpec spec = new TrainingRunSpec();
    spec.task = task;
    spec.data.events = log.toUri().toString();
    spec.training.epochs = 4;
    spec.training.batchSize = 128;
    spec.training.learningRate = 0.01;
    spec.model.recall.temperature = 0.2;
    run.setSpec(spec);
    return run;
  }

  @Test
  void trainsOnASimulatedLogAndWritesTheServingArtifacts() {
    Path log = dir.resolve("log");
    Simulations.small(log, 5);
    RecallTrainer.Result r = RecallTrainer.run(run(log, Task.RECALL), dir.resolve("run"));
    assertThat(r.metrics().get("requests")).isPositive();
    // 60 rooms, most of them live: recall@50 is high for anything sensible; the popularity
    // anchor on the same requests bounds what "sensible" means here
    assertThat(r.metrics().get("recall@20")).isGreaterThan(0.3);
    assertThat(r.artifacts().keySet())
        .containsExactly("user_tower", "room_vectors", "index", "metrics", "report");
    r.artifacts().values().forEach(p -> assertThat(p).isRegularFile());
  }

  @Test
  void rankingRunsAreRefusedNamingTheField() {
    assertThatThrownBy(() -> RecallTrainer.run(run(dir, Task.RANKING), dir.resolve("run")))
        .isInstanceOf(LiverecException.class)
        .hasMessageContaining("spec.task");
  }
}
