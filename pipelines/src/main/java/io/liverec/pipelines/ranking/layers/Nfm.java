package io.liverec.pipelines.ranking.layers;

import io.liverec.api.v1alpha1.ModelSpec;
import io.liverec.pipelines.nn.Fields;
import io.liverec.pipelines.nn.Ops;

/**
 * NFM bi-interaction pooling: Σ_{i<j} vᵢ ⊙ vⱼ = ½[(Σᵢ vᵢ)² − Σᵢ vᵢ²] element-wise, a d-vector fed
 * into the DNN part.
 */
public record Nfm() implements Interaction {

  public static Nfm fromSpec(ModelSpec model) {
    return new Nfm();
  }

  /** Bi-interaction {@code [N, d]} of embeddings {@code [N, n, d]}. */
  public static <T> T biInteraction(Ops<T> ops, T embeddings) {
    T sumSquared = ops.square(ops.reduceSum(embeddings, 1, false));
    T squaredSum = ops.reduceSum(ops.square(embeddings), 1, false);
    return ops.mul(ops.scalar(0.5f), ops.sub(sumSquared, squaredSum));
  }

  @Override
  public <T> Contribution<T> apply(Ops<T> ops, String scope, Fields<T> f) {
    return Contribution.deep(biInteraction(ops, f.embeddings()), f.dim());
  }
}
