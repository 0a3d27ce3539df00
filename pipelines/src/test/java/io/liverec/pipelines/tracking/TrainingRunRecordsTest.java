package io.liverec.pipelines.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.liverec.api.v1alpha1.Gate;
import io.liverec.api.v1alpha1.TrainingRun;
import io.liverec.api.v1alpha1.TrainingRunSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainingRunRecordsTest {

  @Test
  void flattensSpecToDottedParams() {
    TrainingRunSpec spec = new TrainingRunSpec();
    spec.model.interactions = List.of("kfm", "cross");
    spec.gates = List.of(new Gate("ctcvr_auc", 0.7, null));
    Map<String, String> p = TrainingRunRecords.params(spec);
    assertThat(p)
        .containsEntry("model.interactions", "kfm,cross")
        .containsEntry("model.multitask.balancing", "none")
        .containsEntry("training.batchSize", "1024")
        .containsEntry("gates.0.metric", "ctcvr_auc")
        .containsEntry("gates.0.min", "0.7")
        .containsEntry("data.sampling.strategy", "skip-above");
  }

  @Test
  void specHashIsStableAndSensitive() {
    TrainingRunSpec a = new TrainingRunSpec();
    TrainingRunSpec b = new TrainingRunSpec();
    assertThat(TrainingRunRecords.specHash(a)).isEqualTo(TrainingRunRecords.specHash(b));
    b.training.learningRate = 0.002;
    assertThat(TrainingRunRecords.specHash(a)).isNotEqualTo(TrainingRunRecords.specHash(b));
    assertThat(TrainingRunRecords.specHash(a)).hasSize(64);
  }

  @Test
  void tagsCarryLineage() {
    TrainingRun run = new TrainingRun();
    run.setMetadata(
        new ObjectMetaBuilder().withName("nightly").withNamespace("ml").withUid("u-1").build());
    TrainingRunSpec spec = new TrainingRunSpec();
    spec.data.from = "2026-11-01";
    spec.data.to = "2026-11-07";
    run.setSpec(spec);
    Map<String, String> tags = TrainingRunRecords.tags(run, null);
    assertThat(tags)
        .containsEntry(TrainingRunRecords.TAG_TRAININGRUN, "ml/nightly")
        .containsEntry(TrainingRunRecords.TAG_TRAININGRUN_UID, "u-1")
        .containsEntry(TrainingRunRecords.TAG_DATA_WINDOW, "2026-11-01..2026-11-07")
        .containsEntry(TrainingRunRecords.TAG_TASK, "ranking")
        .containsKey(TrainingRunRecords.TAG_SPEC_HASH);
  }
}
