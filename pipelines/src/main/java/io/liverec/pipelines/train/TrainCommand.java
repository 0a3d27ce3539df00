package io.liverec.pipelines.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.liverec.api.errors.ExitCode;
import io.liverec.api.errors.LiverecException;
import io.liverec.api.v1alpha1.TrainingRun;
import io.liverec.api.validation.CustomResourceValidator;
import io.liverec.pipelines.features.ColumnSpec;
import io.liverec.pipelines.pipeline.TrackedTrainer;
import io.liverec.pipelines.pipeline.Trainers;
import io.liverec.pipelines.tracking.RunJournal;
import io.liverec.pipelines.tracking.RunTracker;
import io.liverec.registry.Retry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code liverec train -f run.yaml}: one ranking TrainingRun, embedded. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = {
      "Train a ranking model from a TrainingRun YAML (spec.task: ranking): sample the events (or"
          + " read existing samples), fit the features, train with checkpoints and early stopping,"
          + " evaluate on the last day(s), export ONNX.",
      "Outputs go to <out>/<name>-<timestamp>/: spec.yaml, transform.json, checkpoints/,"
          + " metrics.json, report.md, model.onnx. Exit 3 when a spec.gates bound fails."
    })
public final class TrainCommand implements Callable<Integer> {

  @Option(
      names = {"-f", "--file"},
      required = true,
      description = "TrainingRun YAML")
  Path file;

  @Option(
      names = "--out",
      defaultValue = "liverec-out/runs",
      description = "parent of the run directory (default: ${DEFAULT-VALUE})")
  Path out;

  @Option(
      names = "--samples",
      description = "existing sample directory (<dir>/day=…/*.parquet); overrides data.events")
  Path samples;

  @Option(names = "--resume", description = "continue the interrupted run in this run directory")
  Path resume;

  @Option(names = "--columns", description = "column spec JSON (default: the docs/DATA.md schema)")
  Path columns;

  @Option(names = "--no-export", description = "skip the ONNX export")
  boolean noExport;

  @Option(names = "--quiet", description = "no progress bar")
  boolean quiet;

  @Override
  public Integer call() {
    TrainingRun run = readRun(file);
    Path runDir = resume != null ? resume : out.resolve(runDirName(run));
    RankingTrainer.Options options =
        RankingTrainer.Options.defaults()
            .withSamples(samples)
            .withExport(!noExport)
            .withProgress(quiet ? null : System.err);
    if (columns != null) {
      options = options.withColumns(readColumns(columns));
    }
    String trackingUri = RunTracker.trackingUriFromEnvironment();
    TrackedTrainer trainer =
        new TrackedTrainer(
            Trainers.defaults().with(new RankingTrainer(options)).forRun(run),
            trackingUri,
            Retry.DEFAULT,
            repoRoot());
    TrackedTrainer.Outcome o = trainer.run(run, runDir);
    o.output()
        .details(RankingEvaluation.class)
        .ifPresentOrElse(
            r -> System.out.println(summary(r)),
            () -> o.metrics().forEach((k, v) -> System.out.printf("%-28s %.4f%n", k, v)));
    System.out.println("run directory: " + runDir.toAbsolutePath());
    o.artifacts().forEach((k, v) -> System.out.println("  " + k + ": " + v));
    if (trackingUri == null) {
      System.out.println(
          "tracking: kept locally in "
              + runDir.resolve(RunJournal.DIR)
              + " (set MLFLOW_TRACKING_URI to record runs in MLflow; `liverec sync` uploads"
              + " local runs later)");
    } else if (o.tracking().synced()) {
      System.out.println(
          "tracking: MLflow run "
              + o.tracking().mlflowRunId()
              + (o.tracking().modelVersion() == null
                  ? ""
                  : ", registered "
                      + o.registeredModel()
                      + " version "
                      + o.tracking().modelVersion()
                      + " (alias challenger)"));
    } else {
      System.err.println(
          "tracking: MLflow unreachable ("
              + o.tracking().error()
              + "); the run is kept locally, upload it later with `liverec sync`");
    }
    if (!o.gatesPassed()) {
      System.err.println("gate failed: " + String.join("; ", o.gateFailures()));
      return ExitCode.GATE_FAILED;
    }
    return ExitCode.OK;
  }

  private static Path repoRoot() {
    String root = System.getProperty("liverec.repo.root");
    return root == null ? null : Path.of(root);
  }

  /**
   * Reads a TrainingRun YAML and checks it with the shared custom-resource validator (CRD schema,
   * CEL and Java rules): errors name the file and every offending field.
   */
  public static TrainingRun readRun(Path file) {
    if (!Files.isRegularFile(file)) {
      throw LiverecException.badInput("no such file: " + file);
    }
    JsonNode tree;
    try {
      tree = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
    } catch (IOException e) {
      throw LiverecException.badInput(
          "cannot read TrainingRun " + file + ": " + e.getMessage().lines().findFirst().orElse(""));
    }
    if (tree == null || !tree.isObject()) {
      throw LiverecException.badInput(file + ": empty or not a YAML mapping");
    }
    CustomResourceValidator.Result r = CustomResourceValidator.validate(tree);
    CustomResourceValidator.requireValid(file.toString(), r.violations());
    if (!(r.resource() instanceof TrainingRun run)) {
      throw LiverecException.badInput(
          file + ": kind is '" + tree.path("kind").asText() + "', expected TrainingRun");
    }
    return run;
  }

  static ColumnSpec readColumns(Path file) {
    try {
      return new ObjectMapper().readValue(file.toFile(), ColumnSpec.class);
    } catch (IOException | IllegalArgumentException e) {
      throw LiverecException.badInput("cannot read column spec " + file + ": " + e.getMessage());
    }
  }

  static String runDirName(TrainingRun run) {
    String name = RankingTrainer.name(run).replaceAll("[^A-Za-z0-9._-]", "_");
    return name + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
  }

  /** Gates of the spec that the metrics fail, as text (empty = all hold). */
  static String failedGates(TrainingRun run, Map<String, Double> metrics) {
    return String.join("; ", TrackedTrainer.gateFailures(run.getSpec().gates, metrics));
  }

  /** The holdout metrics as a small table (the caller prints the run directory and artifacts). */
  static String summary(RankingEvaluation r) {
    StringBuilder s = new StringBuilder();
    s.append(String.format("%-6s %8s %8s %8s %8s%n", "task", "AUC", "Bayes", "GAUC", "logloss"));
    for (var m : r.holdout()) {
      s.append(
          String.format(
              "%-6s %8.4f %8.4f %8.4f %8.4f%n",
              m.task(), m.auc(), m.bayesAuc(), m.gauc(), m.logLoss()));
    }
    return s.toString();
  }
}
