package io.liverec.pipelines.recall.eval;

import io.liverec.pipelines.eval.MeanCi;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Aggregates per-seed results into a markdown report: mean ± 95% CI over seeds per metric. */
public final class AblationReport {
  private final AblationSettings settings;
  private final Map<Long, List<RecallEvaluator.MethodResult>> bySeed = new LinkedHashMap<>();
  private final Map<Long, String> datasetBySeed = new LinkedHashMap<>();

  public AblationReport(AblationSettings settings) {
    this.settings = settings;
  }

  public void add(long seed, String datasetSummary, List<RecallEvaluator.MethodResult> results) {
    bySeed.put(seed, results);
    datasetBySeed.put(seed, datasetSummary);
  }

  /** Metric → method → mean ± CI over the seeds added so far. */
  public Map<String, Map<String, MeanCi>> summary() {
    Map<String, Map<String, List<Double>>> values = new LinkedHashMap<>();
    for (List<RecallEvaluator.MethodResult> results : bySeed.values()) {
      for (RecallEvaluator.MethodResult r : results) {
        for (Map.Entry<String, Double> e : r.metrics().entrySet()) {
          values
              .computeIfAbsent(e.getKey(), k -> new LinkedHashMap<>())
              .computeIfAbsent(r.method(), k -> new ArrayList<>())
              .add(e.getValue());
        }
        values
            .computeIfAbsent("fitSeconds", k -> new LinkedHashMap<>())
            .computeIfAbsent(r.method(), k -> new ArrayList<>())
            .add(r.fitSeconds());
      }
    }
    Map<String, Map<String, MeanCi>> out = new LinkedHashMap<>();
    values.forEach(
        (metric, byMethod) -> {
          Map<String, MeanCi> m = new LinkedHashMap<>();
          byMethod.forEach((method, v) -> m.put(method, MeanCi.of(v)));
          out.put(metric, m);
        });
    return out;
  }

  /** Metrics compared pairwise (same seed, same split) in the report's second table. */
  static final List<String> PAIRED_METRICS =
      List.of(
          "recall@20",
          "recall@100",
          "ndcg@100",
          "coverage@100",
          "tailCoverage@100",
          "tailRecall@100",
          "coldRecall@100");

  /**
   * Per-seed differences (method − reference) of {@link #PAIRED_METRICS}, mean ± 95% CI: the seeds
   * are different worlds, so the between-seed spread of a metric is much larger than the difference
   * between two methods on the same seed. Reference: {@code two-tower} when present, else the first
   * method.
   */
  String pairedSection(List<String> methods) {
    if (bySeed.size() < 2 || methods.size() < 2) {
      return "";
    }
    String ref = methods.contains("two-tower") ? "two-tower" : methods.get(0);
    StringBuilder md = new StringBuilder();
    md.append("\n## Paired differences against `").append(ref).append("` (method − reference)\n\n");
    md.append("| method | ").append(String.join(" | ", PAIRED_METRICS)).append(" |\n");
    md.append("|---|").append("---|".repeat(PAIRED_METRICS.size())).append('\n');
    for (String m : methods) {
      if (m.equals(ref)) {
        continue;
      }
      md.append("| ").append(m).append(" |");
      for (String metric : PAIRED_METRICS) {
        List<Double> diffs = new ArrayList<>();
        for (List<RecallEvaluator.MethodResult> results : bySeed.values()) {
          Double a = value(results, m, metric);
          Double b = value(results, ref, metric);
          if (a != null && b != null) {
            diffs.add(a - b);
          }
        }
        md.append(' ').append(diffs.isEmpty() ? "–" : MeanCi.of(diffs).format()).append(" |");
      }
      md.append('\n');
    }
    return md.toString();
  }

  /** The collaborative and popularity baselines the two-tower is held against (issue 20). */
  static final List<String> BASELINES = List.of("popular", "i2i", "item-knn", "mf-bpr");

  /** Cut-offs of the ratio to the best baseline. */
  static final List<String> RATIO_METRICS = List.of("recall@20", "recall@100");

