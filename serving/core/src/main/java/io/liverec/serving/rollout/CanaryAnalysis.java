package io.liverec.serving.rollout;

import io.liverec.api.v1alpha1.ModelVersionSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Judges a canary over the last window against the rollout's metric criteria. */
public interface CanaryAnalysis {

  Result analyze(
      String model, int version, List<ModelVersionSpec.Metric> criteria, Duration window);

  /** Outcome of one analysis run. Inconclusive (missing data) never promotes. */
  record Result(Verdict verdict, Map<String, Double> observed, String message) {}

  /** Verdict of one analysis run. */
  enum Verdict {
    SUCCESSFUL,
    FAILED,
    INCONCLUSIVE
  }
}
