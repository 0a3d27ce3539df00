package io.liverec.operator;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerConfiguration;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResourceConfig;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResourceConfigBuilder;

/** Configuration shared by the operator's dependent resources. */
public final class Dependents {
  private Dependents() {}

  /**
   * An informer on {@code type} objects carrying {@code labelSelector} (the operator watches only
   * its own children); {@code useSSA} null follows the operator's setting ({@code
   * quarkus.operator-sdk.enable-ssa}).
   */
  public static <R extends HasMetadata> KubernetesDependentResourceConfig<R> config(
      Class<R> type, String labelSelector, Boolean useSSA) {
    var builder =
        new KubernetesDependentResourceConfigBuilder<R>()
            .withKubernetesDependentInformerConfig(
                InformerConfiguration.builder(type).withLabelSelector(labelSelector).build());
    if (useSSA != null) {
      builder.withUseSSA(useSSA);
    }
    return builder.build();
  }

  /**
   * Deletes the {@code type} objects in {@code owner}'s namespace whose {@code label} is the
   * owner's name: all its children of that type, including those no longer among its dependents.
   */
  public static void deleteAll(
      KubernetesClient client, HasMetadata owner, String label, Class<? extends HasMetadata> type) {
    client
        .resources(type)
        .inNamespace(owner.getMetadata().getNamespace())
        .withLabel(label, owner.getMetadata().getName())
        .delete();
  }
}
