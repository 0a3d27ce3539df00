package io.liverec.pipelines.tracking;

import io.liverec.pipelines.tracking.Gates.Baseline;
import io.liverec.pipelines.tracking.Gates.Check;
import io.liverec.pipelines.tracking.Gates.Incumbent;
import io.liverec.pipelines.tracking.Gates.Kind;
import io.liverec.pipelines.tracking.Gates.NoRegression;
import io.liverec.pipelines.tracking.Gates.Policy;
import io.liverec.registry.MlflowGateway;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Each gate of {@link Gates} on its own: the value, the bound, and by how much it misses. */
final class GateChecks {
  private GateChecks() {}

  static Check floor(GateExpression g, Map<String, Double> metrics) {
    Double v = value(metrics, g.metric());
    String name = g.toString();
    if (v == null) {
      return new Check(
          Kind.FLOOR,
          name,
          null,
          name,
          false,
          "metric missing in run",
          g.metric() + " = missing (have " + metrics.keySet() + ")");
    }
    if (g.test(v)) {
      return new Check(Kind.FLOOR, name, v, name, true, "", f("%s = %.4f ok", g.metric(), v));
    }
    double miss = Math.abs(v - g.threshold());
    boolean lower = g.operator().startsWith(">");
    String relation =
        switch (g.operator()) {
          case ">=" -> "< min";
          case "<=" -> "> max";
          case ">" -> "<= bound";
          default -> ">= bound";
        };
    String detail = f(lower ? "short by %.4f" : "over by %.4f", miss);
    return new Check(
        Kind.FLOOR,
        name,
        v,
        name,
        false,
        detail,
        f("%s = %.4f %s %.4f (%s)", g.metric(), v, relation, g.threshold(), detail));
  }

  static List<Check> noRegression(Policy policy, Map<String, Double> metrics, Baseline baseline) {
    NoRegression nr = policy.noRegression();
    String gate = "no regression vs " + nr.against();
    if (baseline == null || baseline.unknownBecause() != null) {
      String why = baseline == null ? "not looked up" : baseline.unknownBecause();
      return List.of(
          new Check(
              Kind.NO_REGRESSION,
              gate,
              null,
              "a known " + nr.against(),
              false,
              nr.against() + " unknown: " + why,
              gate + ": " + nr.against() + " unknown (" + why + ")"));
    }
    if (baseline.incumbent() == null) {
      String detail = "no " + nr.against() + ": nothing to regress from";
      return List.of(
          new Check(Kind.NO_REGRESSION, gate, null, "-", true, detail, gate + ": " + detail));
    }
    Incumbent inc = baseline.incumbent();
    Set<String> names = compared(policy, metrics, inc.metrics());
    String against = nr.against() + " v" + inc.version();
    if (names.isEmpty()) {
      String detail = "no metric to compare; set the compared metrics";
      return List.of(
          new Check(
              Kind.NO_REGRESSION,
              gate + " v" + inc.version(),
              null,
              "a shared metric",
              false,
              detail,
              gate + " v" + inc.version() + ": " + detail));
    }
    List<Check> out = new ArrayList<>();
    for (String m : names) {
      String name = "no regression on " + m + " vs " + against;
      Double v = value(metrics, m);
      Double b = value(inc.metrics(), m);
      if (v == null || b == null) {
        String where = v == null ? "the candidate run" : against + "'s run";
        out.add(
            new Check(
                Kind.NO_REGRESSION,
                name,
                v,
                "present in both runs",
                false,
                "metric missing in " + where,
                name + ": " + m + " missing in " + where));
        continue;
      }
      boolean lowerIsBetter = lowerIsBetter(policy.floors(), m);
      double bound = lowerIsBetter ? b + nr.tolerance() : b - nr.tolerance();
      boolean ok = lowerIsBetter ? v <= bound : v >= bound;
      String expected =
          f(
              "%s%.6f (%.6f %s %s)",
              lowerIsBetter ? "<=" : ">=",
              bound,
              b,
              lowerIsBetter ? "+" : "-",
              fmt(nr.tolerance()));
      String detail =
          ok ? "" : f(lowerIsBetter ? "over by %.4f" : "short by %.4f", Math.abs(v - bound));
      String summary =
          ok
              ? f("%s: %.4f ok", name, v)
              : f(
                  "%s: %s = %.4f %s %.4f = %s %.4f %s tolerance %s (%s)",
                  name,
                  m,
                  v,
                  lowerIsBetter ? ">" : "<",
                  bound,
                  against,
                  b,
                  lowerIsBetter ? "+" : "-",
                  fmt(nr.tolerance()),
                  detail);
      out.add(new Check(Kind.NO_REGRESSION, name, v, expected, ok, detail, summary));
    }
    return out;
  }

