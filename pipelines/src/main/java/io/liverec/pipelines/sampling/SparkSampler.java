package io.liverec.pipelines.sampling;

import io.liverec.api.errors.LiverecException;
import io.liverec.pipelines.events.EventSchema;
import io.liverec.pipelines.events.SchemaCheck;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.storage.StorageLevel;

/**
 * The scale-out sampling engine: the same {@link SamplingSql} run by Spark SQL over the whole
 * requested day range at once (any Hadoop file system: local, HDFS, S3A). Output layout and report
 * are those of {@link DuckDbSampler}.
 */
public final class SparkSampler {
  public static final String ENGINE = "spark";

  /**
   * Stages read by several later queries are computed once and checkpointed; the others stay views
   * that Spark inlines into their readers (each checkpoint is a job of its own).
   */
  private static final java.util.Set<String> MATERIALIZED =
      java.util.Set.of(
          "impressions_base",
          "impressions_requests",
          SamplingSql.flagged(EventSchema.IMPRESSIONS),
          SamplingSql.flagged(EventSchema.CLICKS),
          "behaviours",
          "ruled");

  private final SparkSession spark;

  public SparkSampler(SparkSession spark) {
    this.spark = spark;
  }

  /** Samples the log under {@code events} (a path or URI) into {@code out}. */
  public SamplingReport sample(String events, String out, SamplingOptions o) {
    long start = System.nanoTime();
    // partition values stay strings ("2026-01-01"), as in the DuckDB engine
    spark.conf().set("spark.sql.sources.partitionColumnTypeInference.enabled", "false");
    try {
      FileSystem fs = FileSystem.get(new java.net.URI(events), hadoopConf());
      org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path(events);
      List<String> days = days(fs, root, o);
      for (EventSchema.Table t : EventSchema.SAMPLER_INPUTS) {
        if (t.partitioned()) {
          // one read per file: its inferred schema is checked, then the same DataFrame is used
          // (each schema inference is a Spark job of its own)
          Dataset<Row> all = null;
          long fileIndex = 0;
          for (String day : days) {
            for (String f : files(fs, dayDir(root, t, day))) {
              Dataset<Row> ds = spark.read().parquet(f);
              SchemaCheck.require(t, f, sparkColumns(ds.schema().fields()));
              List<String> cols = new ArrayList<>(t.columnNames());
              cols.add("'" + day + "' AS " + EventSchema.DAY);
              if (t == EventSchema.IMPRESSIONS) {
                // the row id of SamplingSql: file index · 2^40 + row number in the file
                cols.add(
                    "CAST("
                        + fileIndex
                        + " AS BIGINT) * "
                        + SamplingSql.FILE_ROW_ID_STRIDE
                        + " + _metadata.row_index AS "
                        + SamplingSql.ROW_ID);
              }
              fileIndex++;
              Dataset<Row> part = ds.selectExpr(cols.toArray(String[]::new));
              all = all == null ? part : all.unionAll(part);
            }
          }
          registerRaw(t, all);
        } else {
          String f = new org.apache.hadoop.fs.Path(root, t.name() + ".parquet").toString();
          if (!fs.exists(new org.apache.hadoop.fs.Path(f))) {
            throw LiverecException.badInput("missing side table " + f);
          }
          SchemaCheck.require(t, f, sparkColumns(spark.read().parquet(f).schema().fields()));
          spark
              .read()
              .parquet(f)
              .selectExpr(t.columnNames().toArray(String[]::new))
              .createOrReplaceTempView(SamplingSql.rawView(t));
        }
      }
      SamplingSql sql = new SamplingSql(o, days);
      List<Dataset<Row>> cached = new ArrayList<>();
      for (SamplingSql.Stage s : sql.stages()) {
        if (!MATERIALIZED.contains(s.name())) {
          spark.sql(s.sql()).createOrReplaceTempView(s.name());
          continue;
        }
        // materialized with a cut lineage: later plans stay shallow (a chain of persisted plans
        // makes Spark's plan descriptions, built for every query, grow with every stage)
        Dataset<Row> ds = spark.sql(s.sql()).persist(StorageLevel.MEMORY_AND_DISK());
        Dataset<Row> cut = ds.localCheckpoint(true);
        ds.unpersist();
        cached.add(cut);
        cut.createOrReplaceTempView(s.name());
      }
      String outRoot = out.endsWith("/") ? out : out + "/";
      spark
          .sql(sql.samplesQuery())
          .repartition(org.apache.spark.sql.functions.col("day"))
          .sortWithinPartitions("request_id", "position")
          .write()
          .mode(SaveMode.Overwrite)
          .option("compression", "zstd")
          .partitionBy("day")
          .parquet(outRoot + EventSchema.SAMPLES.name());
      FileSystem outFs = FileSystem.get(new java.net.URI(outRoot), hadoopConf());
      outFs.delete(new org.apache.hadoop.fs.Path(outRoot + "quarantine"), true);
      SamplingReport.Accumulator acc = new SamplingReport.Accumulator();
      for (Row r : spark.sql(sql.quarantineCountsQuery()).collectAsList()) {
        acc.quarantine(r.getString(0), r.getString(1), r.getLong(2));
      }
      for (EventSchema.Table t : SamplingSql.quarantinable()) {
        if (acc.quarantined.keySet().stream().noneMatch(k -> k.startsWith(t.name() + "/"))) {
          continue;
        }
        spark
            .sql(sql.quarantineQuery(t))
            .repartition(org.apache.spark.sql.functions.col("day"))
            .write()
            .mode(SaveMode.Overwrite)
            .option("compression", "zstd")
            .partitionBy("day")
            .parquet(outRoot + "quarantine/" + t.name());
      }
      Row totals = spark.sql(sql.totalsQuery()).first();
      acc.totals(totals.getLong(0), totals.getLong(1));
      for (Row r : spark.sql(sql.ruleCountsQuery()).collectAsList()) {
        acc.rule(
            r.getString(0),
            r.getLong(1),
            r.getLong(2),
            r.getLong(3),
            r.getLong(4),
            r.getDouble(5),
            r.getDouble(6),
            r.getDouble(7));
      }
      for (Row r : spark.sql(sql.weightHistogramQuery()).collectAsList()) {
        acc.bucket(r.getLong(0), r.getLong(1));
      }
      cached.forEach(Dataset::unpersist);
      long ms = (System.nanoTime() - start) / 1_000_000;
      SamplingReport report = acc.build(ENGINE, events, out, o, days, ms);
      write(outFs, outRoot + SamplingReport.JSON, report.toJson());
      write(outFs, outRoot + SamplingReport.MARKDOWN, report.toMarkdown());
      return report;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (java.net.URISyntaxException e) {
      throw LiverecException.badInput("not a valid path or URI: " + e.getInput());
    }
  }

  private org.apache.hadoop.conf.Configuration hadoopConf() {
    return spark.sparkContext().hadoopConfiguration();
  }

  private static org.apache.hadoop.fs.Path dayDir(
      org.apache.hadoop.fs.Path root, EventSchema.Table t, String day) {
    return new org.apache.hadoop.fs.Path(
        new org.apache.hadoop.fs.Path(root, t.name()), EventSchema.DAY + "=" + day);
  }

  private static List<String> days(FileSystem fs, org.apache.hadoop.fs.Path root, SamplingOptions o)
      throws IOException {
    org.apache.hadoop.fs.Path imp = new org.apache.hadoop.fs.Path(root, "impressions");
    if (!fs.exists(imp)) {
      throw LiverecException.badInput("no event log at " + root + ": expected " + imp);
    }
    List<String> days = new ArrayList<>();
    String prefix = EventSchema.DAY + "=";
    for (FileStatus s : fs.listStatus(imp)) {
      String n = s.getPath().getName();
      if (s.isDirectory() && n.startsWith(prefix)) {
        String d = n.substring(prefix.length());
        if ((o.from() == null || d.compareTo(o.from()) >= 0)
            && (o.to() == null || d.compareTo(o.to()) <= 0)) {
          days.add(d);
        }
      }
    }
    days.sort(null);
    if (days.isEmpty()) {
      throw LiverecException.badInput(
          "no impression days under " + imp + " in the requested range");
    }
    return days;
  }

  private static List<String> files(FileSystem fs, org.apache.hadoop.fs.Path dir)
      throws IOException {
    if (!fs.exists(dir)) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (FileStatus s : fs.listStatus(dir)) {
      if (s.isFile() && s.getPath().getName().endsWith(".parquet")) {
        out.add(s.getPath().toString());
      }
    }
    out.sort(null);
    return out;
  }

  private void registerRaw(EventSchema.Table t, Dataset<Row> all) {
    String view = SamplingSql.rawView(t);
    if (all == null) {
      spark
          .sql(
              "SELECT "
                  + t.columns().stream()
                      .map(c -> "CAST(NULL AS " + sparkType(c.type()) + ") AS " + c.name())
                      .collect(Collectors.joining(", "))
                  + ", CAST(NULL AS STRING) AS day"
                  + (t == EventSchema.IMPRESSIONS
                      ? ", CAST(NULL AS BIGINT) AS " + SamplingSql.ROW_ID
                      : "")
                  + " WHERE 1 = 0")
          .createOrReplaceTempView(view);
      return;
    }
    all.createOrReplaceTempView(view);
  }

  /** Spark SQL type of a schema type given in DuckDB's names. */
  static String sparkType(String duck) {
    return switch (duck) {
      case EventSchema.BIGINT_LIST -> "ARRAY<BIGINT>";
      case EventSchema.FLOAT_LIST -> "ARRAY<FLOAT>";
      case EventSchema.VARCHAR -> "STRING";
      case EventSchema.INTEGER -> "INT";
      default -> duck;
    };
  }

  /** Spark's field types in DuckDB's names, for {@link SchemaCheck#require}. */
  static Map<String, String> sparkColumns(StructField[] fields) {
    Map<String, String> m = new LinkedHashMap<>();
    for (StructField f : fields) {
      m.put(f.name(), duckName(f.dataType()));
    }
    return m;
  }

  private static String duckName(DataType t) {
    if (t instanceof ArrayType a) {
      return duckName(a.elementType()) + "[]";
    }
    String s = t.sql().toUpperCase(Locale.ROOT);
    return switch (s) {
      case "INT" -> EventSchema.INTEGER;
      case "STRING" -> EventSchema.VARCHAR;
      default -> s;
    };
  }

  private static void write(FileSystem fs, String path, String text) throws IOException {
    try (OutputStream os = fs.create(new org.apache.hadoop.fs.Path(path), true)) {
      os.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }
}
