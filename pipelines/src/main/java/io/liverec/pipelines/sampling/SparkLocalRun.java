package io.liverec.pipelines.sampling;

import org.apache.spark.sql.SparkSession;

/**
 * {@code liverec sample --engine spark}: {@link SparkSampler} in an in-process {@code local[*]}
 * Spark. Kept apart from {@link SampleCommand} so that Spark's classes are linked only when Spark
 * is on the class path (the CLI does not ship it; clusters use {@link SparkSamplingMain}).
 */
final class SparkLocalRun {
  private SparkLocalRun() {}

  static SamplingReport sample(String events, String out, SamplingOptions options) {
    SparkSession spark =
        SparkSession.builder()
            .master("local[*]")
            .appName("liverec-sample")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.sql.ui.explainMode", "simple")
            .getOrCreate();
    try {
      return new SparkSampler(spark).sample(events, out, options);
    } finally {
      spark.stop();
    }
  }
}
