package io.liverec.cli.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The demo's run as one self-contained HTML file: inline CSS and SVG plots drawn by {@link Svg}, no
 * script and nothing fetched, so it opens offline and can be attached anywhere. Sections: the
 * decision, per-stage time, per-task AUC against the Bayes optimum, recall@K two-tower against
 * popularity, the canary's weight and per-arm CTR over simulated time with its step table, the
 * champion alias, and the details (events, sampling, gates, tracking, outputs).
 */
public final class HtmlReport {
  /** The report's file name in the demo's output directory. */
  public static final String FILE = "report.html";

  private HtmlReport() {}

  /** Writes {@code run} to {@code file} (temp file, then rename) and returns the file. */
  public static Path write(DemoRun run, Path file) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, render(run), StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return file;
  }

  public static String render(DemoRun run) {
    StringBuilder h = new StringBuilder();
    h.append(
            "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\"><head><meta charset=\"utf-8\"/>")
        .append("<title>LiveRec demo: ")
        .append(Html.esc(run.title()))
        .append("</title><style>")
        .append("body{font-family:sans-serif;max-width:980px;margin:2em auto;color:#222}")
        .append("table{border-collapse:collapse;margin:.5em 0}")
        .append("td,th{border:1px solid #ccc;padding:2px 8px;text-align:right}")
        .append("td:first-child,th:first-child{text-align:left}")
        .append(".decision{font-size:1.2em;padding:.5em;border-left:6px solid #888}")
        .append(".Promoted{border-color:#2ca02c}.RolledBack{border-color:#d62728}")
        .append("pre{white-space:pre-wrap}")
        .append("</style></head><body>\n");
    h.append("<h1>LiveRec demo</h1><p>").append(Html.esc(run.title())).append("</p>\n");
    if (run.canary() != null) {
      h.append("<p class=\"decision ")
          .append(Html.esc(run.canary().phase()))
          .append("\">Decision: ")
          .append(Html.esc(run.canary().decision()))
          .append("</p>\n");
    }
    stages(h, run);
    ranker(h, run);
    recall(h, run);
    if (run.canary() != null) {
      canary(h, run.canary());
    }
    h.append("<section id=\"champion\"><h2>Champion</h2><p>")
        .append(Html.esc(run.champion()))
        .append("</p></section>\n");
    h.append("<section id=\"details\"><h2>Details</h2><table>");
    for (DemoRun.Fact f : run.facts()) {
      h.append("<tr><th>")
          .append(Html.esc(f.label()))
          .append("</th><td style=\"text-align:left\">")
          .append(String.join("<br/>", f.lines().stream().map(Html::esc).toList()))
          .append("</td></tr>");
    }
    h.append("</table></section>\n</body></html>\n");
    return h.toString();
  }

  private static void stages(StringBuilder h, DemoRun run) {
    List<String> names = run.stages().stream().map(DemoRun.Stage::name).toList();
    double[] secs = run.stages().stream().mapToDouble(DemoRun.Stage::seconds).toArray();
    h.append("<section id=\"stages\"><h2>Stages</h2>")
        .append(
            Svg.bars(
                String.format(
                    Locale.ROOT, "Wall time per stage (total %.1f s)", run.totalSeconds()),
                names,
                secs,
                "s"));
    List<List<String>> rows = new ArrayList<>();
    for (DemoRun.Stage s : run.stages()) {
      rows.add(List.of(s.name(), f("%.1f", s.seconds())));
    }
    rows.add(List.of("total", f("%.1f", run.totalSeconds())));
    table(h, List.of("stage", "seconds"), rows);
    h.append("</section>\n");
  }

  private static void ranker(StringBuilder h, DemoRun run) {
    List<String> tasks = run.tasks().stream().map(DemoRun.TaskAuc::task).toList();
    double[][] v = {
      run.tasks().stream().mapToDouble(DemoRun.TaskAuc::auc).toArray(),
      run.tasks().stream().mapToDouble(DemoRun.TaskAuc::bayesAuc).toArray()
    };
    h.append("<section id=\"ranker\"><h2>Ranker: AUC against the Bayes optimum</h2>")
        .append(
            "<p>The Bayes-optimal AUC ranks the holdout by the simulator's planted probabilities:"
                + " no model can do better on this data.</p>")
        .append(
            Svg.groupedBars(
                "Holdout AUC per task",
                tasks,
                List.of("ranker", "Bayes optimum"),
                v,
                0.5,
                1.0,
                "AUC"));
    List<List<String>> rows = new ArrayList<>();
    for (DemoRun.TaskAuc t : run.tasks()) {
      rows.add(
          List.of(
              t.task(),
              f("%.4f", t.auc()),
              f("%.4f", t.gauc()),
              f("%.4f", t.logLoss()),
              f("%.4f", t.bayesAuc()),
              f("%.4f", t.bayesAuc() - t.auc())));
    }
    table(h, List.of("task", "AUC", "GAUC", "logloss", "Bayes AUC", "gap"), rows);
    h.append("</section>\n");
  }

  private static void recall(StringBuilder h, DemoRun run) {
    double[] ks = run.recall().stream().mapToDouble(DemoRun.RecallPoint::k).toArray();
    h.append("<section id=\"recall\"><h2>Recall: two-tower against popularity</h2>")
        .append(
            Svg.lines(
                "recall@K on the holdout day",
                "K",
                "recall@K",
                List.of(
                    new Svg.Series(
                        "two-tower",
                        ks,
                        run.recall().stream().mapToDouble(DemoRun.RecallPoint::twoTower).toArray(),
                        false),
                    new Svg.Series(
                        "popularity",
                        ks,
                        run.recall().stream()
                            .mapToDouble(DemoRun.RecallPoint::popularity)
                            .toArray(),
                        false)),
                List.of(),
                ks.length > 1 && ks[ks.length - 1] / ks[0] > 8,
                Double.NaN,
                Double.NaN));
    List<List<String>> rows = new ArrayList<>();
    for (DemoRun.RecallPoint r : run.recall()) {
      rows.add(
          List.of(Integer.toString(r.k()), f("%.4f", r.twoTower()), f("%.4f", r.popularity())));
    }
    table(h, List.of("K", "two-tower", "popularity"), rows);
    h.append("</section>\n");
  }

  private static void canary(StringBuilder h, DemoRun.Canary c) {
    List<DemoRun.Analysis> a = c.analyses();
    double[] t = a.stream().mapToDouble(DemoRun.Analysis::minute).toArray();
    // the weight holds from its step's start: a step starts at the analysis that ended the one
    // before (minute 0 for the first); at the decision it goes to 100 % (promoted) or 0 %
    List<double[]> wp = new ArrayList<>();
    int weight = a.isEmpty() ? 0 : a.get(0).weight();
    wp.add(new double[] {0, weight});
    for (int i = 1; i < a.size(); i++) {
      if (a.get(i).weight() != weight) {
        weight = a.get(i).weight();
        wp.add(new double[] {t[i - 1], weight});
      }
    }
    wp.add(new double[] {c.simulatedMinutes(), weight});
    if ("Promoted".equals(c.phase()) || "RolledBack".equals(c.phase())) {
      wp.add(new double[] {c.simulatedMinutes(), "Promoted".equals(c.phase()) ? 100 : 0});
    }
    double[] wt = wp.stream().mapToDouble(p -> p[0]).toArray();
    double[] w = wp.stream().mapToDouble(p -> p[1]).toArray();
    double[] canaryCtr = new double[a.size()];
    double[] controlCtr = new double[a.size()];
    for (int i = 0; i < a.size(); i++) {
      DemoRun.Analysis x = a.get(i);
      // a rate over no impressions (before any feedback) is not a rate
      canaryCtr[i] = x.canaryImpressions() > 0 ? x.canaryRate() : Double.NaN;
      controlCtr[i] = x.controlImpressions() > 0 ? x.controlRate() : Double.NaN;
    }
    List<Svg.Mark> end =
        List.of(
            new Svg.Mark(
                c.simulatedMinutes(),
                c.phase() + " at " + SummaryText.minutes(c.simulatedMinutes())));
    h.append("<section id=\"canary\"><h2>Canary: ")
        .append(Html.esc(c.model()))
        .append(" v")
        .append(c.version())
        .append(" against v")
        .append(c.stableVersion())
        .append("</h2><p>")
        .append(Html.esc(c.message()))
        .append("</p>")
        .append(
            Svg.lines(
                "Canary traffic weight over simulated time",
                "simulated minutes",
                "weight %",
                List.of(new Svg.Series("canary weight", wt, w, true)),
                end,
                false,
                0,
                100))
        .append(
            Svg.lines(
                "CTR per arm at each analysis (canary vs an equal slice of stable users)",
                "simulated minutes",
                "CTR",
                List.of(
                    new Svg.Series("canary", t, canaryCtr, false),
                    new Svg.Series("control", t, controlCtr, false)),
                end,
                false,
                0,
                Double.NaN));
    List<List<String>> rows = new ArrayList<>();
    for (DemoRun.StepRow row : c.steps()) {
      DemoRun.Analysis x = row.last();
      rows.add(
          List.of(
              Integer.toString(x.step()),
              x.weight() + "%",
              "+" + SummaryText.minutes(x.minute()),
              Integer.toString(row.runs()),
              String.valueOf(x.result()),
              SummaryText.num(x.canaryImpressions(), "%.0f"),
              SummaryText.num(x.controlImpressions(), "%.0f"),
              SummaryText.num(x.canaryRate(), "%.4f"),
              SummaryText.num(x.controlRate(), "%.4f"),
              SummaryText.num(x.lift(), "%+.4f"),
              SummaryText.num(x.pValue(), "%.3g"),
              SummaryText.num(x.p99Ms(), "%.1f")));
    }
    table(
        h,
        List.of(
            "step",
            "weight",
            "at",
            "runs",
            "result",
            "n canary",
            "n control",
            "ctr canary",
            "ctr control",
            "lift",
            "p-value",
            "p99 ms"),
        rows);
    h.append("<h3>Transitions</h3><ul>");
    c.transitions().forEach(x -> h.append("<li>").append(Html.esc(x)).append("</li>"));
    h.append("</ul>");
    List<List<String>> arms = new ArrayList<>();
    for (DemoRun.Arm arm : c.arms()) {
      arms.add(
          List.of(
              arm.name(),
              f("%,d", arm.requests()),
              f("%,d", arm.impressions()),
              f("%.4f", arm.ctr())));
    }
    table(h, List.of("served by", "requests", "impressions", "CTR"), arms);
    h.append("<p><b>Decision:</b> ").append(Html.esc(c.decision())).append("</p></section>\n");
  }

  private static void table(StringBuilder h, List<String> head, List<List<String>> rows) {
    h.append("<table><tr>");
    head.forEach(x -> h.append("<th>").append(Html.esc(x)).append("</th>"));
    h.append("</tr>");
    for (List<String> r : rows) {
      h.append("<tr>");
      r.forEach(x -> h.append("<td>").append(Html.esc(x)).append("</td>"));
      h.append("</tr>");
    }
    h.append("</table>");
  }

  private static String f(String fmt, Object v) {
    return String.format(Locale.ROOT, fmt, v);
  }
}
