package io.liverec.operator;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.dependent.GarbageCollected;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;

/**
 * A child that is created once and never changed (a trainer Job, its spec ConfigMap): a new spec
 * gets a new child under a new name instead. Created with a plain create, not server-side apply, so
 * the operator needs no patch verb on it; owned through a controller owner reference, so the
 * cluster's garbage collector removes it with its owner.
 */
public abstract class CreateOnlyDependent<R extends HasMetadata, P extends HasMetadata>
    extends KubernetesDependentResource<R, P> implements Creator<R, P>, GarbageCollected<P> {

  protected CreateOnlyDependent(Class<R> type, String labelSelector) {
    super(type);
    configureWith(Dependents.config(type, labelSelector, false));
  }
}
