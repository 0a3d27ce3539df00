package io.liverec.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A status condition following the Kubernetes API conventions. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Condition {
  public String type;

  /** {@code True}, {@code False} or {@code Unknown}. */
  public String status;

  public String reason;
  public String message;
  public Long observedGeneration;

  /** RFC 3339 time of the last change of {@link #status}. */
  public String lastTransitionTime;
}
