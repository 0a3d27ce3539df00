package io.liverec.cli.report;

import java.util.ArrayList;
import java.util.List;

/**
 * What one {@code liverec demo} run did, as plain values: the stages with their wall times, the
 * ranker's per-task AUCs against the simulator's Bayes optimum, the two-tower's recall@K against
 * popularity, the canary's analyses and decision, and the champion alias afterwards. The text
 * summary ({@link SummaryText}) and the HTML report ({@link HtmlReport}) are both written from it,
 * so they cannot disagree.
 *
 * @param title one line naming the run (world size, seed)
 * @param stages every stage in the order it ran
 * @param facts labelled lines printed as they are (events, sampling, gates, tracking, outputs)
 * @param tasks the ranker's holdout metrics, one per task
 * @param recall recall@K of the two-tower and of the popularity anchor, by increasing K
 * @param canary the rollout of the new ranker, or null when it did not run
 * @param champion what happened to the registry's {@code champion} alias, in one sentence
 */
public record DemoRun(
    String title,
    List<Stage> stages,
    List<Fact> facts,
    List<TaskAuc> tasks,
    List<RecallPoint> recall,
    Canary canary,
    String champion) {

  public DemoRun {
    stages = List.copyOf(stages);
    facts = List.copyOf(facts);
    tasks = List.copyOf(tasks);
    recall = List.copyOf(recall);
  }

  /** Sum of the stages' wall times. */
  public double totalSeconds() {
    return stages.stream().mapToDouble(Stage::seconds).sum();
  }

  /** One stage and its wall time. */
  public record Stage(String name, double seconds) {}

  /** A labelled block of summary lines. */
  public record Fact(String label, List<String> lines) {
    public Fact {
      lines = List.copyOf(lines);
    }
  }

  /** One task's holdout metrics; {@code bayesAuc} is the AUC of the planted probabilities. */
  public record TaskAuc(String task, double auc, double gauc, double logLoss, double bayesAuc) {}

  /** recall@k of both retrievers on the same held-out requests. */
  public record RecallPoint(int k, double twoTower, double popularity) {}

  /**
   * One analysis run of the canary (NaN where a metric was not measured).
   *
   * @param step 0-based step index
   * @param weight the canary's traffic share, percent
   * @param minute simulated minutes since the rollout started
   */
  public record Analysis(
      int step,
      int weight,
      double minute,
      String result,
      double canaryImpressions,
      double controlImpressions,
      double canaryRate,
      double controlRate,
      double lift,
      double pValue,
      double p99Ms) {}

  /** Traffic one ranker version served during the canary. */
  public record Arm(String name, long requests, long impressions, double ctr) {}

  /** The last analysis of a step and how many ran in it. */
  public record StepRow(Analysis last, int runs) {}

  /**
   * The canary rollout of the new ranker.
   *
   * @param phase Promoted, RolledBack, or the phase it stopped in
   * @param message the rollout's own explanation of the decision
   * @param transitions the rollout's notable transitions, one line each
   */
  public record Canary(
      String model,
      int stableVersion,
      int version,
      String phase,
      String message,
      double simulatedMinutes,
      long requests,
      boolean timedOut,
      List<Analysis> analyses,
      List<String> transitions,
      List<Arm> arms) {
    public Canary {
      analyses = List.copyOf(analyses);
      transitions = List.copyOf(transitions);
      arms = List.copyOf(arms);
    }

    /** One row per step: its last analysis, and how many analyses the step took. */
    public List<StepRow> steps() {
      List<StepRow> rows = new ArrayList<>();
      int count = 0;
      for (int i = 0; i < analyses.size(); i++) {
        count++;
        if (i + 1 == analyses.size() || analyses.get(i + 1).step() != analyses.get(i).step()) {
          rows.add(new StepRow(analyses.get(i), count));
          count = 0;
        }
      }
      return rows;
    }

    /** "demo-ranker v2 Promoted after 42m of simulated traffic (25,200 requests)". */
    public String decision() {
      return String.format(
          java.util.Locale.ROOT,
          "%s v%d %s after %s of simulated traffic (%,d requests)%s",
          model,
          version,
          phase,
          SummaryText.minutes(simulatedMinutes),
          requests,
          timedOut ? ", stopped at the timeout" : "");
    }
  }
}
