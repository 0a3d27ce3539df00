package io.liverec.pipelines.featureviews;

import io.liverec.featurestore.offline.PointInTimeSql;
import io.liverec.featurestore.offline.SparkPointInTimeJoin;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * {@link TrainingFeatureJoin} at scale: the same point-in-time SQL ({@link PointInTimeSql}) run by
 * Spark SQL ({@link SparkPointInTimeJoin}) over a day-partitioned sample table, written as one
 * again ({@code day=D/}). Spark does not keep the input's file names or row order; the rows and
 * their values are the DuckDB engine's (PitEnginesAgreeTest).
 */
public final class SparkTrainingFeatureJoin {
  private static final String PIT_TS = "_pit_ts";

  private SparkTrainingFeatureJoin() {}

  /** Joins the samples at {@code samples} (path or URI) with {@code views} into {@code out}. */
  public static void join(
      SparkSession spark, String samples, List<PointInTimeSql.View> views, String out) {
    // partition values stay strings ("2026-01-01"), as the samplers write and read them
    spark.conf().set("spark.sql.sources.partitionColumnTypeInference.enabled", "false");
    Dataset<Row> rows =
        spark
            .read()
            .parquet(samples)
            .selectExpr(
                "*",
                "timestamp_millis(CAST("
                    + TrainingFeatureJoin.TIME_COLUMN
                    + " AS BIGINT)) AS "
                    + PIT_TS);
    SparkPointInTimeJoin.join(spark, rows, PIT_TS, views, false)
        .drop(PIT_TS)
        .write()
        .mode(SaveMode.Overwrite)
        .partitionBy("day")
        .parquet(out);
  }
}
