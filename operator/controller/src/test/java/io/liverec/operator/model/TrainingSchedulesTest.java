package io.liverec.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.liverec.api.v1alpha1.ScheduleSpec.ConcurrencyPolicy;
import io.liverec.api.v1alpha1.TrainingRun;
import io.liverec.api.v1alpha1.TrainingRunStatus;
import io.liverec.api.v1alpha1.TrainingRunStatus.MissedRun;
import io.liverec.api.v1alpha1.TrainingRunStatus.ScheduleStatus;
import io.liverec.operator.Fixtures;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The schedule's decisions, without a server: due times, missed times, concurrency, history. */
class TrainingSchedulesTest {
  static final Instant CREATED = Instant.parse("2026-12-01T00:00:00Z");

  static TrainingRun parent() {
    return Fixtures.scheduledTrainingRun("ns", "ranker");
  }

  static TrainingRun child(TrainingRun parent, String time, String phase) {
    TrainingRun c = TrainingSchedules.child(parent, Instant.parse(time));
    c.setStatus(new TrainingRunStatus());
    c.getStatus().phase = phase;
    return c;
  }

  @Test
  void aDueTimeCreatesOneDatedChildWithTheWindow() {
    TrainingRun p = parent();
    var plan =
        TrainingSchedules.plan(
            p.getSpec().schedule, CREATED, List.of(), Instant.parse("2026-12-01T03:05:00Z"));
    assertThat(plan.create()).contains(Instant.parse("2026-12-01T03:00:00Z"));
    assertThat(plan.missed()).isEmpty();
    assertThat(plan.next()).isEqualTo(Instant.parse("2026-12-02T03:00:00Z"));

    TrainingRun c = TrainingSchedules.child(p, plan.create().get());
    assertThat(c.getMetadata().getName()).isEqualTo("ranker-20261201-0300");
    assertThat(c.getMetadata().getLabels()).containsEntry(TrainingSchedules.LABEL_PARENT, "ranker");
    assertThat(TrainingSchedules.scheduledTime(c)).contains("2026-12-01T03:00:00Z");
    assertThat(c.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(o -> assertThat(o.getUid()).isEqualTo("uid-ranker"));
    assertThat(c.getSpec().schedule).isNull();
    assertThat(c.getSpec().data.to).isEqualTo("2026-11-30"); // up to yesterday
    assertThat(c.getSpec().data.from).isEqualTo("2026-11-24"); // 7 days
    assertThat(c.getSpec().model.interactions).isEqualTo(p.getSpec().model.interactions);
    assertThat(p.getSpec().schedule).as("the parent is not changed").isNotNull();
  }

  @Test
  void nothingIsDueBeforeTheFirstTime() {
    var plan =
        TrainingSchedules.plan(
            parent().getSpec().schedule, CREATED, List.of(), Instant.parse("2026-12-01T02:59:59Z"));
    assertThat(plan.create()).isEmpty();
    assertThat(plan.handled()).isNull();
    assertThat(plan.next()).isEqualTo(Instant.parse("2026-12-01T03:00:00Z"));
  }

  @Test
  void timesPassedWhileTheOperatorWasDownAreMissedAndOnlyTheLatestRuns() {
    var plan =
        TrainingSchedules.plan(
            parent().getSpec().schedule, CREATED, List.of(), Instant.parse("2026-12-04T04:00:00Z"));
    assertThat(plan.create()).contains(Instant.parse("2026-12-04T03:00:00Z"));
    assertThat(plan.missed())
        .extracting(m -> m.time + " " + m.reason)
        .containsExactly(
            "2026-12-01T03:00:00Z NotRunInTime",
            "2026-12-02T03:00:00Z NotRunInTime",
            "2026-12-03T03:00:00Z NotRunInTime");
  }

  @Test
  void forbidRecordsTheDueTimeAsMissedWhileAChildIsActive() {
    TrainingRun p = parent();
    var running = child(p, "2026-12-01T03:00:00Z", "Running");
    var plan =
        TrainingSchedules.plan(
            p.getSpec().schedule,
            Instant.parse("2026-12-01T03:00:00Z"),
            List.of(running),
            Instant.parse("2026-12-02T03:01:00Z"));
    assertThat(plan.create()).isEmpty();
    assertThat(plan.missed())
        .extracting(m -> m.time + " " + m.reason)
        .containsExactly("2026-12-02T03:00:00Z ConcurrencyForbid");
  }

  @Test
  void allowRunsBesideAndReplaceDeletesTheActiveChildFirst() {
    TrainingRun p = parent();
    var running = child(p, "2026-12-01T03:00:00Z", "Running");
    Instant since = Instant.parse("2026-12-01T03:00:00Z");
    Instant now = Instant.parse("2026-12-02T03:01:00Z");

    p.getSpec().schedule.concurrencyPolicy = ConcurrencyPolicy.ALLOW;
    var allow = TrainingSchedules.plan(p.getSpec().schedule, since, List.of(running), now);
    assertThat(allow.create()).contains(Instant.parse("2026-12-02T03:00:00Z"));
    assertThat(allow.replace()).isEmpty();

    p.getSpec().schedule.concurrencyPolicy = ConcurrencyPolicy.REPLACE;
    var replace = TrainingSchedules.plan(p.getSpec().schedule, since, List.of(running), now);
    assertThat(replace.create()).contains(Instant.parse("2026-12-02T03:00:00Z"));
    assertThat(replace.replace()).containsExactly("ranker-20261201-0300");
    assertThat(replace.missed()).isEmpty();
  }

  @Test
  void aChildCreatedBeforeARestartIsNotCreatedAgainNorCountedMissed() {
    TrainingRun p = parent();
    // the operator created the child, then died before it could write lastScheduleTime
    var pending = child(p, "2026-12-01T03:00:00Z", "Pending");
    var plan =
        TrainingSchedules.plan(
            p.getSpec().schedule, CREATED, List.of(pending), Instant.parse("2026-12-01T03:02:00Z"));
    assertThat(plan.create()).isEmpty();
    assertThat(plan.missed()).isEmpty();
    assertThat(plan.handled()).isEqualTo(Instant.parse("2026-12-01T03:00:00Z"));
  }

  @Test
  void suspendedCreatesNothingAndDoesNotCatchUpOnResume() {
    TrainingRun p = parent();
    p.getSpec().schedule.suspend = true;
    var suspended =
        TrainingSchedules.plan(
            p.getSpec().schedule, CREATED, List.of(), Instant.parse("2026-12-03T04:00:00Z"));
    assertThat(suspended.create()).isEmpty();
    assertThat(suspended.missed()).isEmpty();
    assertThat(suspended.next()).isNull();
    assertThat(suspended.handled()).isEqualTo(Instant.parse("2026-12-03T03:00:00Z"));

    p.getSpec().schedule.suspend = false; // resumed: only times after the suspension count
    var resumed =
        TrainingSchedules.plan(
            p.getSpec().schedule,
            suspended.handled(),
            List.of(),
            Instant.parse("2026-12-03T05:00:00Z"));
    assertThat(resumed.create()).isEmpty();
    assertThat(resumed.next()).isEqualTo(Instant.parse("2026-12-04T03:00:00Z"));
  }

  @Test
  void historyLimitsDeleteTheOldestFinishedChildrenOnly() {
    TrainingRun p = parent();
    p.getSpec().schedule.successfulRunsHistoryLimit = 2;
    p.getSpec().schedule.failedRunsHistoryLimit = 1;
    List<TrainingRun> children =
        List.of(
            child(p, "2026-12-01T03:00:00Z", "Succeeded"),
            child(p, "2026-12-02T03:00:00Z", "Failed"),
            child(p, "2026-12-03T03:00:00Z", "Succeeded"),
            child(p, "2026-12-04T03:00:00Z", "Invalid"),
            child(p, "2026-12-05T03:00:00Z", "Succeeded"),
            child(p, "2026-12-06T03:00:00Z", "Running"));
    var plan =
        TrainingSchedules.plan(
            p.getSpec().schedule,
            Instant.parse("2026-12-06T03:00:00Z"),
            children,
            Instant.parse("2026-12-06T04:00:00Z"));
    assertThat(plan.prune())
        .containsExactlyInAnyOrder("ranker-20261201-0300", "ranker-20261202-0300");
  }

  @Test
  void theCronAndTheWindowAreReadInTheScheduleTimeZone() {
    TrainingRun p = parent();
    p.getSpec().schedule.timeZone = "Asia/Shanghai"; // UTC+8: 03:00 local is 19:00Z the day before
    var plan =
        TrainingSchedules.plan(
            p.getSpec().schedule, CREATED, List.of(), Instant.parse("2026-12-01T19:30:00Z"));
    assertThat(plan.create()).contains(Instant.parse("2026-12-01T19:00:00Z"));
    TrainingRun c = TrainingSchedules.child(p, plan.create().get());
    assertThat(c.getMetadata().getName()).isEqualTo("ranker-20261202-0300");
    assertThat(c.getSpec().data.to).isEqualTo("2026-12-01");
  }

  @Test
  void statusShowsActiveChildrenTheLatestOutcomesAndEveryMissedTime() {
    TrainingRun p = parent();
    List<TrainingRun> children =
        List.of(
            child(p, "2026-12-01T03:00:00Z", "Succeeded"),
            child(p, "2026-12-02T03:00:00Z", "Failed"),
            child(p, "2026-12-03T03:00:00Z", "Running"));
    var plan =
        new TrainingSchedules.Plan(
            Optional.empty(),
            List.of(new MissedRun("2026-12-04T03:00:00Z", "ConcurrencyForbid")),
            List.of(),
            List.of(),
            Instant.parse("2026-12-04T03:00:00Z"),
            Instant.parse("2026-12-05T03:00:00Z"));
    ScheduleStatus st = new ScheduleStatus();
    st.missed = new ArrayList<>();
    for (int i = 0; i < TrainingSchedules.MISSED_KEPT; i++) {
      st.missed.add(new MissedRun("2026-10-" + (10 + i % 20) + "T03:00:00Z", "NotRunInTime"));
    }
    st.missedTotal = TrainingSchedules.MISSED_KEPT;
    TrainingSchedules.record(st, plan, children, Optional.empty());
    assertThat(st.lastScheduleTime).isEqualTo("2026-12-04T03:00:00Z");
    assertThat(st.nextScheduleTime).isEqualTo("2026-12-05T03:00:00Z");
    assertThat(st.active).containsExactly("ranker-20261203-0300");
    assertThat(st.lastSuccessfulRun).isEqualTo("ranker-20261201-0300");
    assertThat(st.lastSuccessfulTime).isEqualTo("2026-12-01T03:00:00Z");
    assertThat(st.lastFailedRun).isEqualTo("ranker-20261202-0300");
    assertThat(st.missed).hasSize(TrainingSchedules.MISSED_KEPT);
    assertThat(st.missed.get(st.missed.size() - 1).time).isEqualTo("2026-12-04T03:00:00Z");
    assertThat(st.missedTotal).isEqualTo(TrainingSchedules.MISSED_KEPT + 1);
  }
}
