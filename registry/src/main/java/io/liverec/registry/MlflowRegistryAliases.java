package io.liverec.registry;

import io.liverec.api.run.RegistryAliases;
import java.util.Optional;

/**
 * The {@code champion} alias kept in MLflow's model registry, as rollouts promote and roll back
 * versions. The champion a version replaced is remembered as a model tag (the same one {@code
 * liverec promote} writes), so a rollback can hand the alias back even without a stable version.
 */
public final class MlflowRegistryAliases implements RegistryAliases {
  /** Model tag remembering the version that held an alias before it last moved. */
  public static final String PREVIOUS_TAG_PREFIX = "liverec.previous.";

  static final String PREVIOUS = PREVIOUS_TAG_PREFIX + CHAMPION;

  private final MlflowGateway mlflow;

  public MlflowRegistryAliases(MlflowGateway mlflow) {
    this.mlflow = mlflow;
  }

  @Override
  public void promoted(String registeredModel, int version) {
    String v = Integer.toString(version);
    Optional<MlflowGateway.VersionInfo> current = mlflow.versionByAlias(registeredModel, CHAMPION);
    if (current.isPresent() && current.get().version().equals(v)) {
      return;
    }
    current.ifPresent(c -> mlflow.setModelTag(registeredModel, PREVIOUS, c.version()));
    mlflow.setAlias(registeredModel, CHAMPION, v);
  }

  /** One {@code model-versions/set-tag} per tag, in order (an outage fails the first unsent). */
  @Override
  public void tagVersion(String registeredModel, int version, java.util.Map<String, String> tags) {
    String v = Integer.toString(version);
    tags.forEach((k, value) -> mlflow.setVersionTag(registeredModel, v, k, value));
  }

  @Override
  public void rolledBack(String registeredModel, int version, Integer restoreTo) {
    Optional<MlflowGateway.VersionInfo> current = mlflow.versionByAlias(registeredModel, CHAMPION);
    if (current.isEmpty() || !current.get().version().equals(Integer.toString(version))) {
      return; // the champion never moved to the rolled-back version
    }
    String target =
        restoreTo != null ? restoreTo.toString() : mlflow.modelTags(registeredModel).get(PREVIOUS);
    if (target == null || target.equals(Integer.toString(version))) {
      mlflow.deleteAlias(registeredModel, CHAMPION);
    } else {
      mlflow.setAlias(registeredModel, CHAMPION, target);
    }
  }
}
