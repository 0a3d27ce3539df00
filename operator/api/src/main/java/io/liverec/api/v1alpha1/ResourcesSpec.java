package io.liverec.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Resources of the trainer Job on a cluster (ignored embedded). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ResourcesSpec {
  public String cpu = "2";
  public String memory = "4Gi";
  public Integer gpu = 0;

  /** Job retries before the run is Failed. */
  public Integer backoffLimit = 1;

  /** Job deadline in seconds (activeDeadlineSeconds); null = none. */
  public Long deadlineSeconds;
}
