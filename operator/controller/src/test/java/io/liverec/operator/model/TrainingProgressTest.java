package io.liverec.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.liverec.api.v1alpha1.Condition;
import io.liverec.api.v1alpha1.Conditions;
import io.liverec.api.v1alpha1.Reason;
import io.liverec.api.v1alpha1.TrainingRun;
import io.liverec.api.v1alpha1.TrainingRunStatus;
import io.liverec.operator.Fixtures;
import io.liverec.operator.model.TrainingJobs.Phase;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Pure Jobs → status tests: no server. */
class TrainingProgressTest {
  static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void onlyUnfinishedJobsOfEarlierGenerationsAreSuperseded() {
    Job g1Done = job(1, new JobStatusBuilder().withSucceeded(1).build());
    Job g2Running = job(2, new JobStatusBuilder().withActive(1).build());
    Job g3Pending = job(3, null);
    List<Job> jobs = List.of(g1Done, g2Running, g3Pending);
    assertThat(TrainingProgress.superseded(jobs, 3)).containsExactly(g2Running);
    assertThat(TrainingProgress.superseded(jobs, 4)).containsExactly(g2Running, g3Pending);
    assertThat(TrainingProgress.superseded(jobs, 1)).isEmpty();
  }

  @Test
  void aNewJobClearsTheEarlierResult() {
    TrainingRunStatus st = new TrainingRunStatus();
    st.jobName = "r-g1";
    st.metrics.put("auc", 0.7);
    st.mlflowRunId = "m1";
    st.modelUri = "models:/x/1";
    st.modelVersion = "1";
    st.keyMetric = "auc=0.7000";
    TrainingProgress.restart(st, "r-g2");
    assertThat(st.jobName).isEqualTo("r-g2");
    assertThat(st.metrics).isEmpty();
    assertThat(st.mlflowRunId).isNull();
    assertThat(st.modelUri).isNull();
    assertThat(st.modelVersion).isNull();
    assertThat(st.keyMetric).isNull();
  }

  @Test
  void unfinishedPhasesSayWhyTheRunIsNotReady() {
    TrainingRunStatus st = new TrainingRunStatus();
    TrainingProgress.unfinished(st, Phase.Pending, null, "r-g1", 1, NOW);
    assertThat(ready(st).reason).isEqualTo("JobCreated");
    assertThat(ready(st).message).isEqualTo("Job r-g1 is pending");
    TrainingProgress.unfinished(st, Phase.Running, null, "r-g1", 1, NOW);
    assertThat(ready(st).reason).isEqualTo("JobRunning");
    Job failed =
        job(
            1,
            new JobStatusBuilder()
                .withConditions(
                    new JobConditionBuilder()
                        .withType("Failed")
                        .withStatus("True")
                        .withReason("BackoffLimitExceeded")
                        .build())
                .build());
    TrainingProgress.unfinished(st, Phase.Failed, failed, "r-g1", 1, NOW);
    assertThat(ready(st).reason).isEqualTo("JobFailed");
    assertThat(ready(st).message).startsWith("BackoffLimitExceeded");
    assertThat(ready(st).status).isEqualTo("False");
    assertThat(ready(st).observedGeneration).isEqualTo(1L);
  }

  @Test
  void aSucceededJobsResultIsRecordedOnceAndAMissingOrBadOneIsReported() {
    TrainingRun run = Fixtures.trainingRun("ns", "r");
    TrainingRunStatus st = new TrainingRunStatus();
    st.jobName = "r-g1";

    assertThat(TrainingProgress.succeeded(run, st, "r-g1", Optional.empty(), 1, NOW)).isEmpty();
    assertThat(ready(st).reason).isEqualTo("ResultMissing");
    assertThat(ready(st).message).contains("no termination message");
    assertThat(TrainingProgress.recorded(st, "r-g1")).isFalse();

    assertThat(TrainingProgress.succeeded(run, st, "r-g1", Optional.of("{not json"), 1, NOW))
        .isEmpty();
    assertThat(ready(st).message).contains("result unreadable");

    String json = "{\"metrics\":{\"ctcvr_auc\":0.74},\"mlflowRunId\":\"r-9\"}";
    var result = TrainingProgress.succeeded(run, st, "r-g1", Optional.of(json), 1, NOW);
    assertThat(result).hasValueSatisfying(r -> assertThat(r.mlflowRunId).isEqualTo("r-9"));
    assertThat(ready(st).status).isEqualTo("True");
    assertThat(ready(st).message).isEqualTo("trained; ctcvr_auc=0.7400");
    assertThat(Conditions.isTrue(st.conditions, TrainingResults.TRACKED)).isTrue();
    assertThat(TrainingProgress.recorded(st, "r-g1")).isTrue();
    assertThat(TrainingProgress.recorded(st, "r-g2")).as("another generation's Job").isFalse();
  }

