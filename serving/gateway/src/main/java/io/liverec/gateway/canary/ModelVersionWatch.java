package io.liverec.gateway.canary;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.liverec.api.v1alpha1.ModelVersion;
import io.liverec.gateway.SplitRouter;
import io.liverec.serving.rollout.StatusRouting;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The gateway's split in the cluster: an informer on the ModelVersions of one namespace, and on
 * every change the split {@link StatusRouting} reads from their status is applied to the {@link
 * SplitRouter} the request path reads. So the weight the operator writes to {@code
 * status.trafficWeight} is the weight the gateway serves, with no second channel between them; a
 * gateway restarted mid-rollout lists the status and serves the same split again. Until the first
 * list arrives (and for a model no ModelVersion names) the bundle's stable version serves everyone.
 *
 * <p>The informer keeps its own watch alive (re-list and re-watch on errors); while the API server
 * is unreachable the last split stays in force.
 */
public final class ModelVersionWatch implements AutoCloseable {
  private final SplitRouter router;
  private final int bundleStable;
  private final SharedIndexInformer<ModelVersion> informer;
  private final AtomicReference<StatusRouting.Split> applied = new AtomicReference<>();

  private ModelVersionWatch(
      KubernetesClient client, String namespace, SplitRouter router, int bundleStable) {
    this.router = router;
    this.bundleStable = bundleStable;
    this.informer =
        client
            .resources(ModelVersion.class)
            .inNamespace(namespace)
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(ModelVersion mv) {
                    refresh();
                  }

                  @Override
                  public void onUpdate(ModelVersion before, ModelVersion after) {
                    refresh();
                  }

                  @Override
                  public void onDelete(ModelVersion mv, boolean finalStateUnknown) {
                    refresh();
                  }
                },
                0);
    refresh();
  }

  /**
   * Starts watching the ModelVersions in {@code namespace} and routing {@code router}'s model by
   * their status; {@code bundleStable} serves until a version of the model is promoted.
   */
  public static ModelVersionWatch start(
      KubernetesClient client, String namespace, SplitRouter router, int bundleStable) {
    if (namespace == null || namespace.isBlank()) {
      throw new IllegalArgumentException("namespace: the ModelVersions' namespace is required");
    }
    return new ModelVersionWatch(client, namespace, router, bundleStable);
  }

  /** The split last applied (what the status said). */
  public StatusRouting.Split applied() {
    return applied.get();
  }

  /** True once the informer has listed the namespace. */
  public boolean synced() {
    return informer != null && informer.hasSynced();
  }

  private synchronized void refresh() {
    if (informer == null) {
      return; // the first events may arrive before the constructor has assigned the informer
    }
    List<ModelVersion> all = informer.getStore().list();
    StatusRouting.Split split = StatusRouting.of(router.model(), all);
    StatusRouting.Split before = applied.getAndSet(split);
    router.route(split.stable().orElse(bundleStable), split.canary(), split.canaryPercent());
    if (!split.ignored().isEmpty()
        && (before == null || !split.ignored().equals(before.ignored()))) {
      System.err.println(
          "gateway: versions "
              + split.ignored()
              + " of "
              + router.model()
              + " also claim canary traffic; only v"
              + split.canary().getAsInt()
              + " is served as the canary");
    }
  }

  @Override
  public void close() {
    informer.close();
  }
}
