package io.liverec.pipelines.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.liverec.api.v1alpha1.TrainingRun;
import io.liverec.api.v1alpha1.TrainingRunSpec;
import io.liverec.pipelines.eval.TaskMetrics;
import io.liverec.pipelines.sim.Simulations;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole path on the simulator's log: raw events → sampling → features → training → eval. */
class SimulatedTrainingTest {

  @TempDir Path dir;

  @Test
  void trainsFromARawSimulatedLogWithTheDefaultColumnSpec() {
    Path log = dir.resolve("log");
    Simulations.small(log, 3);
    TrainingRun run = new TrainingRun();
    run.setMetadata(new ObjectMetaBuilder().withName("sim").build());
    TrainingRunSpec spec = new TrainingRunSpec();
    spec.data.events = log.toUri().toString();
    spec.training.epochs = 2;
    spec.training.batchSize = 256;
    spec.training.learningRate = 0.01;
    run.setSpec(spec);
    RankingEvaluation r =
        new RankingTrainer(RankingTrainer.Options.defaults().withExport(false))
            .rank(run, dir.resolve("run"));
    TaskMetrics ctr = r.holdout().get(0);
    assertThat(ctr.rows()).isPositive();
    // one training day of ~3 000 skip-above rows: ≈0.59 here, the ceiling ≈0.75; the AUC's
    // standard error at this size is ≈0.01, so 0.55 is clearly learnt, not noise
    assertThat(ctr.bayesAuc()).isGreaterThan(0.7);
    assertThat(ctr.auc()).isGreaterThan(0.55).isLessThan(ctr.bayesAuc());
    assertThat(r.holdout().get(1).auc()).isGreaterThan(0.55);
    assertThat(dir.resolve("run/samples")).isDirectory();
  }
}
