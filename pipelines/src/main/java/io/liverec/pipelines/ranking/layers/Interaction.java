package io.liverec.pipelines.ranking.layers;

import io.liverec.pipelines.nn.Fields;
import io.liverec.pipelines.nn.Ops;

/**
 * A feature-interaction layer over the field embeddings. Implementations are records of their own
 * settings with a {@code fromSpec(ModelSpec)} factory that checks them, registered in {@link
 * Interactions}.
 */
public interface Interaction {

  /** Builds the layer's forward pass; variables are created under {@code scope}. */
  <T> Contribution<T> apply(Ops<T> ops, String scope, Fields<T> fields);

  /** Fields the layer needs to be defined (pairwise layers need two). */
  default int minFields() {
    return 1;
  }
}
