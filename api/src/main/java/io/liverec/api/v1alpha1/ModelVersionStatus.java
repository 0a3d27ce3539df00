package io.liverec.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Observed state of a ModelVersion rollout. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ModelVersionStatus {
  /** Pending, Loading, Canary, Promoted, RolledBack, Failed; Invalid for a rejected spec. */
  public String phase;

  public Long observedGeneration;
  public List<Condition> conditions = new ArrayList<>();

  /** Index of the current canary step (0-based) while phase is Canary. */
  public Integer currentStep;

  /** Percentage of traffic currently routed to this version. */
  public Integer trafficWeight = 0;

  /** The version serving the remaining traffic (the champion before this rollout). */
  public Integer stableVersion;

  /** RFC 3339 time the current phase or step started. */
  public String stepStartedAt;

  /** RFC 3339 time of the last analysis run. */
  public String lastAnalysisAt;

  /** Failed analysis runs so far in this rollout. */
  public Integer failedAnalyses = 0;

  /** True while {@code spec.rollout.control} holds the canary at its weight. */
  public Boolean paused;

  /** Analysis runs of this rollout, oldest first (the last 20 are kept). */
  public List<AnalysisRun> analysisRuns = new ArrayList<>();

  /**
   * Fingerprint of what was loaded (model, version, source, triton settings). A spec change that
   * alters it reloads the version; a change of the rollout steps alone does not.
   */
  public String loadedFingerprint;

  /**
   * State of the registry's {@code champion} alias after a terminal phase: {@code Synced}, or
   * {@code Pending} while the registry (MLflow) could not be updated and the operator retries;
   * unset when the source is not a registered model.
   */
  public String registryAlias;

  /**
   * After a promotion: the version that served before ({@link #stableVersion}) once the operator
   * unloaded it from the inference server, a grace period after the promotion (unset until then,
   * and when nothing served before). In status, so a restarted operator does not unload twice.
   */
  public Integer retiredVersion;

  /** Human-readable summary of the last transition. */
  public String message;

  /**
   * The rollout's record, one entry per canary step it entered, oldest first: the step's weight,
   * when it started and ended, how many analysis runs it took and the statistics of its last one,
   * and how it ended. Unlike {@link #analysisRuns} nothing is dropped (a rollout has few steps).
   */
  public List<StepRecord> steps = new ArrayList<>();

  /**
   * The terminal decision's reason ({@code <Reason>: <message>}), once Promoted/RolledBack/Failed.
   */
  public String decisionReason;

  /**
   * State of the rollout's record as tags on the registered model version: {@code Synced}, or
   * {@code Pending} while the registry (MLflow) could not be written and the operator retries;
   * unset when the source is not a registered model.
   */
  public String registryTrail;

  /** How many of the record's tags (ended steps in order, then the decision) the registry has. */
  public Integer registryTrailTags = 0;

  /** One analysis run. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class AnalysisRun {
    public Integer step;

    /** The canary's share of traffic (percent) while this run's data was collected. */
    public Integer weight;

    public String time;

    /** Successful, Failed or Inconclusive (missing data never promotes). */
    public String result;

    public Map<String, Double> metrics = new LinkedHashMap<>();
    public String message;
  }

  /** One canary step of the rollout's record. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class StepRecord {
    public Integer step;

    /** The canary's share of traffic (percent) during the step. */
    public Integer weight;

    public String startedAt;

    /** Unset while the step runs. */
    public String endedAt;

    /** Analysis runs at this step, and how many of them failed or were inconclusive. */
    public Integer runs = 0;

    public Integer failedRuns = 0;
    public Integer inconclusiveRuns = 0;

    /** The last run's result and statistics (n per arm, rates, lift, Λ, p-value, SLOs). */
    public String lastResult;

    public Map<String, Double> metrics = new LinkedHashMap<>();
    public String message;

    /** How the step ended: Passed (next step), Promoted, RolledBack, Aborted, Restarted. */
    public String outcome;
  }
}
