package io.liverec.pipelines.ranking.layers;

import io.liverec.pipelines.nn.Fields;
import io.liverec.pipelines.nn.Ops;
import io.liverec.pipelines.ranking.RankerConfig;

/** A feature-interaction layer over the field embeddings. */
public interface Interaction {

  /** Builds the layer's forward pass; variables are created under {@code scope}. */
  <T> Contribution<T> apply(Ops<T> ops, String scope, Fields<T> fields, RankerConfig config);
}
