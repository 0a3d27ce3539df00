package io.liverec.pipelines.ranking.layers;

import io.liverec.api.v1alpha1.ModelSpec;
import io.liverec.pipelines.nn.Fields;
import io.liverec.pipelines.nn.Init;
import io.liverec.pipelines.nn.Ops;

/**
 * Factorization machine: first-order weights of the sparse ids plus the pairwise term Σ_{i<j} ⟨vᵢ,
 * vⱼ⟩, computed as ½ Σ_d [(Σᵢ vᵢ)² − Σᵢ vᵢ²]. Contributes one wide unit.
 */
public record Fm() implements Interaction {

  public static Fm fromSpec(ModelSpec model) {
    return new Fm();
  }

  @Override
  public int minFields() {
    return 2;
  }

  /** The pairwise term {@code [N, 1]} of embeddings {@code [N, n, d]}. */
  public static <T> T pairwise(Ops<T> ops, T embeddings) {
    T sumSquared = ops.square(ops.reduceSum(embeddings, 1, false));
    T squaredSum = ops.reduceSum(ops.square(embeddings), 1, false);
    return ops.mul(ops.scalar(0.5f), ops.reduceSum(ops.sub(sumSquared, squaredSum), 1, true));
  }

  @Override
  public <T> Contribution<T> apply(Ops<T> ops, String scope, Fields<T> f) {
    T out = pairwise(ops, f.embeddings());
    if (f.sparseIds() != null) {
      T linear = ops.variable(scope + "/linear", new long[] {f.totalVocab(), 1}, Init.ZEROS);
      T firstOrder = ops.reduceSum(ops.gather(linear, f.sparseIds()), 1, false); // [N, 1]
      out = ops.add(out, firstOrder);
    }
    return Contribution.wide(out, 1);
  }
}
