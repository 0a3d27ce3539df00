package io.liverec.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Observed state of a TrainingRun. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TrainingRunStatus {
  /**
   * Pending, Running, Succeeded, Failed; Invalid when the spec breaks a validation rule (no Job is
   * started for it).
   */
  public String phase;

  public Long observedGeneration;
  public List<Condition> conditions = new ArrayList<>();
  public String jobName;
  public String mlflowRunId;

  /** Registered model version created for this run, if it passed its gates. */
  public String modelVersion;

  public String modelUri;

  /** Final metrics, e.g. {@code ctr_auc}. */
  public Map<String, Double> metrics = new LinkedHashMap<>();

  /**
   * The key figure shown by {@code kubectl get trainingruns}: {@code <metric>=<value>} of the first
   * gate's metric, or of the first metric reported when there is no gate.
   */
  public String keyMetric;
}
