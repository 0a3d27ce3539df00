package io.liverec.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A quality gate on a final metric: {@code min ≤ metric ≤ max} (either bound optional). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Gate {
  public String metric;
  public Double min;
  public Double max;

  public Gate() {}

  public Gate(String metric, Double min, Double max) {
    this.metric = metric;
    this.min = min;
    this.max = max;
  }
}
