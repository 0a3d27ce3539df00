package io.liverec.operator.features;

import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.Matcher.Result;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.liverec.api.v1alpha1.FeatureView;
import io.liverec.operator.Dependents;
import io.liverec.operator.OperatorSettings;
import io.liverec.operator.model.MaterializationJobs;

/**
 * A FeatureView's materialization CronJob ({@link MaterializationJobs#cronJob}): created, updated
 * when a field the operator sets changes ({@link MaterializationJobs#sameOwnedFields}, so fields
 * the API server defaults do not count as drift), deleted when the schedule goes away.
 */
class MaterializationCronJobDependent
    extends CRUDKubernetesDependentResource<CronJob, FeatureView> {
  private final OperatorSettings settings;

  MaterializationCronJobDependent(OperatorSettings settings) {
    super(CronJob.class);
    this.settings = settings;
    configureWith(Dependents.config(CronJob.class, MaterializationJobs.LABEL_VIEW, null));
  }

  @Override
  protected CronJob desired(FeatureView view, Context<FeatureView> ctx) {
    return MaterializationJobs.cronJob(
        view,
        settings.materializerImage(),
        settings.trainerServiceAccount(),
        // the same registry (variables and claim) the operator writes and trainers read
        io.liverec.operator.model.TrainerFeatureRegistry.of(
            System.getenv(), settings.featureRegistryClaim().orElse(null)));
  }

  @Override
  public Result<CronJob> match(CronJob actual, FeatureView view, Context<FeatureView> ctx) {
    CronJob desired = getOrComputeDesired(ctx);
    return Result.computed(MaterializationJobs.sameOwnedFields(actual, desired), desired);
  }

  /** By name, so that an unscheduled view (no desired CronJob) still finds the one to delete. */
  @Override
  protected ResourceID targetSecondaryResourceID(FeatureView view, Context<FeatureView> ctx) {
    return new ResourceID(
        MaterializationJobs.cronJobName(view.getMetadata().getName()),
        view.getMetadata().getNamespace());
  }
}
