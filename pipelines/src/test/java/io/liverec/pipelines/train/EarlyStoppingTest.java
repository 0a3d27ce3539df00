package io.liverec.pipelines.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.liverec.pipelines.features.Batch;
import io.liverec.pipelines.ranking.Ranker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Early stopping and best-epoch restore, with a stand-in ranker whose predictions get worse the
 * more it trains (so the trainer's own bookkeeping is what is tested, not a model).
 */
class EarlyStoppingTest {

  @TempDir static Path dir;
  static Path samples;

  @BeforeAll
  static void data() throws Exception {
    samples = PlantedSamples.write(dir, 6_000);
  }

  /** Predicts the label with a signal that fades by 0.5 logit units per epoch of steps. */
  static final class FadingRanker implements Ranker {
    final long stepsPerEpoch;
    long steps;

    FadingRanker(long stepsPerEpoch) {
      this.stepsPerEpoch = stepsPerEpoch;
    }

    @Override
    public Map<String, Double> trainStep(Batch batch) {
      steps++;
      return Map.of("loss", 1.0);
    }

    @Override
    public Map<String, float[]> predict(Batch b) {
      double signal = 2.0 - 0.5 * steps / stepsPerEpoch;
      Random noise = new Random(b.size());
      float[] ctr = new float[b.size()];
      float[] cvr = new float[b.size()];
      float[] ctcvr = new float[b.size()];
      for (int i = 0; i < b.size(); i++) {
        double z = signal * (2 * b.click()[i] - 1) + 2 * noise.nextGaussian();
        ctr[i] = (float) (1 / (1 + Math.exp(-z)));
        cvr[i] = 0.5f;
        ctcvr[i] = ctr[i] * cvr[i];
      }
      return Map.of("ctr", ctr, "cvr", cvr, "ctcvr", ctcvr);
    }

    @Override
    public void save(Path d) {
      try {
        Files.createDirectories(d);
        Files.writeString(d.resolve("steps"), Long.toString(steps));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public void restore(Path d) {
      try {
        steps = Long.parseLong(Files.readString(d.resolve("steps")));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public void exportOnnx(Path onnxFile) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void close() {}
  }

  @Test
  void stopsAfterPatienceEpochsWithoutImprovementAndEvaluatesTheBestEpoch() {
    var run = RankingTrainerTest.run(6, 1, samples);
    run.getSpec().training.earlyStoppingPatience = 2;
    run.getSpec().training.batchSize = 500;
    long[] created = new long[1];
    RankingEvaluation r =
        new RankingTrainer(
                RankingTrainerTest.options()
                    .withFactory(
                        (m, t, s) -> {
                          created[0]++;
                          return new FadingRanker(8);
                        }))
            .rank(run, dir.resolve("early"));
    // epoch 0 is the best; epochs 1 and 2 are worse → patience 2 stops after epoch 2
    assertThat(r.history()).hasSize(3);
    assertThat(r.history().get(0).score())
        .isGreaterThan(r.history().get(1).score())
        .isGreaterThan(r.history().get(2).score());
    assertThat(r.bestEpoch()).isZero();
    // the holdout is scored with the restored best epoch (one epoch of steps), not the last
    long total = TrainState.read(new RunLayout(dir.resolve("early")).state()).globalStep();
    FadingRanker probe = new FadingRanker(8);
    probe.restore(new RunLayout(dir.resolve("early")).best());
    assertThat(probe.steps).isPositive().isEqualTo(total / 3);
    assertThat(r.metric("ctr_auc")).isGreaterThan(r.history().get(2).validationCtrAuc());
    assertThat(created[0]).isEqualTo(1);
  }
}
