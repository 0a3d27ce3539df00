package io.liverec.pipelines.sampling;

import io.liverec.api.v1alpha1.DataSpec;
import java.util.Objects;

/**
 * The sampling rules, taken from the same fields a TrainingRun uses ({@link DataSpec#sampling},
 * {@link DataSpec#labels}, {@link DataSpec#weights}, {@link DataSpec#from}/{@link DataSpec#to}).
 *
 * @param strategy skip-above, click-around or all
 * @param window click-around window k (keep non-clicked impressions within ±k positions of a click)
 * @param noClick skip-above's treatment of requests without a click
 * @param noClickTopK with {@code keepTopK}: how many of the first impressions to keep
 * @param conversionWatchSeconds conversion = click ∧ watch seconds ≥ this
 * @param giftWeight w_gift of the behaviour weight
 * @param flowerWeight w_flower
 * @param watchWeight w_watch (multiplies ln(1 + watch seconds))
 * @param asyncViewWeight w_asyncView
 * @param from first day (inclusive, yyyy-MM-dd) or null
 * @param to last day (inclusive, yyyy-MM-dd) or null
 */
public record SamplingOptions(
    DataSpec.Strategy strategy,
    int window,
    DataSpec.NoClickPolicy noClick,
    int noClickTopK,
    int conversionWatchSeconds,
    double giftWeight,
    double flowerWeight,
    double watchWeight,
    double asyncViewWeight,
    String from,
    String to) {

  public SamplingOptions {
    Objects.requireNonNull(strategy, "strategy");
    Objects.requireNonNull(noClick, "noClick");
    if (window < 0) {
      throw new IllegalArgumentException("window must be >= 0, got " + window);
    }
    if (noClickTopK < 0) {
      throw new IllegalArgumentException("noClickTopK must be >= 0, got " + noClickTopK);
    }
  }

  /** The rules of a TrainingRun's data spec (defaults where a field is unset). */
  public static SamplingOptions from(DataSpec data) {
    DataSpec defaults = new DataSpec();
    DataSpec.SamplingSpec s = data.sampling != null ? data.sampling : defaults.sampling;
    DataSpec.LabelsSpec l = data.labels != null ? data.labels : defaults.labels;
    DataSpec.WeightsSpec w = data.weights != null ? data.weights : defaults.weights;
    return new SamplingOptions(
        or(s.strategy, defaults.sampling.strategy),
        or(s.window, defaults.sampling.window),
        or(s.noClick, defaults.sampling.noClick),
        or(s.noClickTopK, defaults.sampling.noClickTopK),
        or(l.conversionWatchSeconds, defaults.labels.conversionWatchSeconds),
        or(w.gift, defaults.weights.gift),
        or(w.flower, defaults.weights.flower),
        or(w.watch, defaults.weights.watch),
        or(w.asyncView, defaults.weights.asyncView),
        data.from,
        data.to);
  }

  /** The defaults of the TrainingRun spec. */
  public static SamplingOptions defaults() {
    return from(new DataSpec());
  }

  public SamplingOptions withStrategy(DataSpec.Strategy s, int k) {
    return withSelection(s, k, noClick, noClickTopK, from, to);
  }

  public SamplingOptions withNoClick(DataSpec.NoClickPolicy p, int topK) {
    return withSelection(strategy, window, p, topK, from, to);
  }

  public SamplingOptions withDays(String fromDay, String toDay) {
    return withSelection(strategy, window, noClick, noClickTopK, fromDay, toDay);
  }

  /** The same labels and weights with another choice of impressions and days. */
  private SamplingOptions withSelection(
      DataSpec.Strategy newStrategy,
      int newWindow,
      DataSpec.NoClickPolicy newNoClick,
      int newNoClickTopK,
      String newFrom,
      String newTo) {
    return new SamplingOptions(
        newStrategy,
        newWindow,
        newNoClick,
        newNoClickTopK,
        conversionWatchSeconds,
        giftWeight,
        flowerWeight,
        watchWeight,
        asyncViewWeight,
        newFrom,
        newTo);
  }

  /** The strategy's name as written in the spec ({@code skip-above}, …). */
  public String strategyName() {
    return switch (strategy) {
      case SKIP_ABOVE -> "skip-above";
      case CLICK_AROUND -> "click-around";
      case ALL -> "all";
    };
  }

  /** Parses a strategy name as written in the spec or on the command line. */
  public static DataSpec.Strategy parseStrategy(String name) {
    return switch (name) {
      case "skip-above" -> DataSpec.Strategy.SKIP_ABOVE;
      case "click-around" -> DataSpec.Strategy.CLICK_AROUND;
      case "all" -> DataSpec.Strategy.ALL;
      default ->
          throw new IllegalArgumentException(
              "unknown strategy '" + name + "' (expected skip-above, click-around or all)");
    };
  }

  private static <T> T or(T v, T d) {
    return v != null ? v : d;
  }
}
