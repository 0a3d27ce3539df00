package io.liverec.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;

/** MLflow experiment and registered model. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TrackingSpec {
  public String experiment = "liverec";
  public String registeredModel;
}
