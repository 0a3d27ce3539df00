package io.liverec.pipelines.train;

import io.liverec.api.v1alpha1.TrainingSpec;
import io.liverec.pipelines.eval.HoldoutPredictions;
import io.liverec.pipelines.eval.TaskMetrics;
import io.liverec.pipelines.export.OnnxParity;
import io.liverec.pipelines.features.FeatureCounters;
import io.liverec.pipelines.features.FeatureTransform;
import io.liverec.pipelines.ranking.Ranker;
import io.liverec.pipelines.sampling.DuckDbSampler;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The fit step of {@link RankingTrainer}: epochs of shuffled mini-batches with a checkpoint every
 * {@link RankingTrainer.Options#checkpointEverySteps} steps and at each epoch end, validation after
 * each epoch, the best epoch kept, early stopping; resumes from a {@link TrainState}.
 */
final class RankingEpochs {
  private final TrainingSpec t;
  private final SampleData data;
  private final FeatureTransform transform;
  private final Ranker ranker;
  private final RunLayout layout;
  private final RankingTrainer.Options options;

  /** Repairs of the last whole pass over the training rows (null when every epoch resumed). */
  private FeatureCounters lastFullEpoch;

  RankingEpochs(
      TrainingSpec t,
      SampleData data,
      FeatureTransform transform,
      Ranker ranker,
      RunLayout layout,
      RankingTrainer.Options options) {
    this.t = t;
    this.data = data;
    this.transform = transform;
    this.ranker = ranker;
    this.layout = layout;
    this.options = options;
  }

  FeatureCounters lastFullEpochCounters() {
    return lastFullEpoch;
  }

  /** Trains from {@code state} until the last epoch or early stopping; returns the final state. */
  TrainState fit(TrainState state) {
    while (!state.trainingDone() && state.epoch() < t.epochs) {
      state = endEpoch(trainEpoch(state));
    }
    return state;
  }

  /** Where an epoch's steps left off. */
  private record EpochProgress(TrainState state, long global, double lossSum, long lossCount) {}

  private EpochProgress trainEpoch(TrainState state) {
    long seed = t.seed == null ? 0 : t.seed;
    long stepsPerEpoch = (data.count(Split.TRAIN) + t.batchSize - 1) / t.batchSize;
    int epoch = state.epoch();
    long skip = state.step();
    long global = state.globalStep();
    double lossSum = state.epochLossSum();
    long lossCount = skip;
    FeatureCounters counters = new FeatureCounters();
    try (ProgressBar bar = bar(options.progress(), epoch, t.epochs, stepsPerEpoch, skip);
        SampleData.BatchIterator it =
            data.batches(Split.TRAIN, transform, t.batchSize, shuffleKey(seed, epoch), counters)) {
      long step = 0;
      while (it.hasNext()) {
        SampleBatch b = it.next();
        if (step < skip) {
          step++;
          continue;
        }
        double loss = ranker.trainStep(b.batch()).getOrDefault("loss", Double.NaN);
        if (!Double.isFinite(loss)) {
          throw new IllegalStateException(
              "training diverged: loss " + loss + " at epoch " + epoch + " step " + step);
        }
        lossSum += loss;
        lossCount++;
        step++;
        global++;
        if (bar != null) {
          bar.step();
          bar.setExtraMessage(String.format(" loss %.4f %s", lossSum / lossCount, lastAuc(state)));
        }
        if (options.checkpointEverySteps() > 0
            && step % options.checkpointEverySteps() == 0
            && it.hasNext()) {
          state = checkpoint(state.atStep(step, global, null, lossSum));
        }
        if (options.listener() != null) {
          options.listener().afterStep(epoch, step, global);
        }
      }
    }
    if (skip == 0) {
      lastFullEpoch = counters; // repairs of one whole pass over the training rows
    }
    return new EpochProgress(state, global, lossSum, lossCount);
  }

  /** Validates, keeps the variables when the score improved, decides on stopping, checkpoints. */
  private TrainState endEpoch(EpochProgress p) {
    TrainState state = p.state();
    int epoch = state.epoch();
    int patience = t.earlyStoppingPatience == null ? 0 : t.earlyStoppingPatience;
    HoldoutPredictions val =
        predict(data, Split.VALIDATION, transform, ranker, t.batchSize, new FeatureCounters());
    List<TaskMetrics> m = val.metrics();
    double ctrAuc = m.get(0).auc();
    double ctcvrAuc = m.get(2).auc();
    double score = (ctrAuc + ctcvrAuc) / 2;
    List<TrainState.EpochRecord> history = new ArrayList<>(state.history());
    double loss = p.lossCount() == 0 ? Double.NaN : p.lossSum() / p.lossCount();
    history.add(new TrainState.EpochRecord(epoch, loss, ctrAuc, ctcvrAuc, score));
    boolean improved = Double.isNaN(state.bestScore()) || score > state.bestScore();
    if (improved) {
      try {
        DuckDbSampler.deleteTree(layout.best());
      } catch (IOException e) {
        throw new UncheckedIOException("replacing " + layout.best(), e);
      }
      ranker.save(layout.best());
    }
    int sinceBest = improved ? 0 : state.sinceBest() + 1;
    boolean stop = epoch + 1 >= t.epochs || (patience > 0 && sinceBest >= patience);
    return checkpoint(
        new TrainState(
            epoch + 1,
            0,
            p.global(),
            null,
            improved ? score : state.bestScore(),
            improved ? epoch : state.bestEpoch(),
            sinceBest,
            history,
            stop,
            0));
  }

  /** Saves the variables under a new directory, then the state pointing at it, then prunes. */
  private TrainState checkpoint(TrainState s) {
    String name = "ckpt-" + s.globalStep() + (s.step() == 0 ? "-epoch" + s.epoch() : "");
    Path dir = layout.checkpoints().resolve(name);
    ranker.save(dir);
    TrainState saved = s.atStep(s.step(), s.globalStep(), name, s.epochLossSum());
    saved.write(layout.state());
    try (Stream<Path> old = Files.list(layout.checkpoints())) {
      for (Path p : old.toList()) {
        String f = p.getFileName().toString();
        if (f.startsWith("ckpt-") && !f.equals(name)) {
          DuckDbSampler.deleteTree(p);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("pruning checkpoints in " + layout.checkpoints(), e);
    }
    return saved;
  }

  /** Per-epoch shuffle key: a different order each epoch, the same for the same seed. */
  static long shuffleKey(long seed, int epoch) {
    return seed * 1_000_003L + epoch;
  }

  static HoldoutPredictions predict(
      SampleData data,
      Split split,
      FeatureTransform transform,
      Ranker ranker,
      int batchSize,
      FeatureCounters counters) {
    HoldoutPredictions out = new HoldoutPredictions();
    try (SampleData.BatchIterator it = data.batches(split, transform, batchSize, null, counters)) {
      while (it.hasNext()) {
        SampleBatch b = it.next();
        out.add(
            ranker.predict(b.batch()),
            b.batch().click(),
            b.batch().conversion(),
            b.batch().userIds(),
            b.oracle());
      }
    }
    return out;
  }

  /** Rows of the first holdout batch the parity of the export is measured on. */
  static final int PARITY_ROWS = 1024;

  /**
   * Max |Δ| between model.onnx in ONNX Runtime and the ranker on the first {@link #PARITY_ROWS}
   * holdout rows; null when the holdout is empty.
   */
  static Double exportParity(
      SampleData data, FeatureTransform transform, Ranker ranker, Path onnx) {
    try (SampleData.BatchIterator it =
        data.batches(Split.HOLDOUT, transform, PARITY_ROWS, null, new FeatureCounters())) {
      if (!it.hasNext()) {
        return null;
      }
      io.liverec.pipelines.features.Batch b = it.next().batch();
      Map<String, Object> inputs = new LinkedHashMap<>();
      inputs.put("sparse", b.sparse());
      inputs.put("dense", b.dense());
      inputs.put("seq", b.seq());
      inputs.put("multimodal", b.multimodal());
      return OnnxParity.maxAbsDiff(onnx, inputs, ranker.predict(b));
    }
  }

  private static String lastAuc(TrainState s) {
    if (s.history().isEmpty()) {
      return "";
    }
    TrainState.EpochRecord r = s.history().get(s.history().size() - 1);
    return String.format("val ctr %.3f ctcvr %.3f", r.validationCtrAuc(), r.validationCtcvrAuc());
  }

  private static ProgressBar bar(PrintStream out, int epoch, int epochs, long steps, long already) {
    if (out == null) {
      return null;
    }
    ProgressBar bar =
        new ProgressBarBuilder()
            .setTaskName("epoch " + (epoch + 1) + "/" + epochs)
            .setInitialMax(steps)
            .setStyle(ProgressBarStyle.ASCII)
            .setConsumer(new ConsoleProgressBarConsumer(out))
            .setUpdateIntervalMillis(500)
            .build();
    bar.stepTo(already);
    return bar;
  }
}
