package io.liverec.operator.features;

import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.liverec.api.v1alpha1.Conditions;
import io.liverec.api.v1alpha1.FeatureView;
import io.liverec.api.v1alpha1.FeatureViewStatus;
import io.liverec.api.v1alpha1.Reason;
import io.liverec.api.validation.CustomResourceValidator;
import io.liverec.api.validation.Violation;
import io.liverec.featurestore.FeatureRegistry;
import io.liverec.operator.OperatorSettings;
import io.liverec.operator.OwnedChildren;
import io.liverec.operator.ReconcileMetrics;
import io.liverec.operator.Statuses;
import io.liverec.operator.events.EventRecorder;
import io.liverec.operator.model.MaterializationJobs;
import io.liverec.operator.model.TrainingJobs;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * FeatureView → a registry entry (through {@link FeatureRegistry}) and, when scheduled, a
 * materialization CronJob. The registry is outside the cluster, so deletion goes through a
 * finalizer that unregisters the view.
 */
@ControllerConfiguration(name = "featureview")
public class FeatureViewReconciler implements Reconciler<FeatureView>, Cleaner<FeatureView> {
  static final String KIND = "FeatureView";

  private final KubernetesClient client;
  private final FeatureRegistry registry;
  private final OperatorSettings settings;
  private final EventRecorder events;
  private final ReconcileMetrics metrics;

  public FeatureViewReconciler(
      KubernetesClient client,
      FeatureRegistry registry,
      OperatorSettings settings,
      EventRecorder events,
      ReconcileMetrics metrics) {
    this.client = client;
    this.registry = registry;
    this.settings = settings;
    this.events = events;
    this.metrics = metrics;
  }

  @Override
  public List<EventSource<?, FeatureView>> prepareEventSources(
      EventSourceContext<FeatureView> ctx) {
    return OwnedChildren.informer(
        ctx, CronJob.class, FeatureView.class, MaterializationJobs.LABEL_VIEW);
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
    String ns = view.getMetadata().getNamespace();
    String name = view.getMetadata().getName();

    List<Violation> violations = CustomResourceValidator.validate(view);
    if (!violations.isEmpty()) {
      String msg = CustomResourceValidator.describe("spec", violations);
      if (Conditions.set(
          st.conditions, Conditions.VALID, false, Reason.InvalidSpec, msg, gen, now)) {
        events.warning(view, Reason.InvalidSpec, msg);
      }
      if (st.registryVersion == null) {
        st.phase = "Invalid";
      }
      st.observedGeneration = gen;
      return patchIfChanged(view, before, st);
    }
    Conditions.set(
        st.conditions, Conditions.VALID, true, Reason.SpecValid, "spec is valid", gen, now);

    FeatureRegistry.Entry entry;
    try {
      entry = registry.register(ns, name, view.getSpec());
    } catch (RuntimeException e) {
      st.phase = "Failed";
      Conditions.set(
          st.conditions, Conditions.READY, false, Reason.RegistryFailed, e.getMessage(), gen, now);
      events.warning(view, Reason.RegistryFailed, "registration failed: " + e.getMessage());
      st.observedGeneration = gen;
      return patchIfChanged(view, before, st).rescheduleAfter(30_000);
    }
    if (!Objects.equals(entry.version(), st.registryVersion)) {
      events.normal(view, Reason.Registered, "registered as version " + entry.version());
    }
    st.registryVersion = entry.version();

    Optional<CronJob> current = ctx.getSecondaryResource(CronJob.class);
    if (view.getSpec().materialization != null) {
      CronJob desired =
          MaterializationJobs.cronJob(
              view, settings.materializerImage(), settings.trainerServiceAccount());
      if (current.isEmpty()) {
        try {
          client.resource(desired).create();
        } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
          if (e.getCode() != 409) {
            throw e;
          }
        }
        events.normal(
            view,
            Reason.MaterializationScheduled,
            "CronJob "
                + desired.getMetadata().getName()
                + " at '"
                + desired.getSpec().getSchedule()
                + "'");
      } else if (!MaterializationJobs.sameOwnedFields(current.get(), desired)) {
        client
            .resource(current.get())
            .edit(
                c -> {
                  c.setSpec(desired.getSpec());
                  return c;
                });
        events.normal(
            view,
            Reason.MaterializationScheduled,
            "CronJob "
                + desired.getMetadata().getName()
                + " updated to '"
                + desired.getSpec().getSchedule()
                + "'");
      }
      st.cronJobName = desired.getMetadata().getName();
      current
          .map(c -> c.getStatus() == null ? null : c.getStatus().getLastSuccessfulTime())
          .ifPresent(t -> st.lastMaterialized = t);
      st.phase = "Ready";
      Conditions.set(
          st.conditions,
          Conditions.READY,
          true,
          Reason.MaterializationScheduled,
          "registered (version "
              + entry.version()
              + "), materialized on '"
              + desired.getSpec().getSchedule()
              + "'",
          gen,
          now);
    } else {
      current.ifPresent(
          c -> {
            client.resource(c).delete();
            events.normal(
                view,
                Reason.MaterializationUnscheduled,
                "deleted CronJob " + c.getMetadata().getName());
          });
      st.cronJobName = null;
      st.phase = "Registered";
      Conditions.set(
          st.conditions,
          Conditions.READY,
          true,
          Reason.Registered,
          "registered (version " + entry.version() + "); materialized on demand",
          gen,
          now);
    }
    st.observedGeneration = gen;
    return patchIfChanged(view, before, st);
  }

  private static UpdateControl<FeatureView> patchIfChanged(
      FeatureView view, FeatureViewStatus before, FeatureViewStatus after) {
    if (Statuses.same(before, after)) {
      return UpdateControl.noUpdate();
    }
    view.setStatus(after);
    return UpdateControl.patchStatus(view);
  }

  @Override
  public DeleteControl cleanup(FeatureView view, Context<FeatureView> ctx) {
    String ns = view.getMetadata().getNamespace();
    String name = view.getMetadata().getName();
    if (registry.unregister(ns, name)) {
      events.normal(view, Reason.Unregistered, "removed from the feature registry");
    }
    client
        .batch()
        .v1()
        .cronjobs()
        .inNamespace(ns)
        .withLabel(MaterializationJobs.LABEL_VIEW, name)
        .delete();
    return DeleteControl.defaultDelete();
  }
}
