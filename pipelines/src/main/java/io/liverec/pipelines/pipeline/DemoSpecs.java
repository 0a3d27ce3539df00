package io.liverec.pipelines.pipeline;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.liverec.api.v1alpha1.Task;
import io.liverec.api.v1alpha1.TrainingRun;
import io.liverec.api.v1alpha1.TrainingRunSpec;
import io.liverec.pipelines.featureviews.FeatureSnapshots;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The demo's two training runs, in one place: {@code bin/liverec demo} trains them and the scaling
 * benchmark times them, so the benchmark measures the pipeline the demo runs. Callers add what is
 * theirs (tracking, gates, holdout).
 */
public final class DemoSpecs {
  private DemoSpecs() {}

  /**
   * The ranker: ESMM over DeepFM (FM interactions, 8-dim embeddings, a 64-32 tower), two epochs,
   * with the simulator's time-varying user and room features joined as of each impression.
   */
  public static TrainingRun ranker(String name, Path events, long seed) {
    TrainingRun run = named(name);
    TrainingRunSpec spec = run.getSpec();
    spec.data.events = events.toAbsolutePath().toString();
    spec.data.featureViews =
        new ArrayList<>(List.of(FeatureSnapshots.ROOM_REALTIME, FeatureSnapshots.USER_ACTIVITY));
    spec.model.interactions = new ArrayList<>(List.of("fm"));
    spec.model.embeddingDim = 8;
    spec.model.hiddenUnits = new ArrayList<>(List.of(64, 32));
    spec.training.epochs = 2;
    spec.training.batchSize = 1024;
    spec.training.learningRate = 0.005;
    spec.training.seed = seed;
    spec.gates = new ArrayList<>();
    return run;
  }

  /**
   * The two-tower recall model with the recall ablation's settings (TwoTowerSettings.DEFAULT,
   * docs/ABLATIONS.md): the TrainingRun defaults (τ 0.05, lr 0.001, 2 layers, 2 epochs) lose to
   * popularity on the demo's world.
   */
  public static TrainingRun recall(String name, Path events, long seed) {
    TrainingRun run = named(name);
    TrainingRunSpec spec = run.getSpec();
    spec.task = Task.RECALL;
    spec.data.events = events.toAbsolutePath().toString();
    spec.model.hiddenUnits = new ArrayList<>(List.of(64));
    spec.model.recall.temperature = 0.2;
    spec.training.learningRate = 0.003;
    spec.training.epochs = 10;
    spec.training.batchSize = 512;
    spec.training.seed = seed;
    spec.gates = new ArrayList<>();
    return run;
  }

  private static TrainingRun named(String name) {
    TrainingRun run = new TrainingRun();
    run.setMetadata(new ObjectMetaBuilder().withName(name).build());
    run.setSpec(new TrainingRunSpec());
    return run;
  }
}
