package io.liverec.operator.model;

import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The feature registry a trainer pod resolves {@code spec.data.featureViews} in: the operator's own
 * registry variables ({@link #ENV}: the registry it writes from FeatureView resources) passed to
 * the trainer, and the PersistentVolumeClaim holding that registry (null = none) mounted at the
 * directory they name. Pure: no I/O.
 *
 * @param env registry variables for the trainer container
 * @param claim the claim holding the registry, or null
 */
public record TrainerFeatureRegistry(Map<String, String> env, String claim) {
  /** No registry variables: the trainer uses its embedded registry. */
  public static final TrainerFeatureRegistry NONE = new TrainerFeatureRegistry(Map.of(), null);

  /** The variables that choose a feature registry (see {@code FeatureStores.configured}). */
  public static final List<String> ENV =
      List.of(
          "LIVEREC_FEATURE_REGISTRY",
          "LIVEREC_FEATURE_REGISTRY_DIR",
          "LIVEREC_FEAST_REPO",
          "LIVEREC_FEAST_PROJECT",
          "LIVEREC_FEAST_ONLINE_STORE");

  static final String VOLUME = "feature-registry";

  /** The registry variables of {@code operatorEnv} (the operator's environment), and a claim. */
  public static TrainerFeatureRegistry of(Map<String, String> operatorEnv, String claim) {
    Map<String, String> env = new LinkedHashMap<>();
    for (String k : ENV) {
      if (operatorEnv.get(k) != null) {
        env.put(k, operatorEnv.get(k));
      }
    }
    return new TrainerFeatureRegistry(env, claim == null || claim.isBlank() ? null : claim);
  }

  /** Where the claim is mounted: the Feast repository, else the file registry's directory. */
  Optional<String> mountPath() {
    return Optional.ofNullable(
        env.getOrDefault("LIVEREC_FEAST_REPO", env.get("LIVEREC_FEATURE_REGISTRY_DIR")));
  }

  /** The registry's mount in the trainer container (none without a claim). */
  List<VolumeMount> volumeMounts() {
    if (claim == null || mountPath().isEmpty()) {
      return List.of();
    }
    return List.of(
        new VolumeMountBuilder().withName(VOLUME).withMountPath(mountPath().get()).build());
  }

  /** {@code base} plus the registry's volume (when it is mounted). */
  List<Volume> plusVolume(List<Volume> base) {
    if (volumeMounts().isEmpty()) {
      return base;
    }
    List<Volume> out = new ArrayList<>(base);
    out.add(
        new VolumeBuilder()
            .withName(VOLUME)
            .withNewPersistentVolumeClaim()
            .withClaimName(claim)
            .endPersistentVolumeClaim()
            .build());
    return out;
  }
}
