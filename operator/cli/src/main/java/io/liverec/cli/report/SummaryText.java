package io.liverec.cli.report;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/** The demo's final summary as text: stages, AUCs, recall, the canary, the champion, details. */
public final class SummaryText {
  private SummaryText() {}

  public static void print(DemoRun run, PrintStream p) {
    p.println();
    p.println("== LiveRec demo summary ==");
    p.println(run.title());
    p.println();
    p.println("Stages (wall time)");
    double total = run.totalSeconds();
    for (DemoRun.Stage s : run.stages()) {
      p.printf(
          Locale.ROOT,
          "  %-32s %7.1f s  %3.0f%%%n",
          s.name(),
          s.seconds(),
          total > 0 ? 100 * s.seconds() / total : 0);
    }
    p.printf(Locale.ROOT, "  %-32s %7.1f s%n", "total", total);
    p.println();
    p.println("Ranker on the holdout day        AUC    GAUC  logloss  Bayes-optimal AUC  gap");
    for (DemoRun.TaskAuc t : run.tasks()) {
      p.printf(
          Locale.ROOT,
          "  %-28s %6.4f  %6.4f  %7.4f  %17.4f  %6.4f%n",
          t.task(),
          t.auc(),
          t.gauc(),
          t.logLoss(),
          t.bayesAuc(),
          t.bayesAuc() - t.auc());
    }
    if (!run.recall().isEmpty()) {
      p.println();
      p.println("Recall on the holdout day       K   two-tower  popularity");
      for (DemoRun.RecallPoint r : run.recall()) {
        p.printf(
            Locale.ROOT, "  %-28s %4d  %10.4f  %10.4f%n", "", r.k(), r.twoTower(), r.popularity());
      }
    }
    if (run.canary() != null) {
      p.println();
      p.println("Canary of the new ranker (simulated users as traffic)");
      printCanary(p, run.canary(), false);
    }
    p.println();
    p.println("Champion   " + run.champion());
    for (DemoRun.Fact f : run.facts()) {
      for (int i = 0; i < f.lines().size(); i++) {
        p.printf(Locale.ROOT, "%-10s %s%n", i == 0 ? f.label() : "", f.lines().get(i));
      }
    }
  }

  /**
   * The canary's step table (one row per step: its last analysis and how many ran; every analysis
   * with {@code allRuns}), its transitions, the traffic per version and the decision.
   */
  public static void printCanary(PrintStream out, DemoRun.Canary c, boolean allRuns) {
    out.println();
    out.println(
        "step weight  at      runs  result        n canary  n control  ctr canary  ctr control"
            + "    lift  p-value  p99 ms");
    for (DemoRun.StepRow row :
        allRuns ? c.analyses().stream().map(a -> new DemoRun.StepRow(a, 1)).toList() : c.steps()) {
      DemoRun.Analysis a = row.last();
      out.printf(
          Locale.ROOT,
          "%4d %5d%%  +%-6s %4d  %-12s %9s  %9s  %10s  %11s  %7s  %7s  %6s%n",
          a.step(),
          a.weight(),
          minutes(a.minute()),
          row.runs(),
          a.result(),
          num(a.canaryImpressions(), "%.0f"),
          num(a.controlImpressions(), "%.0f"),
          num(a.canaryRate(), "%.4f"),
          num(a.controlRate(), "%.4f"),
          num(a.lift(), "%+.4f"),
          num(a.pValue(), "%.3g"),
          num(a.p99Ms(), "%.1f"));
    }
    out.println();
    out.println("transitions");
    c.transitions().forEach(t -> out.println("  " + t));
    out.println();
    for (DemoRun.Arm a : c.arms()) {
      out.printf(
          Locale.ROOT,
          "served by %-28s %,8d requests  %,9d impressions  CTR %.4f%n",
          a.name(),
          a.requests(),
          a.impressions(),
          a.ctr());
    }
    out.println("decision: " + c.decision());
    out.println("  " + c.message());
  }

  /** Simulated minutes as "42m" or "1h5m". */
  static String minutes(double minutes) {
    Duration d = Duration.ofSeconds(Math.round(minutes * 60));
    return d.toHours() > 0 ? d.toHours() + "h" + d.toMinutesPart() + "m" : d.toMinutes() + "m";
  }

  static String num(double v, String fmt) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, fmt, v);
  }
}
