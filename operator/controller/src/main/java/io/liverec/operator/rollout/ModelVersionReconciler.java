package io.liverec.operator.rollout;

import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.liverec.api.v1alpha1.ModelVersion;
import io.liverec.api.v1alpha1.ModelVersionStatus;
import io.liverec.api.v1alpha1.Reason;
import io.liverec.operator.ReconcileMetrics;
import io.liverec.operator.Statuses;
import io.liverec.operator.events.EventRecorder;
import io.liverec.operator.model.TrainingJobs;
import io.liverec.serving.rollout.Rollout;
import java.time.Instant;

/**
 * ModelVersion → the rollout phase machine ({@link Rollout}, shared with the embedded CLI). The
 * reconciler only sequences: validate, advance one step, record transitions as Events, patch
 * status, come back when the rollout asks. The inference server is outside the cluster, so deletion
 * goes through a finalizer that withdraws an unpromoted version.
 */
@ControllerConfiguration(name = "modelversion")
public class ModelVersionReconciler implements Reconciler<ModelVersion>, Cleaner<ModelVersion> {
  static final String KIND = "ModelVersion";

  private final Rollout rollout;
  private final EventRecorder events;
  private final ReconcileMetrics metrics;

  public ModelVersionReconciler(Rollout rollout, EventRecorder events, ReconcileMetrics metrics) {
    this.rollout = rollout;
    this.events = events;
    this.metrics = metrics;
  }

  @Override
  public UpdateControl<ModelVersion> reconcile(ModelVersion mv, Context<ModelVersion> ctx) {
    return metrics.timed(KIND, () -> reconcileOnce(mv));
  }

  private UpdateControl<ModelVersion> reconcileOnce(ModelVersion mv) {
    Instant now = Instant.now();
    long gen = TrainingJobs.generation(mv);
    ModelVersionStatus before = Statuses.copyOrNew(mv.getStatus(), ModelVersionStatus.class);
    ModelVersionStatus st = Statuses.copyOrNew(mv.getStatus(), ModelVersionStatus.class);

    if (!Statuses.validate(mv, st.conditions, gen, now, events)) {
      if (st.phase == null) {
        st.phase = "Invalid";
      }
      st.observedGeneration = gen;
      return Statuses.patchIfChanged(mv, before, st);
    }

    Rollout.Outcome outcome = rollout.reconcile(mv.getSpec(), st, gen, now);
    for (Rollout.Transition t : outcome.transitions()) {
      if (t.warning()) {
        events.warning(mv, t.reason(), t.message());
      } else {
        events.normal(mv, t.reason(), t.message());
      }
    }
    return Statuses.patchIfChanged(mv, before, st, outcome.requeueAfter().orElse(null));
  }

  @Override
  public DeleteControl cleanup(ModelVersion mv, Context<ModelVersion> ctx) {
    rollout.cleanup(mv.getSpec(), mv.getStatus());
    if (mv.getStatus() == null || !Rollout.PROMOTED.equals(mv.getStatus().phase)) {
      events.normal(
          mv, Reason.Unloaded, "withdrew " + mv.getSpec().model + "/" + mv.getSpec().version);
    }
    return DeleteControl.defaultDelete();
  }
}
