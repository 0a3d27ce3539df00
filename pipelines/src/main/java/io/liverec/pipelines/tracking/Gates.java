package io.liverec.pipelines.tracking;

import io.liverec.api.v1alpha1.Gate;
import io.liverec.api.v1alpha1.ReleaseGates;
import io.liverec.api.v1alpha1.TrainingRunSpec;
import io.liverec.registry.MlflowGateway;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one implementation of a model's release gates, shared by a finished TrainingRun (before its
 * model is registered and its next ModelVersion created) and by {@code liverec promote}: metric
 * floors, no regression against the holder of an alias ({@code champion}) beyond a tolerance, ONNX
 * parity and model size. Every gate reads the run's metrics, so a check that finds no value fails;
 * only an alias nobody holds passes the no-regression gate (there is nothing to regress from).
 */
public final class Gates {
  /** Max |Δ| between the exported ONNX model's outputs and the trained model's, on holdout rows. */
  public static final String PARITY_METRIC = "onnx_parity_max_abs_diff";

  /** Bytes of the files registered as the model. */
  public static final String SIZE_METRIC = "model_bytes";

  private Gates() {}

  /** Which gate a check belongs to. */
  public enum Kind {
    FLOOR,
    NO_REGRESSION,
    PARITY,
    SIZE
  }

  /**
   * One gate's verdict.
   *
   * @param gate the gate
   * @param name what was checked, e.g. {@code ctcvr_auc>=0.7}
   * @param actual the value checked (null = missing)
   * @param expected the bound it must meet
   * @param detail how far it misses (or why it passed without a value); empty when plain
   * @param summary one line saying all of it, as reported in {@code gateFailures}
   */
  public record Check(
      Kind gate,
      String name,
      Double actual,
      String expected,
      boolean passed,
      String detail,
      String summary) {}

  /** No regression against the version holding {@code against}, higher metrics being better. */
  public record NoRegression(String against, double tolerance, List<String> metrics) {}

  /**
   * What to check; null fields are gates that are off.
   *
   * @param floors bounds on the run's metrics
   * @param noRegression comparison with an alias holder, or null
   * @param maxParityError bound on {@link #PARITY_METRIC}, or null
   * @param maxModelBytes bound on {@link #SIZE_METRIC}, or null
   */
  public record Policy(
      List<GateExpression> floors,
      NoRegression noRegression,
      Double maxParityError,
      Long maxModelBytes) {

    public Policy {
      floors = floors == null ? List.of() : List.copyOf(floors);
    }

    /** A TrainingRun's gates: {@code spec.gates} and {@code spec.releaseGates}. */
    public static Policy of(TrainingRunSpec spec) {
      List<GateExpression> floors = Gates.floors(spec.gates);
      ReleaseGates r = spec.releaseGates;
      if (r == null) {
        return new Policy(floors, null, null, null);
      }
      NoRegression nr = null;
      if (r.noRegression != null) {
        nr =
            new NoRegression(
                r.noRegression.against == null ? "champion" : r.noRegression.against,
                r.noRegression.tolerance == null ? 0 : r.noRegression.tolerance,
                r.noRegression.metrics == null ? List.of() : r.noRegression.metrics);
      }
      return new Policy(floors, nr, r.maxParityError, r.maxModelBytes);
    }
  }

  /**
   * The version compared with.
   *
   * @param alias the alias it holds
   * @param version its version number
   * @param metrics its run's metrics
   */
  public record Incumbent(String alias, String version, Map<String, Double> metrics) {}

  /**
   * What is known of the alias holder: {@link #of} a holder, {@link #none} (nobody holds it), or
   * {@link #unknown} (it could not be looked up, so the gate fails).
   */
  public record Baseline(Incumbent incumbent, String unknownBecause) {
    public static Baseline of(Incumbent incumbent) {
      return new Baseline(incumbent, null);
    }

    public static Baseline none() {
      return new Baseline(null, null);
    }

    public static Baseline unknown(String why) {
      return new Baseline(null, why);
    }

    /** The holder of {@code alias} of {@code model} in MLflow, with its run's metrics. */
    public static Baseline lookUp(MlflowGateway mlflow, String model, String alias) {
      Optional<MlflowGateway.VersionInfo> v = mlflow.versionByAlias(model, alias);
      if (v.isEmpty()) {
        return none();
      }
      return of(new Incumbent(alias, v.get().version(), mlflow.runMetrics(v.get().runId())));
    }
  }

  /** {@code min}/{@code max} of each spec gate as {@code >=}/{@code <=} floors. */
  public static List<GateExpression> floors(List<Gate> gates) {
    List<GateExpression> out = new ArrayList<>();
    if (gates != null) {
      for (Gate g : gates) {
        if (g.min != null) {
          out.add(new GateExpression(g.metric, ">=", g.min));
        }
        if (g.max != null) {
          out.add(new GateExpression(g.metric, "<=", g.max));
        }
      }
    }
    return out;
  }

  /**
   * Every check of {@code policy} on a run's {@code metrics}; {@code baseline} is only read when
   * the no-regression gate is on.
   */
  public static List<Check> evaluate(
      Policy policy, Map<String, Double> metrics, Baseline baseline) {
    List<Check> out = new ArrayList<>();
    for (GateExpression g : policy.floors()) {
      out.add(GateChecks.floor(g, metrics));
    }
    if (policy.noRegression() != null) {
      out.addAll(GateChecks.noRegression(policy, metrics, baseline));
    }
    if (policy.maxParityError() != null) {
      out.add(GateChecks.parity(policy.maxParityError(), metrics));
    }
    if (policy.maxModelBytes() != null) {
      out.add(GateChecks.size(policy.maxModelBytes(), metrics));
    }
    return out;
  }

  /** The summaries of the checks that failed; empty = every gate passed. */
  public static List<String> failures(List<Check> checks) {
    return checks.stream().filter(c -> !c.passed()).map(Check::summary).toList();
  }
}
