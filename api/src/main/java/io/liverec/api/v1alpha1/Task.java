package io.liverec.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The kind of model a TrainingRun produces. */
public enum Task {
  @JsonProperty("ranking")
  RANKING,
  @JsonProperty("recall")
  RECALL
}
