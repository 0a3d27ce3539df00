package io.liverec.pipelines.recall.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.liverec.api.errors.ExitCode;
import io.liverec.api.errors.LiverecException;
import io.liverec.api.v1alpha1.Task;
import io.liverec.api.v1alpha1.TrainingRun;
import io.liverec.api.v1alpha1.TrainingRunSpec;
import io.liverec.pipelines.pipeline.TrainerOutput;
import io.liverec.pipelines.sim.Simulations;
import io.liverec.pipelines.train.TrainCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

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
  void trainsOnASimulatedLogAndWritesTheServingArtifacts() throws Exception {
    Path log = dir.resolve("log");
    Simulations.small(log, 5);
    TrainerOutput r = new RecallTrainer().train(run(log, Task.RECALL), dir.resolve("run"));
    assertThat(r.metrics().get("requests")).isPositive();
    // 60 rooms, most of them live: recall@50 is high for anything sensible; the popularity
    // anchor on the same requests bounds what "sensible" means here
    assertThat(r.metrics().get("recall@20")).isGreaterThan(0.3);
    assertThat(r.artifacts().keySet())
        .containsExactly("user_tower", "room_vectors", "user_inputs", "index", "metrics", "report");
    r.artifacts().values().forEach(p -> assertThat(p).isRegularFile());
    // the exported user tower was run in ONNX Runtime against the trained one
    assertThat(r.metrics().get(io.liverec.pipelines.tracking.Gates.PARITY_METRIC))
        .isNotNull()
        .isBetween(0.0, 1e-5);
    // the user tower's output is searched against room_vectors.json: with the room prior both are
    // the PriorVectors form, two wider than the tower
    int roomDim =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(r.artifacts().get("room_vectors").toFile())
            .get("dim")
            .asInt();
    var env = ai.onnxruntime.OrtEnvironment.getEnvironment();
    try (var s = env.createSession(Files.readAllBytes(r.artifacts().get("user_tower")))) {
      var info = (ai.onnxruntime.TensorInfo) s.getOutputInfo().get("user_vector").getInfo();
      assertThat(info.getShape()[1]).isEqualTo(roomDim);
    }
  }

  @Test
  void userInputsEncodeEachUsersRecentRoomsNewestFirstAsTrainingDoes() throws Exception {
    Path log = dir.resolve("log");
    Simulations.small(log, 5);
    TrainerOutput r = new RecallTrainer().train(run(log, Task.RECALL), dir.resolve("run"));
    com.fasterxml.jackson.databind.ObjectMapper json =
        new com.fasterxml.jackson.databind.ObjectMapper();
    java.util.Set<Long> roomIds = new java.util.HashSet<>();
    json.readTree(r.artifacts().get("room_vectors").toFile())
        .get("rooms")
        .forEach(n -> roomIds.add(n.get("room_id").asLong()));
    var lines = Files.readAllLines(r.artifacts().get("user_inputs"));
    assertThat(lines).isNotEmpty();
    int withHistory = 0;
    for (String line : lines) {
      var u = json.readTree(line);
      var seq = u.get("seq");
      var recent = u.get("recent_rooms");
      // ids + 1 of distinct rooms first, then padding; recent_rooms are the same rooms' own ids
      int filled = 0;
      while (filled < seq.size() && seq.get(filled).asLong() > 0) {
        filled++;
      }
      for (int i = filled; i < seq.size(); i++) {
        assertThat(seq.get(i).asLong()).isZero();
      }
      assertThat(recent.size()).isEqualTo(filled);
      java.util.Set<Long> distinct = new java.util.HashSet<>();
      recent.forEach(x -> distinct.add(x.asLong()));
      assertThat(distinct).hasSize(filled).isSubsetOf(roomIds);
      assertThat(u.get("user_sparse").get(0).asLong()).isPositive(); // a known user, not "unknown"
      withHistory += filled > 0 ? 1 : 0;
    }
    assertThat(withHistory).isGreaterThan(lines.size() / 2);
  }

  @Test
  void liverecTrainDispatchesRecallRunsAndAppliesTheirGates() throws Exception {
    Path log = dir.resolve("log");
    Simulations.small(log, 6);
    Path yaml = dir.resolve("run.yaml");
    Files.writeString(
        yaml,
        "apiVersion: liverec.io/v1alpha1\nkind: TrainingRun\nmetadata:\n  name: rec\nspec:\n"
            + "  task: recall\n  data: {events: "
            + log
            + "}\n  training: {epochs: 1, batchSize: 128}\n"
            + "  gates: [{metric: recall@20, min: 1.01}]\n");
    int code =
        new CommandLine(new TrainCommand())
            .execute("-f", yaml.toString(), "--out", dir.resolve("runs").toString());
    assertThat(code).isEqualTo(ExitCode.GATE_FAILED);
    try (var runs = Files.list(dir.resolve("runs"))) {
      Path runDir = runs.findFirst().orElseThrow();
      assertThat(runDir.resolve("user_tower.onnx")).isRegularFile();
    }
  }

  @Test
  void rankingRunsAreRefusedNamingTheField() {
    assertThatThrownBy(() -> new RecallTrainer().train(run(dir, Task.RANKING), dir.resolve("run")))
        .isInstanceOf(LiverecException.class)
        .hasMessageContaining("spec.task");
  }
}
