package io.liverec.operator.training;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.liverec.api.run.TrainingResult;
import io.liverec.api.v1alpha1.Conditions;
import io.liverec.api.v1alpha1.Reason;
import io.liverec.api.v1alpha1.TrainingRun;
import io.liverec.api.v1alpha1.TrainingRunStatus;
import io.liverec.api.validation.CustomResourceValidator;
import io.liverec.api.validation.Violation;
import io.liverec.operator.OperatorSettings;
import io.liverec.operator.OwnedChildren;
import io.liverec.operator.ReconcileMetrics;
import io.liverec.operator.Statuses;
import io.liverec.operator.events.EventRecorder;
import io.liverec.operator.model.TrainingJobs;
import io.liverec.operator.model.TrainingJobs.Phase;
import io.liverec.operator.model.TrainingResults;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * TrainingRun → one trainer Job per generation. Observe (the Job of this generation), decide (phase
 * from the Job), act (create the Job, read the result, patch status). Policy for spec changes: a
 * new generation gets a new Job; a still-running Job of an older generation is deleted
 * (superseded); finished Jobs of older generations are kept until the run is deleted. Metadata-only
 * changes do not bump the generation and start nothing.
 */
@ControllerConfiguration(name = "trainingrun")
public class TrainingRunReconciler implements Reconciler<TrainingRun>, Cleaner<TrainingRun> {
  static final String KIND = "TrainingRun";
  static final long RESULT_POLL_MILLIS = 5_000;

  private final KubernetesClient client;
  private final OperatorSettings settings;
  private final EventRecorder events;
  private final ReconcileMetrics metrics;

  public TrainingRunReconciler(
      KubernetesClient client,
      OperatorSettings settings,
      EventRecorder events,
      ReconcileMetrics metrics) {
    this.client = client;
    this.settings = settings;
    this.events = events;
    this.metrics = metrics;
  }

  @Override
  public List<EventSource<?, TrainingRun>> prepareEventSources(
      EventSourceContext<TrainingRun> ctx) {
    return OwnedChildren.informer(ctx, Job.class, TrainingRun.class, TrainingJobs.LABEL_RUN);
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
    List<Violation> violations = CustomResourceValidator.validate(run);
    boolean valid = violations.isEmpty();
    if (valid) {
      Conditions.set(
          st.conditions, Conditions.VALID, true, Reason.SpecValid, "spec is valid", gen, now);
    } else {
      String msg = CustomResourceValidator.describe("spec", violations);
      if (Conditions.set(
          st.conditions, Conditions.VALID, false, Reason.InvalidSpec, msg, gen, now)) {
        events.warning(run, Reason.InvalidSpec, msg);
      }
      if (st.jobName == null) {
        st.phase = "Invalid";
        st.observedGeneration = gen;
        return patchIfChanged(run, before, st);
      }
    }
    // An invalid generation starts nothing: the last good generation's Job keeps being tracked.
    String jobName = valid ? TrainingJobs.jobName(run.getMetadata().getName(), gen) : st.jobName;

    // observe
    List<Job> jobs = List.copyOf(ctx.getSecondaryResources(Job.class));
    Optional<Job> job =
        jobs.stream().filter(j -> jobName.equals(j.getMetadata().getName())).findFirst();
    // act: supersede running Jobs of older generations, create this generation's Job
    for (Job old : jobs) {
      if (valid
          && TrainingJobs.generationOf(old) < gen
          && TrainingJobs.phaseOf(old).ordinal() <= Phase.Running.ordinal()) {
        client.resource(old).delete();
        events.normal(
            run,
            Reason.JobSuperseded,
            "deleted Job "
                + old.getMetadata().getName()
                + " of generation "
                + TrainingJobs.generationOf(old));
      }
    }
    // The informer cache is synced before the first reconcile, so a Job missing from it was not
    // created yet, or only just now (then create answers 409 and nothing is duplicated).
    if (job.isEmpty() && valid) {
      createIfAbsent(TrainingJobs.specConfigMap(run));
      if (createIfAbsent(
          TrainingJobs.job(
              run,
              settings.trainerImage(),
              settings.trainerServiceAccount(),
              settings.mlflowTrackingUri().orElse(null),
              settings.runsClaim().orElse(null)))) {
        events.normal(run, Reason.JobCreated, "created Job " + jobName + " for generation " + gen);
      }
      st.jobName = jobName;
      st.metrics.clear();
      st.mlflowRunId = null;
      st.modelUri = null;
      st.modelVersion = null;
      st.keyMetric = null;
    }

    // decide: phase from the Job
    Phase phase = TrainingJobs.phaseOf(job.orElse(null));
    st.jobName = jobName;
    String previous = before.phase;
    st.phase = phase.name();
    switch (phase) {
      case Succeeded -> succeeded(run, st, jobName, gen, now);
      case Failed -> {
        String why = TrainingJobs.failureOf(job.get());
        Conditions.set(st.conditions, Conditions.READY, false, Reason.JobFailed, why, gen, now);
        if (!phase.name().equals(previous) || !jobName.equals(before.jobName)) {
          events.warning(run, Reason.JobFailed, "Job " + jobName + " failed: " + why);
        }
      }
      case Running -> {
        Conditions.set(
            st.conditions,
            Conditions.READY,
            false,
            Reason.JobRunning,
            "Job " + jobName + " is running",
            gen,
            now);
        if (!phase.name().equals(previous)) {
          events.normal(run, Reason.JobRunning, "Job " + jobName + " is running");
        }
      }
      default ->
          Conditions.set(
              st.conditions,
              Conditions.READY,
              false,
              Reason.JobCreated,
              "Job " + jobName + " is pending",
              gen,
              now);
    }
    st.observedGeneration = gen;
    UpdateControl<TrainingRun> control = patchIfChanged(run, before, st);
    if (phase == Phase.Succeeded && !Conditions.isTrue(st.conditions, Conditions.READY)) {
      // the pod's termination message is not watched: look again shortly
      control.rescheduleAfter(RESULT_POLL_MILLIS);
    }
    return control;
  }

