package io.liverec.api.v1alpha1;

/**
 * Reasons of status conditions and Kubernetes Events, one vocabulary for every kind, so that {@code
 * kubectl describe} and the embedded CLI tell the same story.
 */
public enum Reason {
  // validation
  SpecValid,
  SpecChanged,
  InvalidSpec,
  // TrainingRun
  JobCreated,
  JobRunning,
  JobSucceeded,
  JobFailed,
  JobSuperseded,
  ResultRecorded,
  TrackingSynced,
  TrackingPending,
  ResultMissing,
  // TrainingRun with data.engine spark: the SparkApplication before the Job
  SparkApplicationCreated,
  SparkApplicationRunning,
  SparkApplicationCompleted,
  SparkApplicationFailed,
  SparkUnavailable,
  // scheduled TrainingRun
  Scheduled,
  ScheduleSuspended,
  ScheduledRunCreated,
  ScheduledRunReplaced,
  ScheduledRunMissed,
  ScheduledRunDeleted,
  // TrainingRun deploy
  ModelVersionCreated,
  GatesFailed,
  // FeatureView
  Registered,
  RegistryFailed,
  MaterializationScheduled,
  MaterializationUnscheduled,
  Unregistered,
  // ModelVersion
  LoadStarted,
  Loaded,
  LoadFailed,
  CanaryStepStarted,
  AnalysisSuccessful,
  AnalysisFailed,
  AnalysisInconclusive,
  Promoted,
  ChampionAliasSet,
  ChampionAliasPending,
  RolloutRecorded,
  RolloutRecordPending,
  RolledBack,
  RolloutPaused,
  RolloutResumed,
  RolloutAborted,
  PromotedManually,
  Unloaded
}
