package io.liverec.pipelines.sampling;

import io.liverec.api.errors.LiverecException;
import io.liverec.api.v1alpha1.DataSpec;
import io.liverec.featurestore.FeatureRegistry;
import io.liverec.featurestore.config.FeatureStores;
import io.liverec.pipelines.featureviews.SparkTrainingFeatureJoin;
import io.liverec.pipelines.featureviews.TrainingFeatureViews;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * Entry point for {@code spark-submit} (and the Kubeflow Spark operator, see manifests/spark/):
 * samples an event log with {@link SparkSampler}. Arguments mirror {@code liverec sample} and the
 * fields of a TrainingRun's {@code spec.data}:
 *
 * <pre>
 * --events URI --out URI [--strategy skip-above|click-around|all] [--window K]
 * [--no-click drop|keepTopK] [--no-click-top-k N] [--conversion-watch-seconds S]
 * [--w-gift X] [--w-flower X] [--w-watch X] [--w-async-view X] [--from DAY] [--to DAY]
 * [--feature-views NAME,NAME]
 * </pre>
 *
 * With {@code --feature-views} (a TrainingRun's {@code spec.data.featureViews}) the samples are
 * then joined point-in-time with those views into {@code <out>/samples_pit} ({@link
 * SparkTrainingFeatureJoin}); the views are resolved in the configured feature registry ({@code
 * LIVEREC_FEATURE_REGISTRY} / {@code LIVEREC_FEAST_REPO}), else in the embedded one over {@code
 * <events>/features/<name>.yaml}, which must then be a local path.
 *
 * <p>Plain argument parsing on purpose: the application jar then needs only LiveRec's own classes
 * on top of what Spark provides.
 */
public final class SparkSamplingMain {
  private SparkSamplingMain() {}

  public static void main(String[] args) {
    Map<String, String> a = parse(args);
    SamplingOptions options = options(a);
    String events = require(a, "--events");
    String out = require(a, "--out");
    SparkSession spark = SparkSession.builder().appName("liverec-sample").getOrCreate();
    spark.conf().set("spark.sql.ui.explainMode", "simple");
    try {
      SamplingReport report = new SparkSampler(spark).sample(events, out, options);
      System.out.println(report.toMarkdown());
      if (a.containsKey("--feature-views")) {
        List<String> names = List.of(a.get("--feature-views").split(","));
        String samples = out.replaceAll("/+$", "") + "/samples";
        SparkTrainingFeatureJoin.join(
            spark,
            samples,
            TrainingFeatureViews.resolve(registry(System.getenv(), events), null, names),
            out.replaceAll("/+$", "") + "/samples_pit");
        System.out.println("joined the samples point-in-time with " + names);
      }
    } finally {
      spark.stop();
    }
  }

  static Map<String, String> parse(String[] args) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw LiverecException.badInput("bad argument '" + args[i] + "': expected --name value");
      }
      m.put(args[i], args[++i]);
    }
    return m;
  }

  static SamplingOptions options(Map<String, String> a) {
    DataSpec d = new DataSpec();
    if (a.containsKey("--strategy")) {
      d.sampling.strategy = SamplingOptions.parseStrategy(a.get("--strategy"));
    }
    if (a.containsKey("--window")) {
      d.sampling.window = Integer.parseInt(a.get("--window"));
    }
    if (a.containsKey("--no-click")) {
      d.sampling.noClick =
          switch (a.get("--no-click")) {
            case "drop" -> DataSpec.NoClickPolicy.DROP;
            case "keepTopK" -> DataSpec.NoClickPolicy.KEEP_TOP_K;
            default -> throw LiverecException.badInput("--no-click: drop or keepTopK");
          };
    }
    if (a.containsKey("--no-click-top-k")) {
      d.sampling.noClickTopK = Integer.parseInt(a.get("--no-click-top-k"));
    }
    if (a.containsKey("--conversion-watch-seconds")) {
      d.labels.conversionWatchSeconds = Integer.parseInt(a.get("--conversion-watch-seconds"));
    }
    if (a.containsKey("--w-gift")) {
      d.weights.gift = Double.parseDouble(a.get("--w-gift"));
    }
    if (a.containsKey("--w-flower")) {
      d.weights.flower = Double.parseDouble(a.get("--w-flower"));
    }
    if (a.containsKey("--w-watch")) {
      d.weights.watch = Double.parseDouble(a.get("--w-watch"));
    }
    if (a.containsKey("--w-async-view")) {
      d.weights.asyncView = Double.parseDouble(a.get("--w-async-view"));
    }
    d.from = a.get("--from");
    d.to = a.get("--to");
    return SamplingOptions.from(d);
  }

  /**
   * The registry the views are resolved in: the configured one ({@code LIVEREC_FEATURE_REGISTRY},
   * {@code LIVEREC_FEAST_REPO}), else the embedded one over the views a local log declares.
   */
  static FeatureRegistry registry(Map<String, String> env, String events) {
    return FeatureStores.configured(env)
        .orElseGet(
            () -> TrainingFeatureViews.embedded(java.nio.file.Path.of(localPath(events)), null));
  }

  private static String localPath(String uri) {
    if (uri.startsWith("file://")) {
      return java.net.URI.create(uri).getPath();
    }
    if (uri.contains("://")) {
      throw LiverecException.badInput(
          "--feature-views: without a configured feature registry (LIVEREC_FEATURE_REGISTRY,"
              + " LIVEREC_FEAST_REPO) the views are read from <events>/features/, which must be"
              + " local; got --events "
              + uri);
    }
    return uri;
  }

  private static String require(Map<String, String> a, String name) {
    String v = a.get(name);
    if (v == null) {
      throw LiverecException.badInput("missing " + name);
    }
    return v;
  }
}
