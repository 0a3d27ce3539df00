package io.liverec.operator.features;

import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.dependent.ReconcileResult;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.liverec.api.v1alpha1.FeatureView;
import io.liverec.api.v1alpha1.FeatureViewStatus;
import io.liverec.api.v1alpha1.Reason;
import io.liverec.featurestore.FeatureRegistry;
import io.liverec.operator.Dependents;
import io.liverec.operator.OperatorSettings;
import io.liverec.operator.ReconcileMetrics;
import io.liverec.operator.Statuses;
import io.liverec.operator.events.EventRecorder;
import io.liverec.operator.model.FeatureViewProgress;
import io.liverec.operator.model.MaterializationJobs;
import io.liverec.operator.model.TrainingJobs;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * FeatureView → a registry entry (through {@link FeatureRegistry}) and, when scheduled, a
 * materialization CronJob (a dependent resource whose desired state is {@link
 * MaterializationJobs}). Validate, register, reconcile the CronJob (or delete it when the schedule
 * went away), patch status ({@link FeatureViewProgress}). The registry is outside the cluster, so
 * deletion goes through a finalizer that unregisters the view.
 */
@ControllerConfiguration(name = "featureview")
public class FeatureViewReconciler implements Reconciler<FeatureView>, Cleaner<FeatureView> {
  static final String KIND = "FeatureView";
  static final Duration REGISTRY_RETRY = Duration.ofSeconds(30);

  private final KubernetesClient client;
  private final FeatureRegistry registry;
  private final EventRecorder events;
  private final ReconcileMetrics metrics;
  private final MaterializationCronJobDependent crons;

  public FeatureViewReconciler(
      KubernetesClient client,
      FeatureRegistry registry,
      OperatorSettings settings,
      EventRecorder events,
      ReconcileMetrics metrics) {
    this.client = client;
    this.registry = registry;
    this.events = events;
    this.metrics = metrics;
    this.crons = new MaterializationCronJobDependent(settings);
  }

  @Override
  public List<EventSource<?, FeatureView>> prepareEventSources(
      EventSourceContext<FeatureView> ctx) {
    return EventSourceUtils.dependentEventSources(ctx, crons);
  }

  @Override
  public UpdateControl<FeatureView> reconcile(FeatureView view, Context<FeatureView> ctx) {
    return metrics.timed(KIND, () -> reconcileOnce(view, ctx));
  }

  private UpdateControl<FeatureView> reconcileOnce(FeatureView view, Context<FeatureView> ctx) {
    Instant now = Instant.now();
    long gen = TrainingJobs.generation(view);
    FeatureViewStatus before = Statuses.copyOrNew(view.getStatus(), FeatureViewStatus.class);
    FeatureViewStatus st = Statuses.copyOrNew(view.getStatus(), FeatureViewStatus.class);
    st.observedGeneration = gen;
    if (!Statuses.validate(view, st.conditions, gen, now, events)) {
      FeatureViewProgress.invalid(st);
      return Statuses.patchIfChanged(view, before, st);
    }
    FeatureRegistry.Entry entry;
    try {
      var meta = view.getMetadata();
      entry = registry.register(meta.getNamespace(), meta.getName(), view.getSpec());
    } catch (RuntimeException e) {
      events.emit(view, FeatureViewProgress.registryFailed(st, e.getMessage(), gen, now));
      return Statuses.patchIfChanged(view, before, st, REGISTRY_RETRY);
    }
    FeatureViewProgress.registered(st, entry.version()).ifPresent(n -> events.emit(view, n));
    if (view.getSpec().materialization != null) {
      ReconcileResult<CronJob> r = crons.reconcile(view, ctx);
      CronJob cron = r.getSingleResource().orElseThrow();
      FeatureViewProgress.scheduleChanged(cron, r.getSingleOperation())
          .ifPresent(n -> events.emit(view, n));
      FeatureViewProgress.scheduled(st, entry.version(), cron, gen, now);
    } else {
      crons.getSecondaryResource(view, ctx).ifPresent(cron -> unschedule(view, cron, ctx));
      FeatureViewProgress.onDemand(st, entry.version(), gen, now);
    }
    return Statuses.patchIfChanged(view, before, st);
  }

  private void unschedule(FeatureView view, CronJob cron, Context<FeatureView> ctx) {
    crons.delete(view, ctx);
    events.emit(view, FeatureViewProgress.unscheduled(cron));
  }

  @Override
  public DeleteControl cleanup(FeatureView view, Context<FeatureView> ctx) {
    if (registry.unregister(view.getMetadata().getNamespace(), view.getMetadata().getName())) {
      events.normal(view, Reason.Unregistered, "removed from the feature registry");
    }
    // the cluster's garbage collector would follow the owner reference; deleting explicitly keeps
    // the cleanup independent of it, as for TrainingRun
    Dependents.deleteAll(client, view, MaterializationJobs.LABEL_VIEW, CronJob.class);
    return DeleteControl.defaultDelete();
  }
}
