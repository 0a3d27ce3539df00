package io.liverec.pipelines.ranking;

import io.liverec.api.v1alpha1.ModelSpec;
import io.liverec.api.v1alpha1.TrainingSpec;
import io.liverec.pipelines.features.FeatureSchema;

/** Entry points for trainers: validate a spec before reading data, then create a ranker. */
public final class Rankers {
  private Rankers() {}

  /**
   * Checks the model and training spec (names through the registries, incompatible options) without
   * any data or schema.
   *
   * @throws IllegalArgumentException whose message starts with the offending spec field
   */
  public static void validate(ModelSpec model, TrainingSpec training) {
    RankerConfig.of(model, training, null);
  }

  /** Validates against the schema and builds a TF ranker initialised from the training seed. */
  public static TfRanker create(ModelSpec model, TrainingSpec training, FeatureSchema schema) {
    return new TfRanker(RankerConfig.of(model, training, schema));
  }
}
