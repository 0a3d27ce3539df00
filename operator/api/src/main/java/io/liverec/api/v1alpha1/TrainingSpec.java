package io.liverec.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Optimisation settings. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TrainingSpec {
  public Integer epochs = 2;
  public Integer batchSize = 1024;
  public Double learningRate = 0.001;
  public Long seed = 7L;

  /** Stop when the validation metric has not improved for this many epochs (0 = never). */
  public Integer earlyStoppingPatience = 1;
}
