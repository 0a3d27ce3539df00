package io.liverec.operator.model;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.liverec.api.run.TrainingResult;
import io.liverec.api.v1alpha1.Conditions;
import io.liverec.api.v1alpha1.Reason;
import io.liverec.api.v1alpha1.TrainingRun;
import io.liverec.api.v1alpha1.TrainingRunStatus;
import io.liverec.operator.model.TrainingJobs.Phase;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A TrainingRun's Jobs → its status: which Jobs a new generation supersedes, the {@code Ready}
 * condition of each phase, the trainer's result recorded once, and the Events ({@link Notice}) that
 * tell each step. Pure: no I/O.
 */
public final class TrainingProgress {
  private TrainingProgress() {}

  /** Jobs of generations before {@code generation} that have not finished yet. */
  public static List<Job> superseded(List<Job> jobs, long generation) {
    return jobs.stream()
        .filter(j -> TrainingJobs.generationOf(j) < generation)
        .filter(j -> TrainingJobs.phaseOf(j).ordinal() <= Phase.Running.ordinal())
        .toList();
  }

  /** The Event telling that {@code old} was deleted because a newer generation replaced it. */
  public static Notice supersededNotice(Job old) {
    String msg =
        "deleted Job "
            + old.getMetadata().getName()
            + " of generation "
            + TrainingJobs.generationOf(old);
    return Notice.normal(Reason.JobSuperseded, msg);
  }

  /** The Event telling that this generation's Job was created. */
  public static Notice createdNotice(String jobName, long gen) {
    return Notice.normal(Reason.JobCreated, "created Job " + jobName + " for generation " + gen);
  }

  /** A new Job starts the run afresh: nothing of an earlier generation's result remains. */
  public static void restart(TrainingRunStatus st, String jobName) {
    st.jobName = jobName;
    st.metrics.clear();
    st.mlflowRunId = null;
    st.modelUri = null;
    st.modelVersion = null;
    st.keyMetric = null;
  }

  /** The {@code Ready} condition while the Job is pending, running or failed. */
  public static void unfinished(
      TrainingRunStatus st, Phase phase, Job job, String jobName, long gen, Instant now) {
    switch (phase) {
      case Failed -> ready(st, false, Reason.JobFailed, TrainingJobs.failureOf(job), gen, now);
      case Running ->
          ready(st, false, Reason.JobRunning, "Job " + jobName + " is running", gen, now);
      default -> ready(st, false, Reason.JobCreated, "Job " + jobName + " is pending", gen, now);
    }
  }

  /**
   * Tracks the Job named {@code jobName} among the {@code observed} ones (Pending while it is not
   * there yet) into {@code st}: its name and phase, and the {@code Ready} condition while it has
   * not succeeded. The Event to emit when, compared with {@code before}, the Job newly failed or
   * started running.
   */
  public static Optional<Notice> track(
      TrainingRunStatus before,
      TrainingRunStatus st,
      List<Job> observed,
      String jobName,
      long gen,
      Instant now) {
    Job job =
        observed.stream()
            .filter(j -> jobName.equals(j.getMetadata().getName()))
            .findFirst()
            .orElse(null);
    Phase phase = TrainingJobs.phaseOf(job);
    boolean newPhase = !phase.name().equals(before.phase);
    boolean moved = newPhase || !jobName.equals(before.jobName);
    st.jobName = jobName;
    st.phase = phase.name();
    if (phase == Phase.Succeeded) {
      return Optional.empty();
    }
    unfinished(st, phase, job, jobName, gen, now);
    if (moved && phase == Phase.Failed) {
      String why = TrainingJobs.failureOf(job);
      return Optional.of(Notice.warning(Reason.JobFailed, "Job " + jobName + " failed: " + why));
    }
    if (phase == Phase.Running && newPhase) {
      return Optional.of(Notice.normal(Reason.JobRunning, "Job " + jobName + " is running"));
    }
    return Optional.empty();
  }

  /**
   * Whether the tracked Job ({@link #track}) succeeded and its result is not in the status yet, so
   * that its pod's termination message has to be read ({@link #result}).
   */
  public static boolean awaitsResult(TrainingRunStatus st) {
    return Phase.Succeeded.name().equals(st.phase) && !recorded(st, st.jobName);
  }

  /**
   * Whether the tracked Job succeeded but the run is not {@code Ready}: its result is missing or
   * unreadable. The termination message is not watched, so the reconciler looks again shortly.
   */
  public static boolean resultPending(TrainingRunStatus st) {
    return Phase.Succeeded.name().equals(st.phase)
        && !Conditions.isTrue(st.conditions, Conditions.READY);
  }

  /**
   * The Event telling a result {@link #succeeded} recorded (key metric and MLflow run), empty when
   * nothing was recorded.
   */
  public static Optional<Notice> result(
      TrainingRunStatus st, String jobName, Optional<TrainingResult> recorded) {
    return recorded.map(
        r ->
            Notice.normal(
                Reason.ResultRecorded,
                "Job "
                    + jobName
                    + " succeeded: "
                    + st.keyMetric
                    + ", MLflow run "
                    + r.mlflowRunId));
  }

  /** Whether the result of {@code jobName} is already in the status. */
  public static boolean recorded(TrainingRunStatus st, String jobName) {
    return Conditions.isTrue(st.conditions, Conditions.READY)
        && jobName.equals(st.jobName)
        && !st.metrics.isEmpty();
  }

  /**
   * Records a succeeded Job's result from its pod's termination message; the result when it was
   * read, empty (and {@code Ready} False, saying why) when the message is missing or unreadable.
   */
  public static Optional<TrainingResult> succeeded(
      TrainingRun run,
      TrainingRunStatus st,
      String jobName,
      Optional<String> message,
      long gen,
      Instant now) {
    if (message.isEmpty()) {
      ready(
          st,
          false,
          Reason.ResultMissing,
          "Job " + jobName + " succeeded but its pod left no termination message",
          gen,
          now);
      return Optional.empty();
    }
    try {
      TrainingResult r = TrainingResult.fromJson(message.get());
      TrainingResults.apply(run, r, st);
      String trained = "trained; " + (st.keyMetric == null ? "no metrics" : st.keyMetric);
      ready(st, true, Reason.JobSucceeded, trained, gen, now);
      TrainingResults.trackingCondition(r, st, gen, now);
      return Optional.of(r);
    } catch (IllegalArgumentException e) {
      String why = "Job " + jobName + " result unreadable: " + e.getMessage();
      ready(st, false, Reason.ResultMissing, why, gen, now);
      return Optional.empty();
    }
  }

  private static void ready(
      TrainingRunStatus st, boolean ok, Reason reason, String message, long gen, Instant now) {
    Conditions.set(st.conditions, Conditions.READY, ok, reason, message, gen, now);
  }
}
