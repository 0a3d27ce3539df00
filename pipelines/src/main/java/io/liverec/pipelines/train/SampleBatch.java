package io.liverec.pipelines.train;

import io.liverec.pipelines.features.Batch;
import java.util.Map;

/**
 * A batch plus the simulator's oracle probabilities of its rows (task → values; empty when the data
 * carries none). Oracle columns are kept out of {@link Batch} so no model can read them.
 */
public record SampleBatch(Batch batch, Map<String, double[]> oracle) {}
