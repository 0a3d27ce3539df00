package io.liverec.pipelines.train;

import io.liverec.api.v1alpha1.DataSpec;
import io.liverec.api.v1alpha1.TrainingRunSpec;
import io.liverec.featurestore.FeatureRegistry;
import io.liverec.featurestore.offline.PointInTimeSql;
import io.liverec.pipelines.events.EventSchema;
import io.liverec.pipelines.features.ColumnSpec;
import io.liverec.pipelines.features.FeatureColumn;
import io.liverec.pipelines.featureviews.TrainingFeatureEngines;
import io.liverec.pipelines.featureviews.TrainingFeatureJoin;
import io.liverec.pipelines.featureviews.TrainingFeatureViews;
import io.liverec.pipelines.sampling.DuckDbSampler;
import io.liverec.pipelines.sampling.SamplingOptions;
import io.liverec.pipelines.sampling.SamplingReport;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The rows a ranking run trains on and the columns it reads: given samples, a sample directory
 * named by {@code spec.data.events}, or an event log sampled into the run directory once; then,
 * when {@code spec.data.featureViews} names views (resolved in the feature registry, {@link
 * TrainingFeatureViews}), those samples joined point-in-time with them on the engine {@code
 * spec.data.engine} names ({@link TrainingFeatureEngines}: DuckDB or Spark) into {@link
 * RunLayout#featureSamples()}, so every sample carries the user and room features known at its
 * impression time. With the default column spec each joined numeric feature becomes a
 * quantile-bucket feature (bucket 0: no value within ttl). A resumed run reuses both the samples
 * and the joined samples.
 *
 * @param samples the sample table trained on
 * @param columns the column spec to read it with
 * @param views the joined feature views (empty = none)
 */
public record TrainingInputs(Path samples, ColumnSpec columns, List<PointInTimeSql.View> views) {

  /** Quantile buckets of a joined feature under the default column spec. */
  static final int FEATURE_BUCKETS = 16;

  /**
   * {@link #prepare(FeatureRegistry, String, TrainingRunSpec, RunLayout, RankingTrainer.Options)}
   * in namespace default, with the registry the environment configures (else the embedded one).
   */
  public static TrainingInputs prepare(
      TrainingRunSpec spec, RunLayout layout, RankingTrainer.Options options) {
    return prepare(null, null, spec, layout, options);
  }

  /**
   * Finds (sampling and joining when needed) the inputs of {@code spec} in {@code layout}; the
   * views {@code spec.data.featureViews} names are resolved in {@code registry} (null: the one the
   * environment configures, else the embedded registry over the views declared next to the log,
   * {@link TrainingFeatureViews#registry}) within {@code namespace} (null: default).
   */
  public static TrainingInputs prepare(
      FeatureRegistry registry,
      String namespace,
      TrainingRunSpec spec,
      RunLayout layout,
      RankingTrainer.Options options) {
    ColumnSpec columns = options.columns() == null ? ColumnSpec.defaults() : options.columns();
    Path samples = options.samples();
    Path log = null;
    if (samples == null) {
      log = SampleSources.toPath(SampleSources.eventsUri(spec));
      samples = SampleSources.isEventLog(log) ? layout.samples() : SampleSources.resolve(spec);
    }
    boolean eventLog = log != null && SampleSources.isEventLog(log);
    if (eventLog) {
      if (!Files.exists(layout.dir().resolve(SamplingReport.JSON))) {
        PrintStream out = options.progress();
        new DuckDbSampler()
            .sample(
                log,
                layout.dir(),
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
    List<String> names = spec.data.featureViews == null ? List.of() : spec.data.featureViews;
    if (names.isEmpty()) {
      return new TrainingInputs(samples, columns, List.of());
    }
    // embedded, the views are declared next to the log: the log itself, or the directory holding
    // samples/; they are registered into the embedded registry and resolved from it
    Path viewsAt = eventLog ? log : samples.toAbsolutePath().getParent();
    FeatureRegistry reg =
        registry != null
            ? registry
            : TrainingFeatureViews.registry(System.getenv(), viewsAt, namespace);
    List<PointInTimeSql.View> views = TrainingFeatureViews.resolve(reg, namespace, names);
    if (columns.rooms() != null && !Path.of(columns.rooms().path()).isAbsolute()) {
      // a relative rooms table is relative to the samples, which the joined table is not next to
      Path base = Files.isDirectory(samples) ? samples : samples.toAbsolutePath().getParent();
      columns =
          columns.withRooms(
              new ColumnSpec.RoomsTable(
                  base.resolve(columns.rooms().path()).toAbsolutePath().normalize().toString(),
                  columns.rooms().key()));
    }
    Path joined = layout.featureSamples();
    if (!Files.isDirectory(joined)) {
      long rows = TrainingFeatureEngines.join(spec.data.engine, samples, views, joined);
      if (options.progress() != null) {
        options
            .progress()
            .println(
                "joined "
                    + (rows < 0 ? "the" : rows)
                    + " samples point-in-time with "
                    + names
                    + " ("
                    + (spec.data.engine == null ? DataSpec.Engine.DUCKDB : spec.data.engine)
                    + ")");
      }
    }
    if (options.columns() == null) {
      columns = columns.plus(bucketFeatures(columns, views));
    }
    return new TrainingInputs(joined, columns, views);
  }

  /** A quantile-bucket feature per joined numeric feature the spec does not already have. */
  static List<FeatureColumn> bucketFeatures(ColumnSpec columns, List<PointInTimeSql.View> views) {
    List<FeatureColumn> out = new ArrayList<>();
    for (String f : TrainingFeatureJoin.numericFeatures(views)) {
      boolean known = columns.features().stream().anyMatch(c -> c.name().equals(f));
      if (!known) {
        out.add(FeatureColumn.bucket(f, FEATURE_BUCKETS));
      }
    }
    return out;
  }
}