  /**
   * Per seed, {@code two-tower} divided by the best of the {@link #BASELINES} run on that seed (the
   * best may differ between seeds), mean ± 95% CI over seeds, and which baseline was best; empty
   * without {@code two-tower} or a baseline.
   */
  String ratioSection(List<String> methods) {
    List<String> base = BASELINES.stream().filter(methods::contains).toList();
    if (!methods.contains("two-tower") || base.isEmpty() || bySeed.isEmpty()) {
      return "";
    }
    StringBuilder md = new StringBuilder();
    md.append("\n## `two-tower` ÷ the best baseline (").append(String.join(", ", base));
    md.append("), per seed\n\n| metric | ratio | best baseline per seed |\n|---|---|---|\n");
    for (String metric : RATIO_METRICS) {
      List<Double> ratios = new ArrayList<>();
      List<String> best = new ArrayList<>();
      for (List<RecallEvaluator.MethodResult> results : bySeed.values()) {
        Double tt = value(results, "two-tower", metric);
        String arg = null;
        double max = Double.NEGATIVE_INFINITY;
        for (String b : base) {
          Double v = value(results, b, metric);
          if (v != null && v > max) {
            max = v;
            arg = b;
          }
        }
        if (tt != null && arg != null && max > 0) {
          ratios.add(tt / max);
          best.add(arg);
        }
      }
      if (!ratios.isEmpty()) {
        md.append("| ").append(metric).append(" | ").append(MeanCi.of(ratios).format());
        md.append(" | ").append(String.join(", ", best)).append(" |\n");
      }
    }
    return md.toString();
  }

  /**
   * The values behind the paired table, one row per seed and method, so that runs made separately
   * (e.g. a variant behind a flag) can still be paired seed by seed.
   */
  String perSeedSection(List<String> methods) {
    StringBuilder md = new StringBuilder();
    md.append("\n## Per seed\n\n");
    md.append("| seed | method | ").append(String.join(" | ", PAIRED_METRICS)).append(" |\n");
    md.append("|---|---|").append("---|".repeat(PAIRED_METRICS.size())).append('\n');
    bySeed.forEach(
        (seed, results) -> {
          for (String m : methods) {
            md.append("| ").append(seed).append(" | ").append(m).append(" |");
            for (String metric : PAIRED_METRICS) {
              Double v = value(results, m, metric);
              md.append(' ')
                  .append(v == null ? "–" : String.format(Locale.ROOT, "%.4f", v))
                  .append(" |");
            }
            md.append('\n');
          }
        });
    return md.toString();
  }

  private static Double value(
      List<RecallEvaluator.MethodResult> results, String method, String metric) {
    for (RecallEvaluator.MethodResult r : results) {
      if (r.method().equals(method)) {
        return r.metrics().get(metric);
      }
    }
    return null;
  }

  public String markdown() {
    Map<String, Map<String, MeanCi>> s = summary();
    List<String> methods = settings.methods().stream().map(RecallMethod::id).toList();
    StringBuilder md = new StringBuilder();
    md.append("# Recall ablation\n\n");
    md.append(
        String.format(
            Locale.ROOT,
            "Seeds: %s. Holdout: last %d day(s); ground truth: rooms each user %s in the holdout;"
                + " candidates restricted to rooms live during the holdout. Values: mean ± 95%% CI"
                + " over seeds (Student t).%n%n",
            bySeed.keySet(),
            settings.holdoutDays(),
            settings.conversionsOnly() ? "converted on" : "clicked"));
    md.append("Vector index: `")
        .append(settings.index().id())
        .append("` ")
        .append(settings.indexParams())
        .append("; item2vec ")
        .append(settings.item2vec())
        .append(".\n\n");
    md.append("| metric | ").append(String.join(" | ", methods)).append(" |\n");
    md.append("|---|").append("---|".repeat(methods.size())).append('\n');
    for (Map.Entry<String, Map<String, MeanCi>> e : s.entrySet()) {
      md.append("| ").append(e.getKey()).append(" |");
      for (String m : methods) {
        MeanCi ci = e.getValue().get(m);
        md.append(' ').append(ci == null ? "–" : ci.format()).append(" |");
      }
      md.append('\n');
    }
    md.append(pairedSection(methods));
    md.append(ratioSection(methods));
    md.append(perSeedSection(methods));
    md.append("\n## Data per seed\n\n");
    datasetBySeed.forEach(
        (seed, d) -> md.append("- seed ").append(seed).append(": ").append(d).append('\n'));
    return md.toString();
  }
}
