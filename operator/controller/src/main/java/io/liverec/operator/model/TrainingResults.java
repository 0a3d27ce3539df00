package io.liverec.operator.model;

import io.fabric8.kubernetes.api.model.Pod;
import io.liverec.api.run.TrainingResult;
import io.liverec.api.v1alpha1.Conditions;
import io.liverec.api.v1alpha1.Reason;
import io.liverec.api.v1alpha1.TrainingRun;
import io.liverec.api.v1alpha1.TrainingRunStatus;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Trainer pods → the training result → TrainingRun status. Pure: no I/O. */
public final class TrainingResults {
  private TrainingResults() {}

  /** The termination message of a trainer container that exited 0, if any pod has one. */
  public static Optional<String> terminationMessage(List<Pod> pods) {
    for (Pod pod : pods) {
      if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
        continue;
      }
      for (var cs : pod.getStatus().getContainerStatuses()) {
        var term = cs.getState() == null ? null : cs.getState().getTerminated();
        if (TrainingJobs.CONTAINER.equals(cs.getName())
            && term != null
            && Integer.valueOf(0).equals(term.getExitCode())
            && term.getMessage() != null
            && !term.getMessage().isBlank()) {
          return Optional.of(term.getMessage());
        }
      }
    }
    return Optional.empty();
  }

  /** Copies a result into the status, including the printer column's key figure. */
  public static void apply(TrainingRun run, TrainingResult r, TrainingRunStatus st) {
    st.metrics.clear();
    st.metrics.putAll(r.metrics);
    st.mlflowRunId = r.mlflowRunId;
    st.modelUri = r.modelUri;
    st.modelVersion = r.modelVersion;
    st.gateFailures = new java.util.ArrayList<>(r.gateFailures);
    st.keyMetric = keyMetric(run, r.metrics);
  }

  /** Condition type telling whether the run reached MLflow. */
  public static final String TRACKED = "Tracked";

  /**
   * Sets the {@value #TRACKED} condition: True with the MLflow run, False when the trainer could
   * not reach MLflow (the run waits in its run directory for {@code liverec sync}); no condition
   * when no tracking server is configured.
   */
  public static void trackingCondition(
      TrainingResult r, TrainingRunStatus st, long generation, java.time.Instant now) {
    if (r.trackingError != null) {
      Conditions.set(
          st.conditions,
          TRACKED,
          false,
          Reason.TrackingPending,
          "MLflow unreachable ("
              + r.trackingError
              + "); the run is kept in the trainer's run directory, upload it with `liverec sync`",
          generation,
          now);
    } else if (r.mlflowRunId != null) {
      Conditions.set(
          st.conditions,
          TRACKED,
          true,
          Reason.TrackingSynced,
          "MLflow run "
              + r.mlflowRunId
              + (r.modelVersion == null ? "" : ", registered version " + r.modelVersion),
          generation,
          now);
    }
  }

  /** {@code <metric>=<value>} of the first gate's metric, else of the first metric reported. */
  public static String keyMetric(TrainingRun run, Map<String, Double> metrics) {
    String name = null;
    if (run.getSpec().gates != null && !run.getSpec().gates.isEmpty()) {
      name = run.getSpec().gates.get(0).metric;
    } else if (!metrics.isEmpty()) {
      name = metrics.keySet().iterator().next();
    }
    if (name == null || !metrics.containsKey(name)) {
      return null;
    }
    return name + "=" + String.format(Locale.ROOT, "%.4f", metrics.get(name));
  }
}
