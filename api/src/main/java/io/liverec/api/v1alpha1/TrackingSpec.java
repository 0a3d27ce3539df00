package io.liverec.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Pattern;

/** MLflow experiment and registered model. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TrackingSpec {
  @Pattern(Patterns.NAME)
  public String experiment = "liverec";

  @Pattern(Patterns.NAME)
  public String registeredModel;
}
