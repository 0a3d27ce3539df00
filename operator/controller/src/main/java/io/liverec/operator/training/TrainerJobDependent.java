package io.liverec.operator.training;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.liverec.api.v1alpha1.TrainingRun;
import io.liverec.operator.CreateOnlyDependent;
import io.liverec.operator.OperatorSettings;
import io.liverec.operator.model.TrainingJobs;

/** The trainer Job of a TrainingRun's generation ({@link TrainingJobs#job}). */
class TrainerJobDependent extends CreateOnlyDependent<Job, TrainingRun> {
  private final OperatorSettings settings;

  TrainerJobDependent(OperatorSettings settings) {
    super(Job.class, TrainingJobs.LABEL_RUN);
    this.settings = settings;
  }

  @Override
  protected Job desired(TrainingRun run, Context<TrainingRun> ctx) {
    return TrainingJobs.job(
        run,
        TrainingJobs.trainerImage(run, settings.trainerImage(), settings.trainerGpuImage()),
        settings.trainerServiceAccount(),
        settings.mlflowTrackingUri().orElse(null),
        settings.runsClaim().orElse(null),
        // the trainer resolves spec.data.featureViews in the registry this operator writes
        io.liverec.operator.model.TrainerFeatureRegistry.of(
            System.getenv(), settings.featureRegistryClaim().orElse(null)));
  }
}