  @Test
  void trackingTellsOnlyANewFailureOrANewlyRunningJob() {
    Job running = job(1, new JobStatusBuilder().withActive(1).build());
    TrainingRunStatus before = new TrainingRunStatus();
    before.jobName = "r-g1";
    before.phase = "Pending";
    TrainingRunStatus st = new TrainingRunStatus();
    var notice = TrainingProgress.track(before, st, List.of(running), "r-g1", 1, NOW);
    assertThat(notice).contains(Notice.normal(Reason.JobRunning, "Job r-g1 is running"));
    assertThat(st.jobName).isEqualTo("r-g1");
    assertThat(st.phase).isEqualTo("Running");
    assertThat(ready(st).reason).isEqualTo("JobRunning");

    before.phase = "Running";
    assertThat(TrainingProgress.track(before, st, List.of(running), "r-g1", 1, NOW))
        .as("still running")
        .isEmpty();

    Job failed = job(1, failedStatus());
    var failure = TrainingProgress.track(before, st, List.of(failed), "r-g1", 1, NOW);
    assertThat(failure)
        .hasValueSatisfying(
            n -> {
              assertThat(n.warning()).isTrue();
              assertThat(n.reason()).isEqualTo(Reason.JobFailed);
              assertThat(n.message()).startsWith("Job r-g1 failed: BackoffLimitExceeded");
            });
    before.phase = "Failed";
    assertThat(TrainingProgress.track(before, st, List.of(failed), "r-g1", 1, NOW))
        .as("already reported")
        .isEmpty();
    before.jobName = "r-g0";
    assertThat(TrainingProgress.track(before, st, List.of(failed), "r-g1", 1, NOW))
        .as("failed too, but another Job than the one reported")
        .isPresent();
  }

  @Test
  void aJobNotObservedYetIsPendingAndOtherJobsDoNotCount() {
    Job otherGeneration = job(2, new JobStatusBuilder().withSucceeded(1).build());
    TrainingRunStatus st = new TrainingRunStatus();
    var notice =
        TrainingProgress.track(
            new TrainingRunStatus(), st, List.of(otherGeneration), "r-g1", 1, NOW);
    assertThat(notice).isEmpty();
    assertThat(st.phase).isEqualTo("Pending");
    assertThat(ready(st).message).isEqualTo("Job r-g1 is pending");
    assertThat(TrainingProgress.awaitsResult(st)).isFalse();
    assertThat(TrainingProgress.resultPending(st)).isFalse();
  }

  @Test
  void aSucceededJobAwaitsItsResultUntilItIsRecorded() {
    TrainingRun run = Fixtures.trainingRun("ns", "r");
    Job done = job(1, new JobStatusBuilder().withSucceeded(1).build());
    TrainingRunStatus st = new TrainingRunStatus();
    assertThat(TrainingProgress.track(new TrainingRunStatus(), st, List.of(done), "r-g1", 1, NOW))
        .isEmpty();
    assertThat(st.phase).isEqualTo("Succeeded");
    assertThat(TrainingProgress.awaitsResult(st)).isTrue();

    assertThat(
            TrainingProgress.result(
                st, "r-g1", TrainingProgress.succeeded(run, st, "r-g1", Optional.empty(), 1, NOW)))
        .isEmpty();
    assertThat(TrainingProgress.resultPending(st)).as("message missing: look again").isTrue();
    assertThat(TrainingProgress.awaitsResult(st)).isTrue();

    String json = "{\"metrics\":{\"ctcvr_auc\":0.74},\"mlflowRunId\":\"r-9\"}";
    assertThat(
            TrainingProgress.result(
                st, "r-g1", TrainingProgress.succeeded(run, st, "r-g1", Optional.of(json), 1, NOW)))
        .contains(
            Notice.normal(
                Reason.ResultRecorded, "Job r-g1 succeeded: ctcvr_auc=0.7400, MLflow run r-9"));
    assertThat(TrainingProgress.resultPending(st)).isFalse();
    assertThat(TrainingProgress.awaitsResult(st)).isFalse();
  }

  @Test
  void supersedingAndCreatingJobsAreToldWithTheirGeneration() {
    assertThat(TrainingProgress.supersededNotice(job(2, null)))
        .isEqualTo(Notice.normal(Reason.JobSuperseded, "deleted Job r-g2 of generation 2"));
    assertThat(TrainingProgress.createdNotice("r-g3", 3))
        .isEqualTo(Notice.normal(Reason.JobCreated, "created Job r-g3 for generation 3"));
  }

  private static io.fabric8.kubernetes.api.model.batch.v1.JobStatus failedStatus() {
    return new JobStatusBuilder()
        .withConditions(
            new JobConditionBuilder()
                .withType("Failed")
                .withStatus("True")
                .withReason("BackoffLimitExceeded")
                .build())
        .build();
  }

  private static Condition ready(TrainingRunStatus st) {
    return Conditions.find(st.conditions, Conditions.READY);
  }

  private static Job job(long generation, io.fabric8.kubernetes.api.model.batch.v1.JobStatus st) {
    Job job = new Job();
    job.setMetadata(
        new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
            .withName("r-g" + generation)
            .addToLabels(TrainingJobs.LABEL_GENERATION, String.valueOf(generation))
            .build());
    job.setStatus(st);
    return job;
  }
}