  private void succeeded(
      TrainingRun run, TrainingRunStatus st, String jobName, long gen, Instant now) {
    boolean recorded =
        Conditions.isTrue(st.conditions, Conditions.READY)
            && jobName.equals(st.jobName)
            && !st.metrics.isEmpty();
    if (recorded) {
      return;
    }
    Optional<String> message = terminationMessage(run, jobName);
    if (message.isEmpty()) {
      Conditions.set(
          st.conditions,
          Conditions.READY,
          false,
          Reason.ResultMissing,
          "Job " + jobName + " succeeded but its pod left no termination message",
          gen,
          now);
      return;
    }
    try {
      TrainingResult r = TrainingResult.fromJson(message.get());
      TrainingResults.apply(run, r, st);
      Conditions.set(
          st.conditions,
          Conditions.READY,
          true,
          Reason.JobSucceeded,
          "trained; " + (st.keyMetric == null ? "no metrics" : st.keyMetric),
          gen,
          now);
      TrainingResults.trackingCondition(r, st, gen, now);
      events.normal(
          run,
          Reason.ResultRecorded,
          "Job " + jobName + " succeeded: " + st.keyMetric + ", MLflow run " + r.mlflowRunId);
    } catch (IllegalArgumentException e) {
      Conditions.set(
          st.conditions,
          Conditions.READY,
          false,
          Reason.ResultMissing,
          "Job " + jobName + " result unreadable: " + e.getMessage(),
          gen,
          now);
    }
  }

  /** The termination message of the Job's succeeded trainer container. */
  private Optional<String> terminationMessage(TrainingRun run, String jobName) {
    List<Pod> pods =
        client
            .pods()
            .inNamespace(run.getMetadata().getNamespace())
            .withLabel("job-name", jobName)
            .list()
            .getItems();
    return TrainingResults.terminationMessage(pods);
  }

  /** Creates {@code child}; false when it already existed. */
  private boolean createIfAbsent(io.fabric8.kubernetes.api.model.HasMetadata child) {
    try {
      client.resource(child).create();
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
      return false;
    }
  }

  private static UpdateControl<TrainingRun> patchIfChanged(
      TrainingRun run, TrainingRunStatus before, TrainingRunStatus after) {
    if (Statuses.same(before, after)) {
      return UpdateControl.noUpdate();
    }
    run.setStatus(after);
    return UpdateControl.patchStatus(run);
  }

  @Override
  public DeleteControl cleanup(TrainingRun run, Context<TrainingRun> ctx) {
    String ns = run.getMetadata().getNamespace();
    String name = run.getMetadata().getName();
    // Owner references let the cluster's garbage collector do this too; deleting explicitly keeps
    // the cleanup independent of it (and of foreground/orphan deletion choices).
    client.batch().v1().jobs().inNamespace(ns).withLabel(TrainingJobs.LABEL_RUN, name).delete();
    client.configMaps().inNamespace(ns).withLabel(TrainingJobs.LABEL_RUN, name).delete();
    return DeleteControl.defaultDelete();
  }

  /** Used by tests: the spec ConfigMap a run gets. */
  static ConfigMap specOf(TrainingRun run) {
    return TrainingJobs.specConfigMap(run);
  }
}
