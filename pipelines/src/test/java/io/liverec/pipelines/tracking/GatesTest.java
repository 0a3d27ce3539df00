package io.liverec.pipelines.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import io.liverec.api.v1alpha1.Gate;
import io.liverec.api.v1alpha1.ReleaseGates;
import io.liverec.api.v1alpha1.TrainingRunSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Each gate failing alone while the others pass, and missing data never passing. The policy is the
 * one a TrainingRun declares, so these are the checks that decide its registration.
 */
class GatesTest {
  static final Gates.Baseline CHAMPION =
      Gates.Baseline.of(
          new Gates.Incumbent("champion", "3", Map.of("ctcvr_auc", 0.750, "ctr_auc", 0.800)));

  static TrainingRunSpec spec() {
    TrainingRunSpec spec = new TrainingRunSpec();
    spec.gates = List.of(new Gate("ctcvr_auc", 0.70, null));
    spec.releaseGates = new ReleaseGates();
    spec.releaseGates.noRegression = new ReleaseGates.NoRegression();
    spec.releaseGates.noRegression.tolerance = 0.005;
    spec.releaseGates.maxParityError = 1e-4;
    spec.releaseGates.maxModelBytes = 1_000_000L;
    return spec;
  }

  /** A run that passes every gate of {@link #spec()} against {@link #CHAMPION}. */
  static Map<String, Double> passing() {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("ctcvr_auc", 0.748); // 0.002 below the champion, within the 0.005 tolerance
    m.put("ctr_auc", 0.79);
    m.put(Gates.PARITY_METRIC, 2e-6);
    m.put(Gates.SIZE_METRIC, 400_000.0);
    return m;
  }

  static List<Gates.Check> evaluate(Map<String, Double> metrics, Gates.Baseline baseline) {
    return Gates.evaluate(Gates.Policy.of(spec()), metrics, baseline);
  }

  static List<Gates.Check> failed(List<Gates.Check> checks) {
    return checks.stream().filter(c -> !c.passed()).toList();
  }

  @Test
  void aRunWithinEveryBoundPassesEveryGate() {
    List<Gates.Check> checks = evaluate(passing(), CHAMPION);
    assertThat(checks)
        .extracting(Gates.Check::gate)
        .containsExactly(
            Gates.Kind.FLOOR, Gates.Kind.NO_REGRESSION, Gates.Kind.PARITY, Gates.Kind.SIZE);
    assertThat(failed(checks)).isEmpty();
    assertThat(Gates.failures(checks)).isEmpty();
  }

  @Test
  void aFloorFailsAloneSayingByHowMuch() {
    Map<String, Double> m = passing();
    m.put("ctcvr_auc", 0.681);
    // the champion at 0.681 too, so only the floor is below its bound
    Gates.Baseline low =
        Gates.Baseline.of(new Gates.Incumbent("champion", "3", Map.of("ctcvr_auc", 0.681)));
    List<Gates.Check> bad = failed(evaluate(m, low));
    assertThat(bad)
        .singleElement()
        .satisfies(c -> assertThat(c.gate()).isEqualTo(Gates.Kind.FLOOR));
    assertThat(bad.get(0).summary())
        .startsWith("ctcvr_auc = 0.6810 < min 0.7000")
        .contains("short by 0.0190");
  }

  @Test
  void aRegressionAgainstTheChampionBeyondTheToleranceFailsAlone() {
    Map<String, Double> m = passing();
    m.put("ctcvr_auc", 0.740); // above the 0.70 floor, 0.010 below the champion
    List<Gates.Check> bad = failed(evaluate(m, CHAMPION));
    assertThat(bad)
        .singleElement()
        .satisfies(c -> assertThat(c.gate()).isEqualTo(Gates.Kind.NO_REGRESSION));
    assertThat(bad.get(0).name()).isEqualTo("no regression on ctcvr_auc vs champion v3");
    assertThat(bad.get(0).expected()).startsWith(">=0.745000");
    assertThat(bad.get(0).detail()).isEqualTo("short by 0.0050");
    assertThat(bad.get(0).summary()).contains("0.7400 < 0.7450").contains("champion v3 0.7500");
  }

  @Test
  void aParityErrorAboveTheBoundFailsAlone() {
    Map<String, Double> m = passing();
    m.put(Gates.PARITY_METRIC, 3e-4);
    List<Gates.Check> bad = failed(evaluate(m, CHAMPION));
    assertThat(bad)
        .singleElement()
        .satisfies(c -> assertThat(c.gate()).isEqualTo(Gates.Kind.PARITY));
    assertThat(bad.get(0).summary()).contains("> max 0.000100").contains("over by 0.000200");
  }

