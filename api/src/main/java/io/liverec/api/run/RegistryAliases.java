package io.liverec.api.run;

/**
 * The model registry's view of a rollout: which registered version is the {@code champion}. A
 * ModelVersion whose rollout completes becomes the champion; a rolled-back one gives the alias back
 * to the version that served before it. Implemented against MLflow in the pipelines module; the
 * rollout machine in serving calls it, on a cluster and embedded alike.
 */
public interface RegistryAliases {

  /** The alias that marks the version serving all traffic. */
  String CHAMPION = "champion";

  /** {@code version} of {@code registeredModel} now serves all traffic. Idempotent. */
  void promoted(String registeredModel, int version);

  /**
   * The rollout of {@code version} was rolled back. If the champion alias points at it (CI promoted
   * before the rollout), it moves back to {@code restoreTo}, or to the champion recorded before
   * {@code version} took it when {@code restoreTo} is null. Otherwise nothing changes. Idempotent.
   */
  void rolledBack(String registeredModel, int version, Integer restoreTo);

  /**
   * Writes {@code tags} (the rollout's record: one per step, then the decision and its reason) onto
   * {@code version} of {@code registeredModel}. Setting a tag to the value it has changes nothing,
   * so the call may be repeated. No registry: nothing is written.
   */
  default void tagVersion(
      String registeredModel, int version, java.util.Map<String, String> tags) {}

  /** No registry: aliases are not kept anywhere. */
  RegistryAliases NONE =
      new RegistryAliases() {
        @Override
        public void promoted(String registeredModel, int version) {}

        @Override
        public void rolledBack(String registeredModel, int version, Integer restoreTo) {}
      };
}
