package io.liverec.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.List;

/** Observed state of a FeatureView. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class FeatureViewStatus {
  /** Pending, Registered, Ready (registered and materialization scheduled), Invalid, Failed. */
  public String phase;

  public Long observedGeneration;
  public List<Condition> conditions = new ArrayList<>();

  /** Version of the registry entry; increases when the registered definition changes. */
  public Long registryVersion;

  /** Name of the materialization CronJob, when scheduled. */
  public String cronJobName;

  /** RFC 3339 time of the last successful materialization, when known. */
  public String lastMaterialized;
}
