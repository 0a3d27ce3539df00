package io.liverec.pipelines.tracking;

import io.liverec.api.errors.LiverecException;
import io.liverec.registry.MlflowGateway;
import io.liverec.registry.MlflowRegistryAliases;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Decides whether a registered model version may take an alias (normally {@code champion}) and
 * moves it: every gate must hold on the version's run metrics, and no compared metric may fall more
 * than {@code maxRegression} below the current holder of the comparison alias. Nothing is changed
 * unless every check passes.
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
   */
  public record Request(
      String model,
      String version,
      List<GateExpression> gates,
      String against,
      double maxRegression,
      List<String> compare,
      String alias) {}

  /** One check and whether it held. */
  public record Check(String name, Double actual, String expected, boolean passed, String detail) {}

  public record Result(
      boolean promoted,
      String model,
      String version,
      String alias,
      String runId,
      String previousVersion,
      List<Check> checks) {}

  public Result promote(Request req) {
    MlflowGateway.VersionInfo candidate;
    try {
      candidate = mlflow.getVersion(req.model(), req.version());
    } catch (org.mlflow.tracking.MlflowHttpException e) {
      throw LiverecException.badInput(
          "model " + req.model() + " has no version " + req.version() + " in the registry");
    }
    Map<String, Double> metrics = mlflow.runMetrics(candidate.runId());
    List<Check> checks = new ArrayList<>();
    for (GateExpression g : req.gates()) {
      Double v = metrics.get(g.metric());
      if (v == null) {
        checks.add(new Check(g.toString(), null, g.toString(), false, "metric missing in run"));
      } else {
        checks.add(new Check(g.toString(), v, g.toString(), g.test(v), ""));
      }
    }
    Optional<MlflowGateway.VersionInfo> incumbent =
        req.against() == null
            ? Optional.empty()
            : mlflow.versionByAlias(req.model(), req.against());
    if (incumbent.isPresent() && !incumbent.get().version().equals(candidate.version())) {
      Map<String, Double> base = mlflow.runMetrics(incumbent.get().runId());
      for (String m : compared(req, metrics, base)) {
        Double v = metrics.get(m);
        Double b = base.get(m);
        String name =
            "no regression on " + m + " vs " + req.against() + " v" + incumbent.get().version();
        if (v == null || b == null) {
          checks.add(new Check(name, v, "present in both runs", false, "metric missing"));
          continue;
        }
        double floor = b - req.maxRegression();
        checks.add(
            new Check(
                name,
                v,
                String.format(Locale.ROOT, ">=%.6f (%.6f - %s)", floor, b, req.maxRegression()),
                v >= floor,
                ""));
      }
    }
    Optional<MlflowGateway.VersionInfo> holder = mlflow.versionByAlias(req.model(), req.alias());
    String previous = holder.map(MlflowGateway.VersionInfo::version).orElse(null);
    boolean ok = checks.stream().allMatch(Check::passed);
    if (ok) {
      if (previous != null && !previous.equals(candidate.version())) {
        mlflow.setModelTag(req.model(), PREVIOUS_TAG_PREFIX + req.alias(), previous);
      }
      mlflow.setAlias(req.model(), req.alias(), candidate.version());
    }
    return new Result(
        ok, req.model(), candidate.version(), req.alias(), candidate.runId(), previous, checks);
  }

  private static Set<String> compared(
      Request req, Map<String, Double> candidate, Map<String, Double> base) {
    Set<String> names = new LinkedHashSet<>(req.compare());
    if (names.isEmpty()) {
      req.gates().forEach(g -> names.add(g.metric()));
    }
    if (names.isEmpty()) {
      candidate.keySet().stream()
          .filter(base::containsKey)
          .filter(k -> k.endsWith("auc"))
          .sorted()
          .forEach(names::add);
    }
    return names;
  }
}