  static Check parity(double max, Map<String, Double> metrics) {
    String name = "onnx parity max |Δ|";
    String expected = "<=" + fmt(max);
    Double v = value(metrics, Gates.PARITY_METRIC);
    if (v == null) {
      return new Check(
          Kind.PARITY,
          name,
          null,
          expected,
          false,
          "not measured (" + Gates.PARITY_METRIC + " missing in run)",
          name + ": not measured (" + Gates.PARITY_METRIC + " missing in run)");
    }
    boolean ok = v <= max;
    String detail = ok ? "" : f("over by %.3g", v - max);
    return new Check(
        Kind.PARITY,
        name,
        v,
        expected,
        ok,
        detail,
        ok ? f("%s = %.3g ok", name, v) : f("%s = %.3g > max %.3g (%s)", name, v, max, detail));
  }

  static Check size(long max, Map<String, Double> metrics) {
    String name = "model size";
    String expected = "<=" + max + " bytes";
    Double v = value(metrics, Gates.SIZE_METRIC);
    if (v == null) {
      return new Check(
          Kind.SIZE,
          name,
          null,
          expected,
          false,
          "not measured (" + Gates.SIZE_METRIC + " missing in run)",
          name + ": not measured (" + Gates.SIZE_METRIC + " missing in run)");
    }
    long bytes = Math.round(v);
    boolean ok = bytes <= max;
    String detail = ok ? "" : "over by " + (bytes - max) + " bytes";
    return new Check(
        Kind.SIZE,
        name,
        v,
        expected,
        ok,
        detail,
        ok
            ? name + " = " + bytes + " bytes ok"
            : name + " = " + bytes + " bytes > max " + max + " (" + detail + ")");
  }

  /**
   * The compared metrics: the policy's list, else the floors' metrics, else every metric ending in
   * {@code auc} that both runs have.
   */
  private static Set<String> compared(
      Policy policy, Map<String, Double> candidate, Map<String, Double> base) {
    Set<String> names = new LinkedHashSet<>(policy.noRegression().metrics());
    if (names.isEmpty()) {
      policy.floors().forEach(g -> names.add(g.metric()));
    }
    if (names.isEmpty()) {
      candidate.keySet().stream()
          .filter(k -> value(base, k) != null)
          .filter(k -> k.endsWith("auc"))
          .sorted()
          .forEach(names::add);
    }
    return names;
  }

  /** A metric gated only from above (a loss, a latency) is better when lower. */
  private static boolean lowerIsBetter(List<GateExpression> floors, String metric) {
    boolean upper = false;
    for (GateExpression g : floors) {
      if (g.metric().equals(metric)) {
        if (g.operator().startsWith(">")) {
          return false;
        }
        upper = true;
      }
    }
    return upper;
  }

  /**
   * A finite metric by name, also under the name MLflow stores it as ({@code recall@100} → {@code
   * recall_at_100}); null when absent or NaN.
   */
  private static Double value(Map<String, Double> metrics, String name) {
    Double v = metrics.get(name);
    if (v == null) {
      v = metrics.get(MlflowGateway.metricKey(name));
    }
    return v == null || v.isNaN() ? null : v;
  }

  private static String fmt(double d) {
    return String.format(Locale.ROOT, "%s", d);
  }

  private static String f(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
