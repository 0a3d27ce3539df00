package io.liverec.pipelines.sampling;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.liverec.api.errors.LiverecException;
import io.liverec.api.v1alpha1.DataSpec;
import io.liverec.api.v1alpha1.TrainingRun;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code liverec sample}: impressions → training samples with Skip-Above / Click-Around, labels and
 * behaviour weights, from a TrainingRun's {@code spec.data} ({@code -f run.yaml}) or from flags
 * (flags win over the file).
 */
@Command(
    name = "sample",
    mixinStandardHelpOptions = true,
    description = {
      "Turn an event log into training samples (Skip-Above / Click-Around, labels, weights).",
      "Rules: docs/DATA.md. Bad rows are quarantined under <out>/quarantine, counted in the report."
    })
public final class SampleCommand implements Callable<Integer> {

  @Option(
      names = {"-f", "--file"},
      description = "A TrainingRun YAML: its spec.data is used.")
  Path file;

  @Option(names = "--events", description = "Event log directory (default: spec.data.events).")
  Path events;

  @Option(
      names = "--strategy",
      description = "skip-above | click-around | all (default: spec, else skip-above).")
  String strategy;

  @Option(names = "--window", description = "Click-Around window k (default: spec, else 2).")
  Integer window;

  @Option(names = "--from", description = "First day yyyy-MM-dd (default: spec, else first).")
  String from;

  @Option(names = "--to", description = "Last day yyyy-MM-dd (default: spec, else last).")
  String to;

  @Option(
      names = "--conversion-watch-seconds",
      description = "conversion = click and watch >= this (default: spec, else 30).")
  Integer conversionWatchSeconds;

  @Option(
      names = "--out",
      defaultValue = "liverec-out/samples",
      description = "Output directory (default: ${DEFAULT-VALUE}).")
  Path out;

  /** The sampling engines: both run the same rules (SamplingSql) and write the same samples. */
  enum Engine {
    duckdb,
    spark
  }

  @Option(
      names = "--engine",
      defaultValue = "duckdb",
      description =
          "duckdb (embedded, local files) | spark (local[*] Spark, needs Spark on the class"
              + " path; for a cluster use spark-submit, manifests/spark/). Default: ${DEFAULT-VALUE}.")
  Engine engine;

  /** A class every Spark SQL installation has: whether Spark is on the class path. */
  static final String SPARK_PROBE_CLASS = "org.apache.spark.sql.SparkSession";

  String sparkProbeClass = SPARK_PROBE_CLASS;

  @Override
  public Integer call() {
    DataSpec data = file != null ? readDataSpec(file) : new DataSpec();
    if (events != null) {
      data.events = events.toString();
    }
    if (data.events == null) {
      throw LiverecException.badInput("no event log: pass --events DIR or set spec.data.events");
    }
    if (strategy != null) {
      try {
        data.sampling.strategy = SamplingOptions.parseStrategy(strategy);
      } catch (IllegalArgumentException e) {
        throw new picocli.CommandLine.ParameterException(
            new picocli.CommandLine(this), e.getMessage());
      }
    }
    if (window != null) {
      data.sampling.window = window;
    }
    if (from != null) {
      data.from = from;
    }
    if (to != null) {
      data.to = to;
    }
    if (conversionWatchSeconds != null) {
      data.labels.conversionWatchSeconds = conversionWatchSeconds;
    }
    SamplingOptions options = SamplingOptions.from(data);
    if (engine == Engine.spark) {
      requireSpark();
      // a separate class: Spark's classes are only linked once Spark is known to be there
      SamplingReport report =
          SparkLocalRun.sample(data.events, out.toAbsolutePath().toString(), options);
      System.out.println(report.toMarkdown());
      System.out.println("samples: " + out.toAbsolutePath().resolve("samples"));
      return 0;
    }
    Path eventsDir = toPath(data.events);
    SamplingReport report;
    try (ProgressBar pb =
        new ProgressBarBuilder()
            .setTaskName("sample")
            .setStyle(ProgressBarStyle.ASCII)
            .setUnit(" days", 1)
            .setInitialMax(
                io.liverec.pipelines.events.EventLog.open(eventsDir)
                    .days(options.from(), options.to())
                    .size())
            .build()) {
      report = new DuckDbSampler().sample(eventsDir, out, options, d -> pb.step());
    }
    System.out.println(report.toMarkdown());
    System.out.println("samples: " + out.toAbsolutePath().resolve("samples"));
    return 0;
  }

  /** Fails with exit code 2 and how to run the Spark engine when Spark is not on the class path. */
  void requireSpark() {
    try {
      Class.forName(sparkProbeClass, false, SampleCommand.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      throw LiverecException.badInput(
          "--engine spark needs Spark on the class path, and the liverec CLI does not ship it"
              + " (Spark is a provided dependency). Run the Spark entry point"
              + " io.liverec.pipelines.sampling.SparkSamplingMain with spark-submit (same"
              + " arguments: --events URI --out URI [--strategy s] ...), or on Kubernetes with"
              + " manifests/spark/sampling-sparkapplication.yaml; or use --engine duckdb.");
    }
  }

  /** {@code file:///x}, {@code /x} or a relative path. */
  static Path toPath(String uri) {
    if (uri.startsWith("file:")) {
      return Path.of(URI.create(uri));
    }
    if (uri.contains("://")) {
      throw LiverecException.badInput(
          "the embedded sampler reads local paths only, got "
              + uri
              + "; use the Spark entry point (manifests/spark/) for remote storage");
    }
    return Path.of(uri);
  }

  static DataSpec readDataSpec(Path yaml) {
    try {
      ObjectMapper om =
          new ObjectMapper(new YAMLFactory())
              .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
      TrainingRun run = om.readValue(yaml.toFile(), TrainingRun.class);
      if (run.getSpec() == null || run.getSpec().data == null) {
        throw LiverecException.badInput(yaml + ": no spec.data in this TrainingRun");
      }
      return run.getSpec().data;
    } catch (IOException e) {
      throw LiverecException.badInput(
          yaml + ": not a readable TrainingRun (" + e.getMessage() + ")");
    }
  }
}
