package io.liverec.operator.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.liverec.api.v1alpha1.TrainingRun;
import io.liverec.operator.Fixtures;
import io.liverec.operator.TestClock;
import io.liverec.operator.model.TrainingSchedules;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A scheduled TrainingRun on the Fabric8 mock API server with the operator's clock moved forward: a
 * due time creates one dated child (which gets its own Job), a time due while that child runs is
 * recorded as missed under Forbid, a failed child shows in the parent's status and the next day
 * still runs, and suspending stops new children.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class ScheduledTrainingRunTest {
  static final String NS = "scheduled";
  static final Duration WAIT = Duration.ofSeconds(20);

  @Inject KubernetesClient client;
  @Inject TestClock clock;

  @AfterEach
  void realTime() {
    clock.reset();
  }

  @Test
  void dueTimesCreateChildrenMissedTimesShowAndSuspendStops() {
    client.resource(Fixtures.scheduledTrainingRun(NS, "daily")).create();
    TrainingRun scheduled =
        await()
            .atMost(WAIT)
            .ignoreExceptions()
            .until(() -> get("daily"), r -> "Scheduled".equals(r.getStatus().phase));
    Instant first = Instant.parse(scheduled.getStatus().schedule.nextScheduleTime);
    assertThat(children()).isEmpty();
    assertThat(job("daily-g1")).as("the template trains nothing itself").isNull();

    // the first time comes: one child, dated, with its own trainer Job
    clock.jumpTo(first.plusSeconds(30));
    String firstChild = TrainingSchedules.childName(get("daily"), first);
    await().atMost(WAIT).ignoreExceptions().until(() -> job(firstChild + "-g1"), j -> j != null);
    TrainingRun child = get(firstChild);
    assertThat(child.getSpec().schedule).isNull();
    assertThat(child.getSpec().data.to)
        .isEqualTo(first.atZone(java.time.ZoneOffset.UTC).toLocalDate().minusDays(1).toString());
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .untilAsserted(
            () -> assertThat(get("daily").getStatus().schedule.active).containsExactly(firstChild));

    // the next day comes while the first child is still pending: Forbid records it as missed
    Instant second = first.plus(Duration.ofDays(1));
    clock.jumpTo(second.plusSeconds(30));
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              var st = get("daily").getStatus().schedule;
              assertThat(st.missed)
                  .extracting(m -> m.time + " " + m.reason)
                  .containsExactly(second + " ConcurrencyForbid");
              assertThat(st.missedTotal).isEqualTo(1);
            });
    assertThat(children()).containsExactly(firstChild);

    // the first child fails; the third day runs, and the failure stays visible
    failJob(firstChild + "-g1");
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .until(() -> get(firstChild).getStatus().phase, "Failed"::equals);
    Instant third = second.plus(Duration.ofDays(1));
    clock.jumpTo(third.plusSeconds(30));
    String thirdChild = TrainingSchedules.childName(get("daily"), third);
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              var st = get("daily").getStatus().schedule;
              assertThat(st.active).containsExactly(thirdChild);
              assertThat(st.lastFailedRun).isEqualTo(firstChild);
              assertThat(st.lastScheduleTime).isEqualTo(third.toString());
            });

    // suspended: no child for the fourth day, and the phase says so
    TrainingRun parent = get("daily");
    parent.getSpec().schedule.suspend = true;
    client.resource(parent).update();
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .until(() -> get("daily").getStatus().phase, "Suspended"::equals);
    clock.jumpTo(third.plus(Duration.ofDays(1)).plusSeconds(30));
    await().during(Duration.ofSeconds(3)).atMost(WAIT).until(() -> children().size() == 2);
    assertThat(children()).containsExactlyInAnyOrder(firstChild, thirdChild);
  }

  private List<String> children() {
    return client
        .resources(TrainingRun.class)
        .inNamespace(NS)
        .withLabel(TrainingSchedules.LABEL_PARENT, "daily")
        .list()
        .getItems()
        .stream()
        .map(r -> r.getMetadata().getName())
        .toList();
  }

  private TrainingRun get(String name) {
    return client.resources(TrainingRun.class).inNamespace(NS).withName(name).get();
  }

  private Job job(String name) {
    return client.batch().v1().jobs().inNamespace(NS).withName(name).get();
  }

  private void failJob(String name) {
    Job j = job(name);
    j.setStatus(
        new JobStatusBuilder()
            .withFailed(1)
            .withConditions(
                new JobConditionBuilder()
                    .withType("Failed")
                    .withStatus("True")
                    .withReason("BackoffLimitExceeded")
                    .withMessage("Job has reached the specified backoff limit")
                    .build())
            .build());
    client.resource(j).updateStatus();
  }
}