  @Test
  void aModelAboveTheSizeBoundFailsAlone() {
    Map<String, Double> m = passing();
    m.put(Gates.SIZE_METRIC, 1_250_000.0);
    List<Gates.Check> bad = failed(evaluate(m, CHAMPION));
    assertThat(bad).singleElement().satisfies(c -> assertThat(c.gate()).isEqualTo(Gates.Kind.SIZE));
    assertThat(bad.get(0).summary()).contains("over by 250000 bytes");
  }

  @Test
  void withoutAChampionTheNoRegressionGatePassesSayingSo() {
    List<Gates.Check> checks = evaluate(passing(), Gates.Baseline.none());
    assertThat(failed(checks)).isEmpty();
    assertThat(checks)
        .filteredOn(c -> c.gate() == Gates.Kind.NO_REGRESSION)
        .singleElement()
        .satisfies(c -> assertThat(c.detail()).contains("no champion"));
  }

  @Test
  void anUnknownChampionFailsTheNoRegressionGate() {
    List<Gates.Check> bad =
        failed(evaluate(passing(), Gates.Baseline.unknown("MLflow: connection refused")));
    assertThat(bad)
        .singleElement()
        .satisfies(c -> assertThat(c.gate()).isEqualTo(Gates.Kind.NO_REGRESSION));
    assertThat(bad.get(0).summary()).contains("champion unknown").contains("connection refused");
  }

  @Test
  void missingMetricsFailEveryGateThatReadsThem() {
    Map<String, Double> m = passing();
    m.remove("ctcvr_auc");
    m.remove(Gates.PARITY_METRIC);
    m.remove(Gates.SIZE_METRIC);
    m.put("ctr_auc", Double.NaN); // NaN is no value either
    List<Gates.Check> bad = failed(evaluate(m, CHAMPION));
    assertThat(bad)
        .extracting(Gates.Check::gate)
        .containsExactly(
            Gates.Kind.FLOOR, Gates.Kind.NO_REGRESSION, Gates.Kind.PARITY, Gates.Kind.SIZE);
    assertThat(Gates.failures(bad).get(0)).contains("ctcvr_auc = missing");
    assertThat(bad.get(2).summary()).contains("not measured");

    // a metric the champion's run lacks is missing data too
    Gates.Baseline bare =
        Gates.Baseline.of(new Gates.Incumbent("champion", "3", Map.of("ctr_auc", 0.8)));
    assertThat(failed(evaluate(passing(), bare)))
        .singleElement()
        .satisfies(c -> assertThat(c.detail()).contains("missing in champion v3"));
  }

  @Test
  void aMetricGatedOnlyFromAboveRegressesUpwards() {
    Gates.Policy p =
        new Gates.Policy(
            List.of(GateExpression.parse("ctcvr_logloss<=0.5")),
            new Gates.NoRegression("champion", 0.01, List.of()),
            null,
            null);
    Gates.Baseline base =
        Gates.Baseline.of(new Gates.Incumbent("champion", "1", Map.of("ctcvr_logloss", 0.30)));
    assertThat(Gates.evaluate(p, Map.of("ctcvr_logloss", 0.305), base))
        .allMatch(Gates.Check::passed);
    assertThat(failed(Gates.evaluate(p, Map.of("ctcvr_logloss", 0.32), base)))
        .singleElement()
        .satisfies(c -> assertThat(c.detail()).isEqualTo("over by 0.0100"));
  }

  @Test
  void comparedMetricsAreFoundUnderTheirMlflowNames() {
    Gates.Policy p =
        new Gates.Policy(
            List.of(), new Gates.NoRegression("champion", 0, List.of("recall@100")), null, null);
    Gates.Baseline base =
        Gates.Baseline.of(new Gates.Incumbent("champion", "2", Map.of("recall_at_100", 0.30)));
    assertThat(failed(Gates.evaluate(p, Map.of("recall@100", 0.25), base)))
        .singleElement()
        .satisfies(c -> assertThat(c.detail()).isEqualTo("short by 0.0500"));
    assertThat(Gates.evaluate(p, Map.of("recall@100", 0.31), base)).allMatch(Gates.Check::passed);
  }

  @Test
  void aSpecWithoutReleaseGatesChecksItsFloorsOnly() {
    TrainingRunSpec spec = new TrainingRunSpec();
    spec.gates = List.of(new Gate("ctr_auc", 0.7, 0.99));
    assertThat(Gates.evaluate(Gates.Policy.of(spec), Map.of("ctr_auc", 0.8), null))
        .extracting(Gates.Check::name)
        .containsExactly("ctr_auc>=0.7", "ctr_auc<=0.99");
  }
}
