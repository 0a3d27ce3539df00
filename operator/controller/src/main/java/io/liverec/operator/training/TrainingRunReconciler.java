package io.liverec.operator.training;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.liverec.api.run.TrainingResult;
import io.liverec.api.v1alpha1.TrainingRun;
import io.liverec.api.v1alpha1.TrainingRunStatus;
import io.liverec.operator.OperatorSettings;
import io.liverec.operator.ReconcileMetrics;
import io.liverec.operator.Statuses;
import io.liverec.operator.events.EventRecorder;
import io.liverec.operator.model.TrainingJobs;
import io.liverec.operator.model.TrainingProgress;
import io.liverec.operator.model.TrainingResults;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * TrainingRun → one trainer Job (and its spec ConfigMap) per generation, both dependent resources
 * whose desired state is {@link TrainingJobs} ({@link TrainingRunChildren}). Observe the Jobs,
 * validate the spec, reconcile the dependents, patch status ({@link TrainingProgress}). Policy for
 * spec changes: a new generation gets a new Job; a still-running Job of an older generation is
 * deleted (superseded); finished Jobs of older generations are kept until the run is deleted.
 * Metadata-only changes do not bump the generation and start nothing; an invalid generation starts
 * nothing and the last good generation's Job keeps being tracked. A run with {@code spec.schedule}
 * is a template: {@link TrainingScheduler} creates its dated children, which are ordinary runs; one
 * with {@code spec.deploy} that passes its gates gets its ModelVersion ({@link
 * ModelVersionDeployer}). One with {@code spec.data.engine: spark} first has its generation's
 * SparkApplication sample and join ({@link SparkStage}); its Job is created once that completed.
 */
@ControllerConfiguration(name = "trainingrun")
public class TrainingRunReconciler implements Reconciler<TrainingRun>, Cleaner<TrainingRun> {
  static final String KIND = "TrainingRun";
  static final Duration RESULT_POLL = Duration.ofSeconds(5);

  private final TrainingRunChildren children;
  private final SparkStage spark;
  private final TrainingScheduler scheduler;
  private final ModelVersionDeployer deployer;
  private final EventRecorder events;
  private final ReconcileMetrics metrics;
  private final Clock clock;

  public TrainingRunReconciler(
      KubernetesClient client,
      OperatorSettings settings,
      EventRecorder events,
      ReconcileMetrics metrics,
      Clock clock) {
    this.children = new TrainingRunChildren(client, settings);
    this.spark = new SparkStage(client, settings);
    this.scheduler = new TrainingScheduler(client, events, settings.schedulePoll());
    this.deployer = new ModelVersionDeployer(client);
    this.events = events;
    this.metrics = metrics;
    this.clock = clock;
  }

  @Override
  public List<EventSource<?, TrainingRun>> prepareEventSources(
      EventSourceContext<TrainingRun> ctx) {
    return children.eventSources(ctx);
  }

  @Override
  public UpdateControl<TrainingRun> reconcile(TrainingRun run, Context<TrainingRun> ctx) {
    return metrics.timed(KIND, () -> reconcileOnce(run, ctx));
  }

  private UpdateControl<TrainingRun> reconcileOnce(TrainingRun run, Context<TrainingRun> ctx) {
    Instant now = clock.instant();
    long gen = TrainingJobs.generation(run);
    TrainingRunStatus before = Statuses.copyOrNew(run.getStatus(), TrainingRunStatus.class);
    TrainingRunStatus st = Statuses.copyOrNew(run.getStatus(), TrainingRunStatus.class);
    st.observedGeneration = gen;
    List<Job> observed = TrainingRunChildren.observed(ctx);
    boolean valid = Statuses.validate(run, st.conditions, gen, now, events);
    if (!valid && st.jobName == null) {
      st.phase = "Invalid";
      return Statuses.patchIfChanged(run, before, st);
    }
    if (run.getSpec().schedule != null && valid) { // a template: its children train
      return scheduler.reconcile(run, before, st, gen, now);
    }
    // an invalid generation starts nothing and keeps tracking the last good generation's Job
    String jobName = valid ? TrainingJobs.jobName(run.getMetadata().getName(), gen) : st.jobName;
    if (valid) {
      for (Job old : children.deleteSuperseded(observed, gen)) {
        events.emit(run, TrainingProgress.supersededNotice(old));
      }
      // engine spark: the generation's SparkApplication samples and joins before its Job exists
      if (SparkStage.applies(run) && !has(observed, jobName)) {
        SparkStage.Outcome sparked = spark.reconcile(run, before, st, gen, now);
        sparked.notices().forEach(n -> events.emit(run, n));
        if (!sparked.proceed()) {
          return Statuses.patchIfChanged(run, before, st, sparked.requeue());
        }
      }
      if (children.reconcile(run, ctx)) {
        events.emit(run, TrainingProgress.createdNotice(jobName, gen));
        TrainingProgress.restart(st, jobName);
      }
    }
    TrainingProgress.track(before, st, observed, jobName, gen, now)
        .ifPresent(n -> events.emit(run, n));
    Optional<TrainingResult> recorded = Optional.empty();
    if (TrainingProgress.awaitsResult(st)) {
      var message = TrainingResults.terminationMessage(children.pods(run, jobName));
      recorded = TrainingProgress.succeeded(run, st, jobName, message, gen, now);
      TrainingProgress.result(st, jobName, recorded).ifPresent(n -> events.emit(run, n));
    }
    deployer.reconcile(run, st, recorded, gen, now).forEach(n -> events.emit(run, n));
    // the pod's termination message is not watched: while it is missing, look again shortly
    Duration requeue = TrainingProgress.resultPending(st) ? RESULT_POLL : null;
    return Statuses.patchIfChanged(run, before, st, requeue);
  }

  @Override
  public DeleteControl cleanup(TrainingRun run, Context<TrainingRun> ctx) {
    children.deleteAll(run);
    spark.deleteAll(run);
    return DeleteControl.defaultDelete();
  }

  private static boolean has(List<Job> observed, String jobName) {
    return observed.stream().anyMatch(j -> jobName.equals(j.getMetadata().getName()));
  }
}
