package io.liverec.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** Optimisation settings. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TrainingSpec {
  @Min(1)
  @Max(1000)
  public Integer epochs = 2;

  @Min(1)
  @Max(1048576)
  public Integer batchSize = 1024;

  @Min(value = 0, inclusive = false)
  @Max(10)
  public Double learningRate = 0.001;

  public Long seed = 7L;

  /** Stop when the validation metric has not improved for this many epochs (0 = never). */
  @Min(0)
  public Integer earlyStoppingPatience = 1;
}
