package io.liverec.operator.training;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.liverec.api.v1alpha1.TrainingRun;
import io.liverec.operator.CreateOnlyDependent;
import io.liverec.operator.model.TrainingJobs;

/** The spec a generation's trainer Job mounts ({@link TrainingJobs#specConfigMap}). */
class SpecConfigMapDependent extends CreateOnlyDependent<ConfigMap, TrainingRun> {
  SpecConfigMapDependent() {
    super(ConfigMap.class, TrainingJobs.LABEL_RUN);
  }

  @Override
  protected ConfigMap desired(TrainingRun run, Context<TrainingRun> ctx) {
    return TrainingJobs.specConfigMap(run);
  }
}
