package io.liverec.pipelines.train;

/**
 * The time-based split of the samples. The last {@code holdoutDays} days are the holdout (final
 * evaluation); of the earlier days, a fixed hashed tenth of the rows is the validation set (early
 * stopping) and the rest trains the model and fits the feature transform.
 */
public enum Split {
  TRAIN,
  VALIDATION,
  HOLDOUT;

  /** Rows of the training window that go to validation: hash(row) mod this = 0. */
  static final int VALIDATION_MODULUS = 10;
}
