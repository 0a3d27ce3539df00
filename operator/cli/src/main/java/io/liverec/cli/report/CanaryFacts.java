package io.liverec.cli.report;

import io.liverec.api.v1alpha1.ModelVersionSpec;
import io.liverec.api.v1alpha1.ModelVersionStatus;
import io.liverec.api.v1alpha1.Reason;
import io.liverec.gateway.canary.CanarySimulation;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A closed-loop canary's outcome ({@link CanarySimulation.Result}) as {@link DemoRun.Canary}. */
public final class CanaryFacts {
  private CanaryFacts() {}

  public static DemoRun.Canary of(ModelVersionSpec spec, CanarySimulation.Result r) {
    List<DemoRun.Analysis> analyses =
        r.analyses().stream().map(a -> analysis(r.start(), a)).toList();
    List<String> transitions =
        r.transitions().stream()
            .filter(
                t ->
                    t.reason() != Reason.AnalysisSuccessful
                        && t.reason() != Reason.AnalysisInconclusive)
            .map(t -> t.reason() + ": " + t.message())
            .toList();
    List<DemoRun.Arm> arms =
        r.byRanker().entrySet().stream()
            .map(
                e ->
                    new DemoRun.Arm(
                        e.getKey(),
                        e.getValue().requests(),
                        e.getValue().impressions(),
                        e.getValue().ctr()))
            .toList();
    ModelVersionStatus st = r.status();
    return new DemoRun.Canary(
        spec.model,
        st.stableVersion == null ? 0 : st.stableVersion,
        spec.version,
        st.phase,
        st.message == null ? "" : st.message,
        r.simulated().toSeconds() / 60.0,
        r.requests(),
        r.timedOut(),
        analyses,
        transitions,
        arms);
  }

  private static DemoRun.Analysis analysis(Instant start, ModelVersionStatus.AnalysisRun a) {
    Map<String, Double> m = a.metrics;
    return new DemoRun.Analysis(
        a.step == null ? 0 : a.step,
        a.weight == null ? 0 : a.weight,
        Duration.between(start, Instant.parse(a.time)).toSeconds() / 60.0,
        a.result,
        value(m, "ctrLift.canaryImpressions"),
        value(m, "ctrLift.controlImpressions"),
        value(m, "ctrLift.canaryRate"),
        value(m, "ctrLift.controlRate"),
        value(m, "ctrLift"),
        value(m, "ctrLift.pValue"),
        value(m, "p99LatencyMs"));
  }

  private static double value(Map<String, Double> m, String key) {
    Double v = m.get(key);
    return v == null ? Double.NaN : v;
  }
}
