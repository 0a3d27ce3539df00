package io.liverec.pipelines.ranking.layers;

/**
 * What an interaction layer adds to the model: a vector fed into the DNN part ({@code deep}, e.g.
 * NFM's bi-interaction) and/or a vector fed straight into every task's final logit layer ({@code
 * wide}, e.g. the FM term, cross-network or attention outputs). Either may be null (width 0).
 */
public record Contribution<T>(T deep, int deepWidth, T wide, int wideWidth) {

  public static <T> Contribution<T> deep(T x, int width) {
    return new Contribution<>(x, width, null, 0);
  }

  public static <T> Contribution<T> wide(T x, int width) {
    return new Contribution<>(null, 0, x, width);
  }
}
