package io.liverec.pipelines.tracking;

import io.liverec.api.errors.LiverecException;
import io.liverec.registry.MlflowGateway;
import io.liverec.registry.MlflowRegistryAliases;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides whether a registered model version may take an alias (normally {@code champion}) and
 * moves it: the version's run metrics must pass every {@link Gates} check (floors, no compared
 * metric more than {@code maxRegression} below the current holder of the comparison alias, ONNX
 * parity and model size when bounded). Nothing is changed unless every check passes.
 */
public final class Promoter {
  /** Model tag remembering the version that held the alias before the last promotion. */
  public static final String PREVIOUS_TAG_PREFIX = MlflowRegistryAliases.PREVIOUS_TAG_PREFIX;

  private final MlflowGateway mlflow;

  public Promoter(MlflowGateway mlflow) {
    this.mlflow = mlflow;
  }

  /**
   * What to check and which alias to move.
   *
   * @param against alias of the incumbent to compare with (e.g. {@code champion}); null = none
   * @param compare metrics compared with the incumbent; empty = the gated metrics, or when there
   *     are none every shared metric ending in {@code auc} (higher is better)
   * @param maxParityError bound on the run's {@link Gates#PARITY_METRIC}, or null
   * @param maxModelBytes bound on the run's {@link Gates#SIZE_METRIC}, or null
   */
  public record Request(
      String model,
      String version,
      List<GateExpression> gates,
      String against,
      double maxRegression,
      List<String> compare,
      String alias,
      Double maxParityError,
      Long maxModelBytes) {

    /** Floors and the comparison only. */
    public Request(
        String model,
        String version,
        List<GateExpression> gates,
        String against,
        double maxRegression,
        List<String> compare,
        String alias) {
      this(model, version, gates, against, maxRegression, compare, alias, null, null);
    }

    Gates.Policy policy() {
      return new Gates.Policy(
          gates,
          against == null ? null : new Gates.NoRegression(against, maxRegression, compare),
          maxParityError,
          maxModelBytes);
    }
  }

  public record Result(
      boolean promoted,
      String model,
      String version,
      String alias,
      String runId,
      String previousVersion,
      List<Gates.Check> checks) {}

  public Result promote(Request req) {
    MlflowGateway.VersionInfo candidate;
    try {
      candidate = mlflow.getVersion(req.model(), req.version());
    } catch (org.mlflow.tracking.MlflowHttpException e) {
      throw LiverecException.badInput(
          "model " + req.model() + " has no version " + req.version() + " in the registry");
    }
    Map<String, Double> metrics = mlflow.runMetrics(candidate.runId());
    Gates.Baseline baseline =
        req.against() == null
            ? Gates.Baseline.none()
            : Gates.Baseline.lookUp(mlflow, req.model(), req.against());
    List<Gates.Check> checks = Gates.evaluate(req.policy(), metrics, baseline);
    Optional<MlflowGateway.VersionInfo> holder = mlflow.versionByAlias(req.model(), req.alias());
    String previous = holder.map(MlflowGateway.VersionInfo::version).orElse(null);
    boolean ok = checks.stream().allMatch(Gates.Check::passed);
    if (ok) {
      if (previous != null && !previous.equals(candidate.version())) {
        mlflow.setModelTag(req.model(), PREVIOUS_TAG_PREFIX + req.alias(), previous);
      }
      mlflow.setAlias(req.model(), req.alias(), candidate.version());
    }
    return new Result(
        ok, req.model(), candidate.version(), req.alias(), candidate.runId(), previous, checks);
  }
}
