package io.liverec.operator.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.liverec.api.v1alpha1.DeploySpec;
import io.liverec.api.v1alpha1.ModelVersion;
import io.liverec.api.v1alpha1.ModelVersionSpec;
import io.liverec.api.v1alpha1.Reason;
import io.liverec.api.v1alpha1.TrainingRun;
import io.liverec.api.v1alpha1.TrainingRunStatus;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Gates → the next ModelVersion, without I/O. A TrainingRun with {@code spec.deploy} that succeeded
 * and registered a version (its gates passed) deploys it once: the ModelVersion {@code
 * <registeredModel>-v<version>} serving {@code models:/<registeredModel>/<version>} with the
 * template's rollout. The name is the version's, so a reconcile repeated after a restart finds the
 * object instead of making a second; {@code status.deployedModelVersion} records it. The
 * ModelVersion carries no owner reference: deleting the run that trained a serving model must not
 * take it out of service.
 */
public final class Deployments {
  /** Label on a created ModelVersion: the TrainingRun that trained it. */
  public static final String LABEL_TRAINED_BY = "liverec.io/trained-by";

  /** Condition type on the TrainingRun: whether it deployed a ModelVersion. */
  public static final String DEPLOYED = "Deployed";

  private static final ObjectMapper JSON = new ObjectMapper();

  private Deployments() {}

  /**
   * The ModelVersion to create now: none unless deploy is set, the run succeeded and registered.
   */
  public static Optional<ModelVersion> next(TrainingRun run, TrainingRunStatus st) {
    DeploySpec d = run.getSpec().deploy;
    if (d == null
        || !"Succeeded".equals(st.phase)
        || st.deployedModelVersion != null
        || st.modelVersion == null
        || !st.gateFailures.isEmpty()) {
      return Optional.empty();
    }
    String registered = run.getSpec().tracking.registeredModel;
    int version = Integer.parseInt(st.modelVersion);
    ModelVersion mv = new ModelVersion();
    mv.setMetadata(
        new ObjectMetaBuilder()
            .withName(name(registered, version))
            .withNamespace(run.getMetadata().getNamespace())
            .withLabels(Map.of(LABEL_TRAINED_BY, run.getMetadata().getName()))
            .build());
    ModelVersionSpec spec = new ModelVersionSpec();
    spec.model = d.model != null ? d.model : registered;
    spec.version = version;
    spec.source.mlflow = "models:/" + registered + "/" + version;
    spec.triton = JSON.convertValue(d.triton, ModelVersionSpec.Triton.class);
    spec.rollout = JSON.convertValue(d.rollout, ModelVersionSpec.Rollout.class);
    mv.setSpec(spec);
    return Optional.of(mv);
  }

  /** {@code <model>-v<version>}, lower-cased (a resource name). */
  public static String name(String model, int version) {
    return model.toLowerCase(Locale.ROOT) + "-v" + version;
  }

  /** Records the created ModelVersion; the Event telling it. */
  public static Notice created(TrainingRunStatus st, ModelVersion mv) {
    st.deployedModelVersion = mv.getMetadata().getName();
    return Notice.normal(
        Reason.ModelVersionCreated,
        "created ModelVersion "
            + mv.getMetadata().getName()
            + " for "
            + mv.getSpec().source.mlflow
            + "; its canary starts at "
            + mv.getSpec().rollout.steps.get(0).weight
            + "%");
  }

  /**
   * When a deploying run's result shows failed gates: the Event saying which gate and by how much
   * (the {@value #DEPLOYED} condition is set False by the caller with the same message).
   */
  public static Optional<Notice> gatesFailed(TrainingRun run, TrainingRunStatus st) {
    if (run.getSpec().deploy == null || st.gateFailures.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        Notice.warning(
            Reason.GatesFailed, "no ModelVersion created: " + String.join("; ", st.gateFailures)));
  }
}
