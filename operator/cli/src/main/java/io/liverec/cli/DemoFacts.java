package io.liverec.cli;

import io.liverec.cli.report.DemoRun;
import io.liverec.pipelines.pipeline.TrackedTrainer;
import io.liverec.pipelines.sampling.SamplingReport;
import io.liverec.pipelines.sim.SimulationReport;
import io.liverec.pipelines.train.RankingEvaluation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The demo's stage outcomes as the {@link DemoRun} values its summary and report are made of. */
final class DemoFacts {
  private static final Pattern RECALL_AT = Pattern.compile("recall@(\\d+)");

  private DemoFacts() {}

  static List<DemoRun.TaskAuc> tasks(TrackedTrainer.Outcome ranker) {
    return evaluation(ranker).holdout().stream()
        .map(m -> new DemoRun.TaskAuc(m.task(), m.auc(), m.gauc(), m.logLoss(), m.bayesAuc()))
        .toList();
  }

  /** recall@K of the two-tower and popularity, for every K both were measured at. */
  static List<DemoRun.RecallPoint> recall(Map<String, Double> metrics) {
    Map<Integer, DemoRun.RecallPoint> byK = new TreeMap<>();
    metrics.forEach(
        (name, v) -> {
          Matcher m = RECALL_AT.matcher(name);
          Double pop = metrics.get("popular." + name);
          if (m.matches() && pop != null) {
            int k = Integer.parseInt(m.group(1));
            byK.put(k, new DemoRun.RecallPoint(k, v, pop));
          }
        });
    return List.copyOf(byK.values());
  }

  /** Events, sampling, the ranker, gates, tracking, recall coverage and where the outputs are. */
  static List<DemoRun.Fact> details(
      SimulationReport sim,
      SamplingReport sampling,
      TrackedTrainer.Outcome ranker,
      String model,
      TrackedTrainer.Outcome recall,
      String tracking,
      Path out,
      Path events) {
    List<DemoRun.Fact> f = new ArrayList<>();
    f.add(
        fact(
            "Events",
            String.format(
                Locale.ROOT,
                "%,d requests, %,d impressions, CTR %.2f%% (pos 1: %.2f%%, pos %d: %.2f%%),"
                    + " conversion|click %.1f%%, gifts/impression %.3f%%",
                sim.requests(),
                sim.impressions(),
                100 * sim.ctr(),
                100 * sim.byPosition().get(0).ctr(),
                sim.byPosition().size(),
                100 * sim.byPosition().get(sim.byPosition().size() - 1).ctr(),
                100 * sim.conversionGivenClick(),
                100 * sim.giftRatePerImpression())));
    f.add(
        fact(
            "Sampling",
            String.format(
                Locale.ROOT,
                "%s: kept %,d of %,d valid impressions; positives %s; quarantined %,d",
                sampling.strategy(),
                sampling.kept(),
                sampling.impressionsValid(),
                sampling.positives(),
                sampling.quarantinedTotal())));
    f.add(fact("Ranker", model + ", best epoch " + evaluation(ranker).bestEpoch()));
    f.add(
        fact(
            "Gates",
            ranker.gatesPassed()
                ? "passed"
                : "FAILED: " + String.join("; ", ranker.gateFailures())));
    f.add(new DemoRun.Fact("Tracking", tracking(ranker, recall, tracking, out)));
    Map<String, Double> r = recall.metrics();
    List<String> recallLines = new ArrayList<>();
    recallLines.add(
        String.format(
            Locale.ROOT,
            "catalogue coverage@100 %.2f vs %.2f, cold-room recall@100 %.3f vs %.3f"
                + " (two-tower vs popularity)",
            r.getOrDefault("coverage@100", Double.NaN),
            r.getOrDefault("popular.coverage@100", Double.NaN),
            r.getOrDefault("coldRecall@100", Double.NaN),
            r.getOrDefault("popular.coldRecall@100", Double.NaN)));
    if (r.getOrDefault("popular.recall@100", 0.0) > r.getOrDefault("recall@100", 0.0)) {
      recallLines.add(
          "popularity wins recall@100 here: the simulator's logging policy is"
              + " popularity-driven; see docs/RECALL.md");
    }
    f.add(new DemoRun.Fact("Recall", recallLines));
    List<String> outputs = new ArrayList<>();
    outputs.add("event log       " + events.toAbsolutePath());
    outputs.add("samples         " + events.resolve("samples").toAbsolutePath());
    outputs.add("ranker run      " + ranker.output().runDir().toAbsolutePath());
    evaluation(ranker)
        .artifacts()
        .forEach((k, v) -> outputs.add(String.format(Locale.ROOT, "  %-12s  %s", k, v)));
    outputs.add("TrainingRun     " + out.resolve("trainingrun.yaml").toAbsolutePath());
    outputs.add("recall run      " + recall.output().runDir().toAbsolutePath());
    recall
        .artifacts()
        .forEach((k, v) -> outputs.add(String.format(Locale.ROOT, "  %-12s  %s", k, v)));
    outputs.add("serving bundle  " + out.resolve("serving").toAbsolutePath());
    f.add(new DemoRun.Fact("Outputs", outputs));
    return f;
  }

  private static List<String> tracking(
      TrackedTrainer.Outcome o, TrackedTrainer.Outcome recall, String tracking, Path out) {
    if (tracking == null) {
      return List.of(
          "kept locally in each run's tracking/ journal; set MLFLOW_TRACKING_URI and run"
              + " `bin/liverec sync --runs "
              + out
              + "` to upload and register");
    }
    List<String> lines = new ArrayList<>();
    for (TrackedTrainer.Outcome x : List.of(o, recall)) {
      String name = x.output().runDir().getFileName().toString();
      if (x.tracking().synced()) {
        lines.add(
            name
                + ": MLflow run "
                + x.tracking().mlflowRunId()
                + (x.tracking().modelVersion() == null
                    ? ""
                    : ", registered "
                        + x.registeredModel()
                        + " v"
                        + x.tracking().modelVersion()
                        + " (alias challenger)"));
      } else {
        lines.add(
            name
                + ": MLflow unreachable ("
                + x.tracking().error()
                + "); kept locally, upload later with `bin/liverec sync`");
      }
    }
    return lines;
  }

  private static DemoRun.Fact fact(String label, String line) {
    return new DemoRun.Fact(label, List.of(line));
  }

  private static RankingEvaluation evaluation(TrackedTrainer.Outcome o) {
    return o.output().details(RankingEvaluation.class).orElseThrow();
  }
}
