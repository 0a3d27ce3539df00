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
import io.liverec.pipelines.export.TritonRepository;
import io.liverec.pipelines.features.ColumnSpec;
import io.liverec.pipelines.features.FeatureCounters;
import io.liverec.pipelines.features.FeatureSchema;
import io.liverec.pipelines.features.FeatureTransform;
import io.liverec.pipelines.features.TransformSpec;
import io.liverec.pipelines.pipeline.Trainer;
import io.liverec.pipelines.pipeline.TrainerOutput;
import io.liverec.pipelines.ranking.Ranker;
import io.liverec.pipelines.ranking.Rankers;
import io.liverec.pipelines.tracking.Plots;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Trains, evaluates and exports a multi-task ranker from a TrainingRun: validate the spec → fit the
 * feature transform on the training days → epochs of shuffled mini-batches streamed from Parquet
 * with a checkpoint every {@link Options#checkpointEverySteps} steps and at each epoch end → early
 * stopping on validation → holdout evaluation of the best epoch → metrics.json, report.md, ONNX.
 *
 * <p>Restarting in a run directory that holds {@code checkpoints/state.json} resumes: the saved
 * transform and variables are restored and the batches already trained in the interrupted epoch are
 * skipped. The {@link Trainer} of task {@code ranking} ({@link
 * io.liverec.pipelines.pipeline.Trainers}); free of CLI and tracking concerns ({@link
 * io.liverec.pipelines.pipeline.TrackedTrainer} adds them).
 *
 * <p>Size: one class because it is the one place that orders a training run (validate, prepare
 * data, fit the transform, fit, evaluate the holdout, export, write reports) as the {@link Trainer}
 * of task ranking. The epochs already live in RankingEpochs and the data in SampleData; the
 * remaining seams are spec validation ({@link #validate}, part of the Trainer contract) and the
 * report writing ({@code metricsJson}, {@code writeReports}), left here because both read the same
 * spec and run layout as the steps they check or describe.
 */
public final class RankingTrainer implements Trainer {

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

  private final Options options;

  /** With the default options; samples come from {@code spec.data.events}. */
  public RankingTrainer() {
    this(Options.defaults());
  }

  public RankingTrainer(Options options) {
    this.options = options;
  }

  @Override
  public Task task() {
    return Task.RANKING;
  }

  @Override
  public TrainerOutput train(TrainingRun run, Path runDir) {
    RankingEvaluation r = rank(run, runDir);
    List<Map<String, Double>> epochs = new ArrayList<>();
    for (TrainState.EpochRecord e : r.history()) {
      Map<String, Double> m = new LinkedHashMap<>();
      m.put("train_loss", e.trainLoss());
      m.put("val_ctr_auc", e.validationCtrAuc());
      m.put("val_ctcvr_auc", e.validationCtcvrAuc());
      epochs.add(m);
    }
    return new TrainerOutput(
        Task.RANKING, runDir, r.flatMetrics(), r.artifacts(), epochs, r.bestEpoch(), r);
  }

  /** Prepares the data, fits, evaluates on the holdout and exports; the ranking's own result. */
  public RankingEvaluation rank(TrainingRun run, Path runDir) {
    TrainingRunSpec spec = validate(run);
    RunLayout layout = new RunLayout(runDir);
    TrainingInputs in = prepareData(run, spec, layout);
    int holdoutDays = spec.data.holdoutDays == null ? 1 : spec.data.holdoutDays;
    int validationDays = spec.data.validationDays == null ? 0 : spec.data.validationDays;
    try (SampleData data =
        SampleData.open(
            in.samples(),
            in.columns(),
            spec.data.from,
            spec.data.to,
            holdoutDays,
            validationDays)) {
      boolean resuming = Files.exists(layout.state());
      TransformSpec transformSpec =
          resuming ? TransformSpec.load(layout.transform()) : data.fitTransform();
      if (!resuming) {
        transformSpec.save(layout.transform());
      }
      FeatureTransform transform = new FeatureTransform(transformSpec);
      TrainState state = resuming ? TrainState.read(layout.state()) : TrainState.initial();
      try (Ranker ranker = create(spec, transform.schema())) {
        if (resuming && state.checkpoint() != null) {
          ranker.restore(layout.checkpoints().resolve(state.checkpoint()));
        }
        RankingEpochs epochs =
            new RankingEpochs(spec.training, data, transform, ranker, layout, options);
        state = epochs.fit(state);
        if (state.bestEpoch() >= 0) {
          ranker.restore(layout.best());
        }
        Map<String, Path> artifacts = new LinkedHashMap<>();
        artifacts.put("spec", layout.spec());
        artifacts.put("transform", layout.transform());
        artifacts.put("checkpoint", layout.best());
        FeatureCounters holdoutCounters = new FeatureCounters();
        HoldoutPredictions holdout =
            RankingEpochs.predict(
                data, Split.HOLDOUT, transform, ranker, spec.training.batchSize, holdoutCounters);
        artifacts.put(
            "plot_roc",
            Plots.roc(layout.dir().resolve("plots").resolve("roc.png"), holdout.scoresAndLabels()));
        Double parity = null;
        if (options.export()) {
          export(run, layout, ranker, transform, artifacts);
          parity = RankingEpochs.exportParity(data, transform, ranker, layout.onnx());
        }
        Map<String, Object> json =
            metricsJson(
                run,
                spec,
                data,
                transformSpec,
                state,
                holdout.metrics(),
                holdoutCounters,
                epochs.lastFullEpochCounters());
        json.put("weightCorrectedCalibration", weightCorrected(data, holdout));
        writeReports(run, spec, layout, holdout.metrics(), state, json, artifacts);
        return new RankingEvaluation(
            layout.dir(), holdout.metrics(), state.history(), state.bestEpoch(), artifacts, parity);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("writing run outputs under " + runDir, e);
    }
  }

  /** Writes the spec into the run directory, then finds (or makes) the samples. */
  private TrainingInputs prepareData(TrainingRun run, TrainingRunSpec spec, RunLayout layout) {
    try {
      Files.createDirectories(layout.dir());
      writeSpec(run, layout.spec());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create run directory " + layout.dir(), e);
    }
    String ns = run.getMetadata() == null ? null : run.getMetadata().getNamespace();
    return TrainingInputs.prepare(null, ns, spec, layout, options);
  }

  /** model.onnx and the Triton model repository of the best epoch. */
  private static void export(
      TrainingRun run,
      RunLayout layout,
      Ranker ranker,
      FeatureTransform transform,
      Map<String, Path> artifacts) {
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

  private static Map<String, Map<String, Double>> weightCorrected(
      SampleData data, HoldoutPredictions holdout) {
    Map<String, Double> oddsFactors = new LinkedHashMap<>();
    data.taskLabels()
        .forEach((task, label) -> oddsFactors.put(task, data.weightOddsFactor(Split.TRAIN, label)));
    return holdout.weightCorrectedCalibration(oddsFactors);
  }

  private static void writeReports(
      TrainingRun run,
      TrainingRunSpec spec,
      RunLayout layout,
      List<TaskMetrics> metrics,
      TrainState state,
      Map<String, Object> json,
      Map<String, Path> artifacts)
      throws IOException {
    writeJson(layout.metrics(), json);
    artifacts.put("metrics", layout.metrics());
    Files.writeString(
        layout.report(),
        RankingReport.markdown(
            name(run), describeModel(spec.model), metrics, state.history(), json));
    artifacts.put("report", layout.report());
  }

  /**
   * Checks everything that can be checked before any data is read: task, the model engineer's
   * model/training validation, and the data fields this trainer uses. Errors name the field.
   */
  @Override
  public TrainingRunSpec validate(TrainingRun run) {
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

  private Ranker create(TrainingRunSpec spec, FeatureSchema schema) {
    try {
      return options.factory().create(spec.model, spec.training, schema);
    } catch (IllegalArgumentException e) {
      throw LiverecException.badInput("spec." + e.getMessage());
    }
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
}
