package io.liverec.serving.rollout;

import io.liverec.api.run.RegistryAliases;
import io.liverec.api.v1alpha1.ModelVersionStatus;
import io.liverec.api.v1alpha1.ModelVersionStatus.StepRecord;
import io.liverec.api.v1alpha1.Reason;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The rollout's record ({@code status.steps}, {@code status.decisionReason}) and its copy as tags
 * on the registered model version. The record is kept in status as the rollout walks: a step's
 * entry opens when the step starts, takes each analysis run's statistics and closes with how the
 * step ended. The registry gets one tag per ended step ({@code liverec.rollout.step.NN}, NN its
 * place in the record) and, once decided, {@code liverec.rollout.decision} and {@code
 * liverec.rollout.reason}. How many tags the registry has is in status ({@code registryTrailTags}),
 * so a restarted operator goes on from there; a tag written twice (a crash between the write and
 * the status patch) gets the same value, which changes nothing. A registry outage never touches the
 * phase: the write is retried on later reconciles and the condition {@code RegistryTrailSynced}
 * says so.
 */
final class RolloutRecord {
  static final String CONDITION = "RegistryTrailSynced";
  static final String STEP_TAG = "liverec.rollout.step.";
  static final String DECISION_TAG = "liverec.rollout.decision";
  static final String REASON_TAG = "liverec.rollout.reason";

  /** MLflow's limit on a tag value is 5 000 characters (model registry). */
  static final int MAX_VALUE = 5000;

  private RolloutRecord() {}

  /** The canary entered {@code step}: closes the open entry (passed, or the steps changed). */
  static void stepStarted(ModelVersionStatus st, int step, int weight, Instant now) {
    StepRecord open = open(st);
    if (open != null) {
      close(open, step > open.step ? "Passed" : "StepsChanged", now);
    }
    StepRecord r = new StepRecord();
    r.step = step;
    r.weight = weight;
    r.startedAt = now.toString();
    st.steps.add(r);
  }

  /** One analysis run at the open step. */
  static void run(ModelVersionStatus st, ModelVersionStatus.AnalysisRun run) {
    StepRecord r = open(st);
    if (r == null) {
      return;
    }
    r.runs++;
    if ("Failed".equals(run.result)) {
      r.failedRuns++;
    } else if ("Inconclusive".equals(run.result)) {
      r.inconclusiveRuns++;
    }
    r.lastResult = run.result;
    r.metrics = new LinkedHashMap<>(run.metrics);
    r.message = run.message;
  }

  /**
   * The rollout moved to {@code phase}: a terminal phase closes the open step and records the
   * decision; Pending (the spec changed what is loaded) closes it as restarted.
   */
  static void moved(
      ModelVersionStatus st, String phase, Reason reason, String message, Instant now) {
    StepRecord open = open(st);
    if (Rollout.isTerminal(phase)) {
      if (open != null) {
        close(open, phase, now);
      }
      st.decisionReason = reason + ": " + message;
    } else if (Rollout.PENDING.equals(phase)) {
      if (open != null) {
        close(open, "Restarted", now);
      }
      st.decisionReason = null;
    }
  }

  /**
   * Writes the record's tags the registry does not have yet onto {@code registered} v{@code
   * version}. Returns false when the registry failed (it is then retried later).
   */
  static boolean sync(
      ModelVersionStatus st,
      String registered,
      int version,
      RegistryAliases registry,
      List<Rollout.Transition> out) {
    Map<String, String> tags = tags(st);
    int have = st.registryTrailTags == null ? 0 : st.registryTrailTags;
    if (!Rollout.isTerminal(st.phase)) {
      have = Math.min(have, ended(st)); // a decision tagged before a restart is written again
    }
    if (have >= tags.size()) {
      return true;
    }
    Map<String, String> missing = new LinkedHashMap<>();
    int i = 0;
    for (Map.Entry<String, String> e : tags.entrySet()) {
      if (i++ >= have) {
        missing.put(e.getKey(), e.getValue());
      }
    }
    try {
      registry.tagVersion(registered, version, missing);
      st.registryTrailTags = tags.size();
      boolean decided = Rollout.isTerminal(st.phase);
      if (decided && !"Synced".equals(st.registryTrail)) {
        out.add(
            new Rollout.Transition(
                st.phase,
                st.phase,
                Reason.RolloutRecorded,
                "the rollout's record ("
                    + ended(st)
                    + " steps and the decision) is on "
                    + registered
                    + " v"
                    + version
                    + " as tags "
                    + STEP_TAG
                    + "*, "
                    + DECISION_TAG
                    + ", "
                    + REASON_TAG,
                false));
      }
      st.registryTrail = "Synced";
      return true;
    } catch (RuntimeException e) {
      if (!"Pending".equals(st.registryTrail)) {
        out.add(
            new Rollout.Transition(
                st.phase,
                st.phase,
                Reason.RolloutRecordPending,
                "cannot write the rollout's record to "
                    + registered
                    + " v"
                    + version
                    + " (retrying): "
                    + e.getMessage(),
                true));
      }
      st.registryTrail = "Pending";
      return false;
    }
  }

  /** The tags the record stands for now, in the order they are written. */
  static Map<String, String> tags(ModelVersionStatus st) {
    Map<String, String> tags = new LinkedHashMap<>();
    for (int i = 0; i < st.steps.size(); i++) {
      StepRecord r = st.steps.get(i);
      if (r.endedAt != null) {
        tags.put(String.format(Locale.ROOT, "%s%02d", STEP_TAG, i), cap(describe(r)));
      }
    }
    if (Rollout.isTerminal(st.phase) && st.decisionReason != null) {
      tags.put(DECISION_TAG, st.phase);
      tags.put(REASON_TAG, cap(st.decisionReason));
    }
    return tags;
  }

  /** One step as a person reads it, e.g. in the MLflow UI. */
  static String describe(StepRecord r) {
    StringBuilder b =
        new StringBuilder()
            .append("step ")
            .append(r.step + 1)
            .append(", weight ")
            .append(r.weight)
            .append("%, ")
            .append(r.startedAt)
            .append(" to ")
            .append(r.endedAt == null ? "now" : r.endedAt)
            .append(", ")
            .append(r.outcome == null ? "running" : r.outcome)
            .append("; ")
            .append(r.runs)
            .append(" analysis runs (")
            .append(r.failedRuns)
            .append(" failed, ")
            .append(r.inconclusiveRuns)
            .append(" inconclusive)");
    if (r.lastResult != null) {
      b.append("; last ")
          .append(r.lastResult)
          .append(": ")
          .append(
              r.metrics.entrySet().stream()
                  .map(e -> e.getKey() + "=" + String.format(Locale.ROOT, "%.4g", e.getValue()))
                  .collect(Collectors.joining(" ")));
      if (r.message != null && !r.message.isEmpty()) {
        b.append("; ").append(r.message);
      }
    }
    return b.toString();
  }

  private static String cap(String s) {
    return s.length() <= MAX_VALUE ? s : s.substring(0, MAX_VALUE - 1) + "…";
  }

  private static int ended(ModelVersionStatus st) {
    return (int) st.steps.stream().filter(r -> r.endedAt != null).count();
  }

  private static StepRecord open(ModelVersionStatus st) {
    if (st.steps.isEmpty()) {
      return null;
    }
    StepRecord last = st.steps.get(st.steps.size() - 1);
    return last.endedAt == null ? last : null;
  }

  private static void close(StepRecord r, String outcome, Instant now) {
    r.endedAt = now.toString();
    r.outcome = outcome;
  }
}
