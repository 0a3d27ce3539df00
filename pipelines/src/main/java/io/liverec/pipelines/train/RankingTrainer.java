package io.liverec.pipelines.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.liverec.api.errors.LiverecException;
import io.liverec.api.v1alpha1.ModelSpec;
import io.liverec.api.v1alpha1.Task;
import io.liverec.api.v1alpha1.TrainingRun;
import io.liverec.api.v1alpha1.TrainingRunSpec;
import io.liverec.api.v1alpha1.TrainingSpec;
import io.liverec.pipelines.eval.HoldoutPredictions;
import io.liverec.pipelines.eval.RankingReport;
import io.liverec.pipelines.eval.TaskMetrics;
import io.liverec.pipelines.events.EventSchema;
import io.liverec.pipelines.export.TritonRepository;
import io.liverec.pipelines.features.ColumnSpec;
import io.liverec.pipelines.features.FeatureCounters;
import io.liverec.pipelines.features.FeatureSchema;
import io.liverec.pipelines.features.FeatureTransform;
import io.liverec.pipelines.features.TransformSpec;
import io.liverec.pipelines.ranking.Ranker;
import io.liverec.pipelines.ranking.Rankers;
import io.liverec.pipelines.sampling.DuckDbSampler;
import io.liverec.pipelines.sampling.SamplingOptions;
import io.liverec.pipelines.sampling.SamplingReport;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Trains, evaluates and exports a multi-task ranker from a TrainingRun: validate the spec → fit the
 * feature transform on the training days → epochs of shuffled mini-batches streamed from Parquet
 * with a checkpoint every {@link Options#checkpointEverySteps} steps and at each epoch end → early
 * stopping on validation → holdout evaluation of the best epoch → metrics.json, report.md, ONNX.
 *
 * <p>Restarting in a run directory that holds {@code checkpoints/state.json} resumes: the saved
 * transform and variables are restored and the batches already trained in the interrupted epoch are
 * skipped. Free of CLI concerns: the CLI, the demo and the embedded operator call {@link #run}.
 */
public final class RankingTrainer {

  /** Creates the model; the default is the TF ranker of {@link Rankers#create}. */
  @FunctionalInterface
  public interface RankerFactory {
    Ranker create(ModelSpec model, TrainingSpec training, FeatureSchema schema);
  }

  /** Called after every training step (tests use it to interrupt a run). */
  @FunctionalInterface
  public interface StepListener {
    void afterStep(int epoch, long stepInEpoch, long globalStep);
  }

  /**
   * How to run, beyond the TrainingRun spec.
   *
   * @param samples sample directory to train on (null = derived from {@code spec.data.events})
   * @param columns column spec (null = {@link ColumnSpec#defaults()})
   * @param factory ranker factory
   * @param checkpointEverySteps mid-epoch checkpoint interval in steps (0 = epoch ends only)
   * @param export write model.onnx after evaluation
   * @param progress where to draw the progress bar (null = none)
   * @param listener step hook (null = none)
   */
  public record Options(
      Path samples,
      ColumnSpec columns,
      RankerFactory factory,
      int checkpointEverySteps,
      boolean export,
      PrintStream progress,
      StepListener listener) {

    public static Options defaults() {
      return new Options(null, null, Rankers::create, 200, true, null, null);
    }

    public Options withSamples(Path dir) {
      return new Options(dir, columns, factory, checkpointEverySteps, export, progress, listener);
    }

    public Options withColumns(ColumnSpec c) {
      return new Options(samples, c, factory, checkpointEverySteps, export, progress, listener);
    }

    public Options withFactory(RankerFactory f) {
      return new Options(samples, columns, f, checkpointEverySteps, export, progress, listener);
    }

    public Options withCheckpointEverySteps(int n) {
      return new Options(samples, columns, factory, n, export, progress, listener);
    }

    public Options withExport(boolean e) {
      return new Options(samples, columns, factory, checkpointEverySteps, e, progress, listener);
    }

    public Options withProgress(PrintStream p) {
      return new Options(samples, columns, factory, checkpointEverySteps, export, p, listener);
    }

    public Options withListener(StepListener l) {
      return new Options(samples, columns, factory, checkpointEverySteps, export, progress, l);
    }
  }

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private RankingTrainer() {}

  /** Runs with the default options; samples come from {@code spec.data.events}. */
  public static TrainingResult run(TrainingRun run, Path runDir) {
    return run(run, runDir, Options.defaults());
  }

  public static TrainingResult run(TrainingRun run, Path runDir, Options options) {
    TrainingRunSpec spec = validate(run);
    RunLayout layout = new RunLayout(runDir);
    ColumnSpec columns = options.columns() == null ? ColumnSpec.defaults() : options.columns();
    Path samples = options.samples();
    Path log = null;
    if (samples == null) {
      log = SampleSources.toPath(SampleSources.eventsUri(spec));
      samples = SampleSources.isEventLog(log) ? layout.samples() : SampleSources.resolve(spec);
    }
    try {
      Files.createDirectories(runDir);
      writeSpec(run, layout.spec());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create run directory " + runDir, e);
    }
    if (log != null && SampleSources.isEventLog(log)) {
      // raw events: sample them into the run directory (once; a resumed run reuses them)
      if (!Files.exists(runDir.resolve(SamplingReport.JSON))) {
        PrintStream out = options.progress();
        new DuckDbSampler()
            .sample(
                log,
                runDir,
                SamplingOptions.from(spec.data),
                day -> {
                  if (out != null) {
                    out.println("sampled " + day);
                  }
                });
      }
      if (columns.rooms() != null) {
        Path sessions = log.resolve(EventSchema.ROOM_SESSIONS.name());
        // a log with per-day session content: the vectors of the day's session, not the room's
        columns =
            Files.isDirectory(sessions) && options.columns() == null
                ? columns.withRooms(
                    new ColumnSpec.RoomsTable(
                        sessions.toAbsolutePath() + "/*/*.parquet",
                        ColumnSpec.RoomsTable.SESSIONS.key()))
                : columns.withRoomsPath(log.resolve("rooms.parquet").toAbsolutePath().toString());
      }
    }
    int holdoutDays = spec.data.holdoutDays == null ? 1 : spec.data.holdoutDays;
    int validationDays = spec.data.validationDays == null ? 0 : spec.data.validationDays;
    try (SampleData data =
        SampleData.open(
            samples, columns, spec.data.from, spec.data.to, holdoutDays, validationDays)) {
      boolean resuming = Files.exists(layout.state());
      TransformSpec transformSpec;
      if (resuming) {
        transformSpec = TransformSpec.load(layout.transform());
      } else {
        transformSpec = data.fitTransform();
        transformSpec.save(layout.transform());
      }
      FeatureTransform transform = new FeatureTransform(transformSpec);
      TrainState state = resuming ? TrainState.read(layout.state()) : TrainState.initial();
      try (Ranker ranker = create(options, spec, transform.schema())) {
        if (resuming && state.checkpoint() != null) {
          ranker.restore(layout.checkpoints().resolve(state.checkpoint()));
        }
        FeatureCounters[] trainCounters = new FeatureCounters[1];
        state =
            train(spec.training, data, transform, ranker, layout, state, options, trainCounters);
        if (state.bestEpoch() >= 0) {
          ranker.restore(layout.best());
        }
        FeatureCounters holdoutCounters = new FeatureCounters();
        HoldoutPredictions holdout =
            predict(data, Split.HOLDOUT, transform, ranker, batchSize(spec), holdoutCounters);
        List<TaskMetrics> metrics = holdout.metrics();
        Map<String, Path> artifacts = new LinkedHashMap<>();
        artifacts.put("spec", layout.spec());
        artifacts.put("transform", layout.transform());
        artifacts.put("checkpoint", layout.best());
        artifacts.put(
            "plot_roc",
            io.liverec.pipelines.tracking.Plots.roc(
                runDir.resolve("plots").resolve("roc.png"), holdout.scoresAndLabels()));
        if (options.export()) {
          ranker.exportOnnx(layout.onnx());
          artifacts.put("onnx", layout.onnx());
          TritonRepository.write(
              layout.triton(),
              name(run).replaceAll("[^A-Za-z0-9_-]", "_"),
              1,
              ranker,
              transform.schema(),
              HoldoutPredictions.TASKS,
              layout.transform(),
              TritonRepository.Options.defaults());
          artifacts.put("triton", layout.triton());
        }
        Map<String, Object> json =
            metricsJson(
                run, spec, data, transformSpec, state, metrics, holdoutCounters, trainCounters[0]);
        Map<String, Double> oddsFactors = new LinkedHashMap<>();
        data.taskLabels()
            .forEach(
                (task, label) -> oddsFactors.put(task, data.weightOddsFactor(Split.TRAIN, label)));
        json.put("weightCorrectedCalibration", holdout.weightCorrectedCalibration(oddsFactors));
        writeJson(layout.metrics(), json);
        artifacts.put("metrics", layout.metrics());
        Files.writeString(
            layout.report(),
            RankingReport.markdown(
                name(run), describeModel(spec.model), metrics, state.history(), json));
        artifacts.put("report", layout.report());
        return new TrainingResult(runDir, metrics, state.history(), state.bestEpoch(), artifacts);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("writing run outputs under " + runDir, e);
    }
  }

  /**
   * Checks everything that can be checked before any data is read: task, the model engineer's
   * model/training validation, and the data fields this trainer uses. Errors name the field.
   */
  public static TrainingRunSpec validate(TrainingRun run) {
    if (run == null || run.getSpec() == null) {
      throw LiverecException.badInput("TrainingRun has no spec");
    }
    TrainingRunSpec spec = run.getSpec();
    if (spec.task != Task.RANKING) {
      throw LiverecException.badInput(
          "spec.task: the ranking trainer needs 'ranking', got '" + spec.task + "'");
    }
    TrainingSpec t = spec.training == null ? new TrainingSpec() : spec.training;
    requirePositive(t.epochs, "spec.training.epochs");
    requirePositive(t.batchSize, "spec.training.batchSize");
    if (t.learningRate == null || !(t.learningRate > 0) || Double.isInfinite(t.learningRate)) {
      throw LiverecException.badInput(
          "spec.training.learningRate must be a positive number, got " + t.learningRate);
    }
    if (t.earlyStoppingPatience != null && t.earlyStoppingPatience < 0) {
      throw LiverecException.badInput(
          "spec.training.earlyStoppingPatience must be ≥ 0, got " + t.earlyStoppingPatience);
    }
    if (spec.data == null) {
      throw LiverecException.badInput("spec.data is missing");
    }
    if (spec.data.holdoutDays != null && spec.data.holdoutDays < 1) {
      throw LiverecException.badInput(
          "spec.data.holdoutDays must be ≥ 1 for ranking (the holdout is the evaluation), got "
              + spec.data.holdoutDays);
    }
    if (spec.data.validationDays != null && spec.data.validationDays < 0) {
      throw LiverecException.badInput(
          "spec.data.validationDays must be ≥ 0, got " + spec.data.validationDays);
    }
    try {
      Rankers.validate(spec.model, t);
    } catch (IllegalArgumentException e) {
      throw LiverecException.badInput("spec." + e.getMessage());
    }
    spec.training = t;
    return spec;
  }

  private static void requirePositive(Integer v, String field) {
    if (v == null || v < 1) {
      throw LiverecException.badInput(field + " must be ≥ 1, got " + v);
    }
  }

  private static Ranker create(Options o, TrainingRunSpec spec, FeatureSchema schema) {
    try {
      return o.factory().create(spec.model, spec.training, schema);
    } catch (IllegalArgumentException e) {
      throw LiverecException.badInput("spec." + e.getMessage());
    }
  }

  private static int batchSize(TrainingRunSpec spec) {
    return spec.training.batchSize;
  }

  private static TrainState train(
      TrainingSpec t,
      SampleData data,
      FeatureTransform transform,
      Ranker ranker,
      RunLayout layout,
      TrainState state,
      Options options,
      FeatureCounters[] lastFullEpoch) {
    long seed = t.seed == null ? 0 : t.seed;
    int patience = t.earlyStoppingPatience == null ? 0 : t.earlyStoppingPatience;
    long trainRows = data.count(Split.TRAIN);
    long stepsPerEpoch = (trainRows + t.batchSize - 1) / t.batchSize;
    while (!state.trainingDone() && state.epoch() < t.epochs) {
      int epoch = state.epoch();
      long skip = state.step();
      long global = state.globalStep();
      double lossSum = state.epochLossSum();
      long lossCount = skip;
      FeatureCounters counters = new FeatureCounters();
      try (ProgressBar bar = bar(options.progress(), epoch, t.epochs, stepsPerEpoch, skip);
          SampleData.BatchIterator it =
              data.batches(
                  Split.TRAIN, transform, t.batchSize, shuffleKey(seed, epoch), counters)) {
        long step = 0;
        while (it.hasNext()) {
          SampleBatch b = it.next();
          if (step < skip) {
            step++;
            continue;
          }
          Map<String, Double> losses = ranker.trainStep(b.batch());
          double loss = losses.getOrDefault("loss", Double.NaN);
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
            bar.setExtraMessage(
                String.format(" loss %.4f %s", lossSum / lossCount, lastAuc(state)));
          }
          if (options.checkpointEverySteps() > 0
              && step % options.checkpointEverySteps() == 0
              && it.hasNext()) {
            state = checkpoint(ranker, layout, state.atStep(step, global, null, lossSum));
          }
          if (options.listener() != null) {
            options.listener().afterStep(epoch, step, global);
          }
        }
      }
      if (skip == 0) {
        lastFullEpoch[0] = counters; // repairs of one whole pass over the training rows
      }
      HoldoutPredictions val =
          predict(data, Split.VALIDATION, transform, ranker, t.batchSize, new FeatureCounters());
      List<TaskMetrics> m = val.metrics();
      double ctrAuc = m.get(0).auc();
      double ctcvrAuc = m.get(2).auc();
      double score = (ctrAuc + ctcvrAuc) / 2;
      List<TrainState.EpochRecord> history = new ArrayList<>(state.history());
      history.add(
          new TrainState.EpochRecord(
              epoch, lossCount == 0 ? Double.NaN : lossSum / lossCount, ctrAuc, ctcvrAuc, score));
      boolean improved = Double.isNaN(state.bestScore()) || score > state.bestScore();
      if (improved) {
        try {
          deleteTree(layout.best());
        } catch (IOException e) {
          throw new UncheckedIOException("replacing " + layout.best(), e);
        }
        ranker.save(layout.best());
      }
      int sinceBest = improved ? 0 : state.sinceBest() + 1;
      boolean stop = epoch + 1 >= t.epochs || (patience > 0 && sinceBest >= patience);
      TrainState next =
          new TrainState(
              epoch + 1,
              0,
              global,
              null,
              improved ? score : state.bestScore(),
              improved ? epoch : state.bestEpoch(),
              sinceBest,
              history,
              stop,
              0);
      state = checkpoint(ranker, layout, next);
    }
    return state;
  }

  /** Saves the variables under a new directory, then the state pointing at it, then prunes. */
  private static TrainState checkpoint(Ranker ranker, RunLayout layout, TrainState s) {
    String name = "ckpt-" + s.globalStep() + (s.step() == 0 ? "-epoch" + s.epoch() : "");
    Path dir = layout.checkpoints().resolve(name);
    ranker.save(dir);
    TrainState saved = s.atStep(s.step(), s.globalStep(), name, s.epochLossSum());
    saved.write(layout.state());
    try (Stream<Path> old = Files.list(layout.checkpoints())) {
      for (Path p : old.toList()) {
        String f = p.getFileName().toString();
        if (f.startsWith("ckpt-") && !f.equals(name)) {
          deleteTree(p);
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

  private static Map<String, Object> metricsJson(
      TrainingRun run,
      TrainingRunSpec spec,
      SampleData data,
      TransformSpec transform,
      TrainState state,
      List<TaskMetrics> metrics,
      FeatureCounters holdoutCounters,
      FeatureCounters trainCounters) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("run", name(run));
    m.put("model", describeModel(spec.model));
    Map<String, Object> holdout = new LinkedHashMap<>();
    for (TaskMetrics t : metrics) {
      holdout.put(t.task(), t);
    }
    m.put("holdout", holdout);
    m.put("bestEpoch", state.bestEpoch());
    m.put("validation", state.history());
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("days", data.firstDay() + " .. " + data.lastDay());
    d.put("train", data.describe(Split.TRAIN));
    d.put("trainRows", data.count(Split.TRAIN));
    d.put("validation", data.describe(Split.VALIDATION));
    d.put("validationRows", data.count(Split.VALIDATION));
    d.put("holdout", data.describe(Split.HOLDOUT));
    d.put("holdoutRows", data.count(Split.HOLDOUT));
    d.put("transformFittedOn", transform.fitWindow());
    m.put("data", d);
    m.put("holdoutFeatureRepairs", holdoutCounters.toMap());
    m.put(
        "trainFeatureRepairs",
        trainCounters == null
            ? "not counted: no full training epoch ran in this process (resumed)"
            : trainCounters.toMap());
    return m;
  }

  /** A short name of the model structure, e.g. {@code esmm[fm,cross]+mmoe+gradnorm}. */
  public static String describeModel(ModelSpec model) {
    ModelSpec.MultitaskSpec mt =
        model.multitask == null ? new ModelSpec.MultitaskSpec() : model.multitask;
    StringBuilder s = new StringBuilder(mt.structure == null ? "esmm" : mt.structure);
    s.append(model.interactions == null ? "[]" : model.interactions.toString().replace(" ", ""));
    if (mt.experts != null && !"none".equals(mt.experts)) {
      s.append('+').append(mt.experts);
    }
    if (mt.balancing != null && !"none".equals(mt.balancing)) {
      s.append('+').append(mt.balancing);
    }
    if (mt.gradientSurgery != null && !"none".equals(mt.gradientSurgery)) {
      s.append('+').append(mt.gradientSurgery);
      if (mt.pcgradScope != null && !"global".equals(mt.pcgradScope)) {
        s.append('/').append(mt.pcgradScope);
      }
    }
    return s.toString();
  }

  static String name(TrainingRun run) {
    return run.getMetadata() != null && run.getMetadata().getName() != null
        ? run.getMetadata().getName()
        : "ranking";
  }

  static void writeSpec(TrainingRun run, Path file) throws IOException {
    ObjectMapper yaml =
        new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));
    yaml.writeValue(file.toFile(), run);
  }

  static void writeJson(Path file, Object value) throws IOException {
    JSON.writeValue(file.toFile(), value);
  }

  static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(q);
      }
    }
  }
}
