package io.liverec.pipelines.recall.eval;

import io.liverec.pipelines.recall.Retriever;
import io.liverec.pipelines.recall.data.HoldoutSplit;
import io.liverec.pipelines.recall.data.RecallDataset;
import io.liverec.pipelines.recall.metrics.RecallSummary;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Runs every method of an ablation on one dataset (one seed) and returns their metrics. */
public final class RecallEvaluator {
  private RecallEvaluator() {}

  /**
   * One method's result on one seed.
   *
   * @param metrics metric name → value (see {@link RecallSummary})
   * @param fitSeconds wall time of fitting
   * @param describe the method's model/index parameters
   */
  public record MethodResult(
      String method, Map<String, Double> metrics, double fitSeconds, String describe) {}

  public static List<MethodResult> evaluate(RecallDataset data, AblationSettings s, long seed) {
    return evaluate(HoldoutSplit.lastDays(data, s.holdoutDays(), s.conversionsOnly()), s, seed);
  }

  /** Evaluates on a prepared split (e.g. one whose end is the log's last day partition). */
  public static List<MethodResult> evaluate(HoldoutSplit split, AblationSettings s, long seed) {
    BitSet tail = tailRooms(split);
    List<Set<Integer>> seen = trainingRooms(split.train());
    List<MethodResult> out = new ArrayList<>();
    for (RecallMethod m : s.methods()) {
      long t0 = System.nanoTime();
      Retriever r = m.fit(split.train(), s, seed);
      double fit = (System.nanoTime() - t0) / 1e9;
      RecallSummary summary =
          new RecallSummary(s.ks(), split.coldRooms(), tail, split.live().toBitSet());
      for (HoldoutSplit.Request q : split.requests()) {
        int[] ranked = r.retrieve(q.user(), q.recentRooms(), split.live(), s.maxK());
        summary.add(ranked, q.truth(), seen.get(q.user()));
      }
      if (r instanceof AutoCloseable c) {
        try {
          c.close();
        } catch (Exception e) {
          throw new IllegalStateException("closing " + m.id(), e);
        }
      }
      Map<String, Double> metrics = new LinkedHashMap<>(summary.metrics());
      metrics.put("requests", (double) summary.requests());
      out.add(new MethodResult(m.id(), metrics, fit, describe(r)));
    }
    return out;
  }

  private static String describe(Retriever r) {
    if (r instanceof io.liverec.pipelines.recall.vector.VectorI2I v) {
      return v.index().describe();
    }
    if (r instanceof io.liverec.pipelines.recall.twotower.TwoTowerRecall t) {
      return t.model().config()
          + "; re-visit beta "
          + t.revisitBonus()
          + "; "
          + t.index().describe()
          + "; epoch loss "
          + t.epochLoss();
    }
    return r.name();
  }

  /** Each user's distinct training rooms (to split holdout truth into re-visits and new rooms). */
  static List<Set<Integer>> trainingRooms(RecallDataset train) {
    List<Set<Integer>> out = new ArrayList<>();
    for (int[] seq : train.sequences()) {
      Set<Integer> s = new HashSet<>();
      for (int r : seq) {
        s.add(r);
      }
      out.add(s);
    }
    return out;
  }

  /**
   * The popularity tail: live test-window rooms with training history whose training clicks are at
   * or below the median of those rooms.
   */
  static BitSet tailRooms(HoldoutSplit split) {
    int[] clicks = split.train().roomClickCounts();
    int[] withHistory = Arrays.stream(split.live().ids()).filter(r -> clicks[r] > 0).toArray();
    BitSet tail = new BitSet();
    if (withHistory.length == 0) {
      return tail;
    }
    int[] sorted = Arrays.stream(withHistory).map(r -> clicks[r]).sorted().toArray();
    int median = sorted[(sorted.length - 1) / 2];
    for (int r : withHistory) {
      if (clicks[r] <= median) {
        tail.set(r);
      }
    }
    return tail;
  }
}
