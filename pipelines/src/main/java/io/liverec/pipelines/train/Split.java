package io.liverec.pipelines.train;

/**
 * The time-based split of the samples. The last {@code holdoutDays} days are the holdout (final
 * evaluation); of the earlier days, the latest tenth of the rows by request time {@code ts} (ties
 * broken by a row hash) is the validation set (early stopping), so early stopping, like the
 * holdout, scores the model on rows later than those it trained on; the rest trains the model and
 * fits the feature transform. Samples without a {@code ts} column fall back to a fixed hashed
 * tenth.
 */
public enum Split {
  TRAIN,
  VALIDATION,
  HOLDOUT;

  /** One in this many rows of the training window goes to validation. */
  static final int VALIDATION_MODULUS = 10;
}
