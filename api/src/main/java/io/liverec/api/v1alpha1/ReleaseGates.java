package io.liverec.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import java.util.ArrayList;
import java.util.List;

/**
 * The gates beside the metric floors ({@code spec.gates}) that a finished run must pass before its
 * model is registered (and, with {@code spec.deploy}, before the next ModelVersion is created): no
 * regression against the registered model's current champion, ONNX parity with the trained model,
 * and a bounded model size. Each one is off while unset. The same checks back {@code liverec
 * promote}; a gate whose data is missing fails.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ReleaseGates {
  /** Set = no compared metric may fall more than {@code tolerance} below the alias holder's. */
  public NoRegression noRegression;

  /**
   * Largest allowed max |Δ| between the exported ONNX model's outputs in ONNX Runtime and the
   * trained model's, on holdout rows (metric {@code onnx_parity_max_abs_diff}).
   */
  @Min(0)
  @Max(1)
  public Double maxParityError;

  /** Largest allowed size in bytes of the registered model's files (metric {@code model_bytes}). */
  @Min(1)
  public Long maxModelBytes;

  /** No regression against the version holding an alias of the run's registered model. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class NoRegression {
    /** The alias whose version is compared with; no holder = nothing to regress from, passes. */
    @Pattern(Patterns.NAME)
    public String against = "champion";

    /** Largest allowed drop (a rise, for a metric gated only by a max) against the holder. */
    @Min(0)
    @Max(1)
    public Double tolerance = 0.0;

    /**
     * Metrics compared; empty = the metrics of {@code spec.gates}, or when there are none every
     * metric ending in {@code auc} that both runs have.
     */
    @Size(max = 20)
    public List<String> metrics = new ArrayList<>();
  }
}
