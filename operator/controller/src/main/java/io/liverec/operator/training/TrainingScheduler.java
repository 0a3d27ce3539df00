package io.liverec.operator.training;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.liverec.api.v1alpha1.Conditions;
import io.liverec.api.v1alpha1.Reason;
import io.liverec.api.v1alpha1.TrainingRun;
import io.liverec.api.v1alpha1.TrainingRunStatus;
import io.liverec.api.v1alpha1.TrainingRunStatus.MissedRun;
import io.liverec.api.v1alpha1.TrainingRunStatus.ScheduleStatus;
import io.liverec.operator.Statuses;
import io.liverec.operator.events.EventRecorder;
import io.liverec.operator.model.TrainingSchedules;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The Kubernetes side of a scheduled TrainingRun: lists its children, creates, replaces and prunes
 * them as {@link TrainingSchedules} decides, tells each step as an Event and writes the schedule
 * status. The operator keeps its own timer (a requeue at the next fire time, at most {@code poll}
 * away) rather than owning a CronJob: a CronJob would need an image and RBAC to create custom
 * resources, and its missed-run accounting would live outside the TrainingRun's status.
 */
final class TrainingScheduler {
  private final KubernetesClient client;
  private final EventRecorder events;
  private final Duration poll;

  TrainingScheduler(KubernetesClient client, EventRecorder events, Duration poll) {
    this.client = client;
    this.events = events;
    this.poll = poll;
  }

  UpdateControl<TrainingRun> reconcile(
      TrainingRun parent, TrainingRunStatus before, TrainingRunStatus st, long gen, Instant now) {
    List<TrainingRun> children = children(parent);
    ScheduleStatus schedule = st.schedule == null ? new ScheduleStatus() : st.schedule;
    Instant since =
        schedule.lastScheduleTime != null
            ? Instant.parse(schedule.lastScheduleTime)
            : created(parent, now);
    var plan = TrainingSchedules.plan(parent.getSpec().schedule, since, children, now);
    for (String name : plan.replace()) {
      delete(parent, name);
      events.normal(parent, Reason.ScheduledRunReplaced, "deleted active run " + name);
    }
    Optional<String> created = plan.create().map(time -> create(parent, time));
    for (MissedRun m : plan.missed()) {
      events.warning(
          parent, Reason.ScheduledRunMissed, "no run for " + m.time + " (" + m.reason + ")");
    }
    for (String name : plan.prune()) {
      delete(parent, name);
      events.normal(parent, Reason.ScheduledRunDeleted, name + " is beyond the history limit");
    }
    List<TrainingRun> kept =
        children.stream().filter(c -> !plan.prune().contains(c.getMetadata().getName())).toList();
    TrainingSchedules.record(schedule, plan, kept, created);
    st.schedule = schedule;
    boolean suspended = plan.next() == null;
    st.phase = suspended ? "Suspended" : "Scheduled";
    Conditions.set(
        st.conditions,
        Conditions.READY,
        !suspended,
        suspended ? Reason.ScheduleSuspended : Reason.Scheduled,
        suspended ? "schedule suspended" : "next run at " + schedule.nextScheduleTime,
        gen,
        now);
    Duration requeue = poll;
    if (plan.next() != null && Duration.between(now, plan.next()).compareTo(poll) < 0) {
      requeue = Duration.between(now, plan.next()).plusMillis(50);
    }
    return Statuses.patchIfChanged(parent, before, st, requeue);
  }

  private List<TrainingRun> children(TrainingRun parent) {
    return client
        .resources(TrainingRun.class)
        .inNamespace(parent.getMetadata().getNamespace())
        .withLabel(TrainingSchedules.LABEL_PARENT, parent.getMetadata().getName())
        .list()
        .getItems();
  }

  private String create(TrainingRun parent, Instant time) {
    TrainingRun child = TrainingSchedules.child(parent, time);
    String name = child.getMetadata().getName();
    try {
      client.resource(child).create();
      events.normal(
          parent,
          Reason.ScheduledRunCreated,
          "created "
              + name
              + " for "
              + time
              + " (data "
              + child.getSpec().data.from
              + " .. "
              + child.getSpec().data.to
              + ")");
    } catch (KubernetesClientException e) {
      // created by an earlier reconcile whose status write was lost: the child is there
      if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
        throw e;
      }
    }
    return name;
  }

  private void delete(TrainingRun parent, String name) {
    client
        .resources(TrainingRun.class)
        .inNamespace(parent.getMetadata().getNamespace())
        .withName(name)
        .delete();
  }

  private static Instant created(TrainingRun parent, Instant now) {
    String ts = parent.getMetadata().getCreationTimestamp();
    return ts == null ? now : Instant.parse(ts);
  }
}
