package io.liverec.operator.training;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.dependent.ReconcileResult.Operation;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.liverec.api.run.TrainingResult;
import io.liverec.api.v1alpha1.Conditions;
import io.liverec.api.v1alpha1.Reason;
import io.liverec.api.v1alpha1.TrainingRun;
import io.liverec.api.v1alpha1.TrainingRunStatus;
import io.liverec.operator.OperatorSettings;
import io.liverec.operator.ReconcileMetrics;
import io.liverec.operator.Statuses;
import io.liverec.operator.events.EventRecorder;
import io.liverec.operator.model.TrainingJobs;
import io.liverec.operator.model.TrainingJobs.Phase;
import io.liverec.operator.model.TrainingProgress;
import io.liverec.operator.model.TrainingResults;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * TrainingRun → one trainer Job (and its spec ConfigMap) per generation, both dependent resources
 * whose desired state is {@link TrainingJobs}. Observe the Jobs, validate the spec, reconcile the
 * dependents, patch status ({@link TrainingProgress}). Policy for spec changes: a new generation
 * gets a new Job; a still-running Job of an older generation is deleted (superseded); finished Jobs
 * of older generations are kept until the run is deleted. Metadata-only changes do not bump the
 * generation and start nothing; an invalid generation starts nothing and the last good generation's
 * Job keeps being tracked.
 */
@ControllerConfiguration(name = "trainingrun")
public class TrainingRunReconciler implements Reconciler<TrainingRun>, Cleaner<TrainingRun> {
  static final String KIND = "TrainingRun";
  static final Duration RESULT_POLL = Duration.ofSeconds(5);

  private final KubernetesClient client;
  private final EventRecorder events;
  private final ReconcileMetrics metrics;
  private final SpecConfigMapDependent specs = new SpecConfigMapDependent();
  private final TrainerJobDependent jobs;

  public TrainingRunReconciler(
      KubernetesClient client,
      OperatorSettings settings,
      EventRecorder events,
      ReconcileMetrics metrics) {
    this.client = client;
    this.events = events;
    this.metrics = metrics;
    this.jobs = new TrainerJobDependent(settings);
  }

  @Override
  public List<EventSource<?, TrainingRun>> prepareEventSources(
      EventSourceContext<TrainingRun> ctx) {
    return EventSourceUtils.dependentEventSources(ctx, specs, jobs);
  }

  @Override
  public UpdateControl<TrainingRun> reconcile(TrainingRun run, Context<TrainingRun> ctx) {
    return metrics.timed(KIND, () -> reconcileOnce(run, ctx));
  }

  private UpdateControl<TrainingRun> reconcileOnce(TrainingRun run, Context<TrainingRun> ctx) {
    Instant now = Instant.now();
    long gen = TrainingJobs.generation(run);
    TrainingRunStatus before = Statuses.copyOrNew(run.getStatus(), TrainingRunStatus.class);
    TrainingRunStatus st = Statuses.copyOrNew(run.getStatus(), TrainingRunStatus.class);
    st.observedGeneration = gen;
    boolean valid = Statuses.validate(run, st.conditions, gen, now, events);
    if (!valid && st.jobName == null) {
      st.phase = "Invalid";
      return Statuses.patchIfChanged(run, before, st);
    }
    String jobName = valid ? TrainingJobs.jobName(run.getMetadata().getName(), gen) : st.jobName;
    List<Job> observed = List.copyOf(ctx.getSecondaryResources(Job.class));
    Optional<Job> job = observed.stream().filter(j -> jobName.equals(name(j))).findFirst();
    if (valid) {
      for (Job old : TrainingProgress.superseded(observed, gen)) {
        client.resource(old).delete();
        String msg =
            "deleted Job " + name(old) + " of generation " + TrainingJobs.generationOf(old);
        events.normal(run, Reason.JobSuperseded, msg);
      }
      specs.reconcile(run, ctx);
      if (jobs.reconcile(run, ctx).getSingleOperation() == Operation.CREATED) {
        events.normal(run, Reason.JobCreated, "created Job " + jobName + " for generation " + gen);
        TrainingProgress.restart(st, jobName);
      }
    }
    Phase phase = TrainingJobs.phaseOf(job.orElse(null));
    boolean moved = !phase.name().equals(before.phase) || !jobName.equals(before.jobName);
    st.jobName = jobName;
    st.phase = phase.name();
    if (phase != Phase.Succeeded) {
      TrainingProgress.unfinished(st, phase, job.orElse(null), jobName, gen, now);
      if (moved && phase == Phase.Failed) {
        String why = TrainingJobs.failureOf(job.get());
        events.warning(run, Reason.JobFailed, "Job " + jobName + " failed: " + why);
      } else if (phase == Phase.Running && !phase.name().equals(before.phase)) {
        events.normal(run, Reason.JobRunning, "Job " + jobName + " is running");
      }
    } else if (!TrainingProgress.recorded(st, jobName)) {
      var message = TrainingResults.terminationMessage(pods(run, jobName));
      var result = TrainingProgress.succeeded(run, st, jobName, message, gen, now);
      result.ifPresent(r -> events.normal(run, Reason.ResultRecorded, recorded(jobName, st, r)));
    }
    // the pod's termination message is not watched: while it is missing, look again shortly
    boolean waiting =
        phase == Phase.Succeeded && !Conditions.isTrue(st.conditions, Conditions.READY);
    return Statuses.patchIfChanged(run, before, st, waiting ? RESULT_POLL : null);
  }

  private List<Pod> pods(TrainingRun run, String jobName) {
    String ns = run.getMetadata().getNamespace();
    return client.pods().inNamespace(ns).withLabel("job-name", jobName).list().getItems();
  }

  private static String recorded(String jobName, TrainingRunStatus st, TrainingResult r) {
    return "Job " + jobName + " succeeded: " + st.keyMetric + ", MLflow run " + r.mlflowRunId;
  }

  private static String name(Job job) {
    return job.getMetadata().getName();
  }

  @Override
  public DeleteControl cleanup(TrainingRun run, Context<TrainingRun> ctx) {
    String ns = run.getMetadata().getNamespace();
    String name = run.getMetadata().getName();
    // Owner references let the cluster's garbage collector do this too; deleting explicitly keeps
    // the cleanup independent of it (and of foreground/orphan deletion choices), and covers the
    // Jobs of earlier generations, which are no longer this generation's dependents.
    client.batch().v1().jobs().inNamespace(ns).withLabel(TrainingJobs.LABEL_RUN, name).delete();
    client.configMaps().inNamespace(ns).withLabel(TrainingJobs.LABEL_RUN, name).delete();
    return DeleteControl.defaultDelete();
  }
}
