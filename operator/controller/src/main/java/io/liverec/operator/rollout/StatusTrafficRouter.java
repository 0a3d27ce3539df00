package io.liverec.operator.rollout;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.liverec.api.v1alpha1.ModelVersion;
import io.liverec.serving.rollout.StatusRouting;
import io.liverec.serving.rollout.TrafficRouter;
import java.util.List;
import java.util.OptionalInt;

/**
 * The traffic router in the cluster: the ModelVersions' status is the routing table. The rollout's
 * weight writes need no second channel (the status patch that ends each reconcile is the write, and
 * the gateways watch it), so {@link #setWeight} and {@link #promote} only check their input; reads
 * go to the API server, so an operator restarted mid-rollout knows the stable version and the
 * canary's weight without any memory of its own. Model names are taken as unique in the cluster
 * (the ModelVersions of one model live in the namespace its gateway watches).
 */
public final class StatusTrafficRouter implements TrafficRouter {
  private final KubernetesClient client;

  public StatusTrafficRouter(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public void setWeight(String model, int version, int percent) {
    if (percent < 0 || percent > 100) {
      throw new IllegalArgumentException("weight " + percent + " is outside 0..100");
    }
  }

  @Override
  public void promote(String model, int version) {
    // the Promoted phase with trafficWeight 100 in status is the promotion the gateways follow
  }

  @Override
  public OptionalInt stable(String model) {
    return StatusRouting.of(model, all()).stable();
  }

  @Override
  public int weight(String model, int version) {
    return all().stream()
        .filter(mv -> mv.getSpec() != null && model.equals(mv.getSpec().model))
        .filter(mv -> mv.getSpec().version != null && mv.getSpec().version == version)
        .filter(mv -> mv.getStatus() != null && mv.getStatus().trafficWeight != null)
        .mapToInt(mv -> mv.getStatus().trafficWeight)
        .max()
        .orElse(0);
  }

  private List<ModelVersion> all() {
    return client.resources(ModelVersion.class).inAnyNamespace().list().getItems();
  }
}
