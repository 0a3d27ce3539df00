package io.liverec.operator;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import java.util.List;

/** Event sources for the children a reconciler creates and owns (owner reference + label). */
public final class OwnedChildren {
  private OwnedChildren() {}

  /**
   * One informer on {@code child} objects carrying {@code labelSelector}, each mapped back to its
   * {@code primary} through the owner reference, so a child's status change wakes its owner.
   */
  public static <C extends HasMetadata, P extends HasMetadata> List<EventSource<?, P>> informer(
      EventSourceContext<P> ctx, Class<C> child, Class<P> primary, String labelSelector) {
    var config =
        InformerEventSourceConfiguration.from(child, primary)
            .withLabelSelector(labelSelector)
            .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(primary))
            .build();
    return List.of(new InformerEventSource<>(config, ctx));
  }
}
