package io.liverec.api.run;

import io.liverec.api.v1alpha1.DataSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of the Spark sampling entry point ({@code
 * io.liverec.pipelines.sampling.SparkSamplingMain}) for a TrainingRun's {@code spec.data}: the
 * contract between the operator, which puts it into the SparkApplication it submits, and that main
 * class, whose own parser reads it back (tested in pipelines). Every sampling field is written out,
 * defaults included, so both sides need not agree on defaults. Pure.
 */
public final class SparkSamplingArgs {
  /** The entry point these arguments are for. */
  public static final String MAIN_CLASS = "io.liverec.pipelines.sampling.SparkSamplingMain";

  private SparkSamplingArgs() {}

  /**
   * The arguments that sample {@code events} with {@code data}'s rules into {@code out} ({@code
   * <out>/samples}) and, when {@code data.featureViews} names views, join them point-in-time into
   * {@code <out>/samples_pit}.
   */
  public static List<String> of(DataSpec data, String events, String out) {
    DataSpec d = data == null ? new DataSpec() : data;
    DataSpec defaults = new DataSpec();
    var sampling = d.sampling == null ? defaults.sampling : d.sampling;
    var labels = d.labels == null ? defaults.labels : d.labels;
    var weights = d.weights == null ? defaults.weights : d.weights;
    List<String> a = new ArrayList<>();
    add(a, "--events", events);
    add(a, "--out", out);
    add(a, "--strategy", strategy(or(sampling.strategy, defaults.sampling.strategy)));
    add(a, "--window", or(sampling.window, defaults.sampling.window));
    add(
        a,
        "--no-click",
        or(sampling.noClick, defaults.sampling.noClick) == DataSpec.NoClickPolicy.KEEP_TOP_K
            ? "keepTopK"
            : "drop");
    add(a, "--no-click-top-k", or(sampling.noClickTopK, defaults.sampling.noClickTopK));
    add(
        a,
        "--conversion-watch-seconds",
        or(labels.conversionWatchSeconds, defaults.labels.conversionWatchSeconds));
    add(a, "--w-gift", or(weights.gift, defaults.weights.gift));
    add(a, "--w-flower", or(weights.flower, defaults.weights.flower));
    add(a, "--w-watch", or(weights.watch, defaults.weights.watch));
    add(a, "--w-async-view", or(weights.asyncView, defaults.weights.asyncView));
    if (d.from != null) {
      add(a, "--from", d.from);
    }
    if (d.to != null) {
      add(a, "--to", d.to);
    }
    if (d.featureViews != null && !d.featureViews.isEmpty()) {
      add(a, "--feature-views", String.join(",", d.featureViews));
    }
    return a;
  }

  /** The name {@code --strategy} takes for {@code s} (its name in the CRD). */
  public static String strategy(DataSpec.Strategy s) {
    return switch (s) {
      case SKIP_ABOVE -> "skip-above";
      case CLICK_AROUND -> "click-around";
      case ALL -> "all";
    };
  }

  private static <T> T or(T v, T fallback) {
    return v == null ? fallback : v;
  }

  private static void add(List<String> a, String name, Object value) {
    a.add(name);
    a.add(String.valueOf(value));
  }
}
