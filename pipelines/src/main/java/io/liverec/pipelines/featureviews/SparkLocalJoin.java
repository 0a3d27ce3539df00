package io.liverec.pipelines.featureviews;

import io.liverec.featurestore.offline.PointInTimeSql;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/**
 * {@code spec.data.engine: spark} in the trainer: {@link SparkTrainingFeatureJoin} in the JVM's
 * Spark session, or an in-process {@code local[*]} one started (and stopped) for the join. Kept
 * apart from {@link TrainingFeatureEngines} so that Spark's classes are linked only once Spark is
 * known to be on the class path.
 */
final class SparkLocalJoin {
  private SparkLocalJoin() {}

  static void join(Path samples, List<PointInTimeSql.View> views, Path out) {
    scala.Option<SparkSession> existing = SparkSession.getDefaultSession();
    SparkSession spark =
        existing.isDefined()
            ? existing.get()
            : SparkSession.builder()
                .master("local[*]")
                .appName("liverec-pit-join")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.driver.host", "127.0.0.1")
                .getOrCreate();
    try {
      SparkTrainingFeatureJoin.join(
          spark, samples.toAbsolutePath().toString(), views, out.toAbsolutePath().toString());
    } finally {
      if (existing.isEmpty()) {
        spark.stop();
      }
    }
  }
}
