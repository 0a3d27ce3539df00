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
   * started for it). A scheduled run (a template) is Scheduled or Suspended.
   */
  public String phase;

  public Long observedGeneration;
  public List<Condition> conditions = new ArrayList<>();
  public String jobName;

  /**
   * With {@code spec.data.engine: spark}: the SparkApplication that samples and joins before the
   * trainer Job, and its last state seen ({@code SUBMITTED}, {@code RUNNING}, {@code COMPLETED},
   * {@code FAILED}, …, as the Spark operator reports it).
   */
  public String sparkApplication;

  public String sparkState;
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

  /** The gates that did not hold, with the values (empty = passed, or no result yet). */
  public List<String> gateFailures = new ArrayList<>();

  /** The ModelVersion this run created through {@code spec.deploy}. */
  public String deployedModelVersion;

  /** Of a scheduled run: its children and the times it fired or missed. */
  public ScheduleStatus schedule;

  /** What a schedule did; times are RFC 3339 instants. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class ScheduleStatus {
    /** The latest scheduled time handled (a child created, or recorded as missed). */
    public String lastScheduleTime;

    /** The next time the schedule fires (unset while suspended). */
    public String nextScheduleTime;

    /** Children that have not finished. */
    public List<String> active = new ArrayList<>();

    /** The latest child that succeeded, and its scheduled time. */
    public String lastSuccessfulRun;

    public String lastSuccessfulTime;

    /** The latest child that failed (or was invalid). */
    public String lastFailedRun;

    /** Scheduled times no child was created for, newest last (at most 20 kept), with why. */
    public List<MissedRun> missed = new ArrayList<>();

    /** All missed times since the schedule was created (the list above keeps the latest). */
    public Integer missedTotal = 0;
  }

  /** A scheduled time that got no child. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class MissedRun {
    public String time;

    /** {@code OperatorDown} (several times passed at once) or {@code ConcurrencyForbid}. */
    public String reason;

    public MissedRun() {}

    public MissedRun(String time, String reason) {
      this.time = time;
      this.reason = reason;
    }
  }
}
