package io.liverec.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** A quality gate on a final metric: {@code min ≤ metric ≤ max} (either bound optional). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.min) || has(self.max)", message = "a gate needs min or max")
@ValidationRule(
    value = "!has(self.min) || !has(self.max) || self.min <= self.max",
    message = "gate min must not exceed max",
    fieldPath = ".min")
public class Gate {
  @Required
  @Pattern(Patterns.METRIC)
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
