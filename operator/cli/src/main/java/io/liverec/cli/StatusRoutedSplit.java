package io.liverec.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.liverec.gateway.ModelRef;
import io.liverec.gateway.SplitRouter;
import io.liverec.gateway.TrafficSplit;
import io.liverec.gateway.canary.ModelVersionWatch;
import java.util.List;
import java.util.function.Supplier;

/** {@code liverec serve --watch-namespace}: the gateway's split taken from ModelVersion status. */
final class StatusRoutedSplit {
  private StatusRoutedSplit() {}

  /**
   * The bundle's stable ranker (its split's last arm) as the stable version of a {@link
   * SplitRouter} that follows the ModelVersions' status in {@code namespace}; the watch (and its
   * client) go into {@code owned}.
   */
  static Supplier<TrafficSplit> watched(
      TrafficSplit bundleSplit, String namespace, List<AutoCloseable> owned) {
    ModelRef stable = bundleSplit.arms().get(bundleSplit.arms().size() - 1).ranker();
    SplitRouter router = new SplitRouter(stable.name(), stable.version());
    KubernetesClient client = new KubernetesClientBuilder().build();
    owned.add(client);
    owned.add(0, ModelVersionWatch.start(client, namespace, router, stable.version()));
    return router;
  }

  static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      System.err.println("closing " + c + ": " + e.getMessage());
    }
  }
}
