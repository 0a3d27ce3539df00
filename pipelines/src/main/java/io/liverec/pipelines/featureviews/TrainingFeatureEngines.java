package io.liverec.pipelines.featureviews;

import io.liverec.api.errors.LiverecException;
import io.liverec.api.v1alpha1.DataSpec;
import io.liverec.featurestore.offline.PointInTimeSql;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The point-in-time join of a training run's samples on the engine {@code spec.data.engine} names:
 * DuckDB ({@link TrainingFeatureJoin}: the samples' files and row order kept) or Spark ({@link
 * SparkTrainingFeatureJoin}: the same rows and values, day-partitioned, in Spark's own files and
 * order). Spark must be on the class path; without it the run fails naming the field.
 */
public final class TrainingFeatureEngines {
  /** A class every Spark SQL installation has: whether Spark is on the class path. */
  static final String SPARK_PROBE_CLASS = "org.apache.spark.sql.SparkSession";

  private TrainingFeatureEngines() {}

  /**
   * Joins {@code samples} with {@code views} into {@code out} on {@code engine} (null: DuckDB);
   * returns the rows written, or -1 when the engine does not count them (Spark).
   */
  public static long join(
      DataSpec.Engine engine, Path samples, List<PointInTimeSql.View> views, Path out) {
    if (engine != DataSpec.Engine.SPARK) {
      return TrainingFeatureJoin.join(samples, views, out);
    }
    requireSpark(SPARK_PROBE_CLASS);
    Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
    TrainingFeatureJoin.deleteRecursively(tmp);
    SparkLocalJoin.join(samples, views, tmp);
    TrainingFeatureJoin.deleteRecursively(out);
    try {
      Files.move(tmp, out);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot move " + tmp + " to " + out, e);
    }
    return -1;
  }

  static void requireSpark(String probe) {
    try {
      Class.forName(probe, false, TrainingFeatureEngines.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw LiverecException.badInput(
          "spec.data.engine: spark needs Spark SQL on the trainer's class path, which this"
              + " installation does not have; use duckdb (the default, embedded), or join on a"
              + " cluster with SparkSamplingMain --feature-views (manifests/spark/)");
    }
  }
}
