package io.liverec.pipelines.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Predictions and labels collected over the holdout, batch by batch, then turned into per-task
 * metrics: ctr on all impressions, cvr on clicked rows (its label is conversion), ctcvr on all
 * impressions (its label is click ∧ conversion).
 */
public final class HoldoutPredictions {

  public static final List<String> TASKS = List.of("ctr", "cvr", "ctcvr");

  private final Column pctr = new Column();
  private final Column pcvr = new Column();
  private final Column pctcvr = new Column();
  private final Column click = new Column();
  private final Column conversion = new Column();
  private final Column oracleCtr = new Column();
  private final Column oracleCvr = new Column();
  private final Column oracleCtcvr = new Column();
  private long[] users = new long[1024];
  private int size;
  private boolean hasOracle = true;

  /**
   * Adds one batch. {@code oracle} maps task → the simulator's true probability per row, or is
   * empty when the data has no oracle columns (then no Bayes AUC is reported).
   */
  public void add(
      Map<String, float[]> predicted,
      float[] clickLabels,
      float[] conversionLabels,
      long[] userIds,
      Map<String, double[]> oracle) {
    int n = clickLabels.length;
    float[] ctr = require(predicted, "ctr", n);
    float[] cvr = require(predicted, "cvr", n);
    float[] ctcvr = require(predicted, "ctcvr", n);
    if (users.length < size + n) {
      users = Arrays.copyOf(users, Math.max(users.length * 2, size + n));
    }
    hasOracle &= oracle.keySet().containsAll(TASKS);
    for (int i = 0; i < n; i++) {
      pctr.add(ctr[i]);
      pcvr.add(cvr[i]);
      pctcvr.add(ctcvr[i]);
      click.add(clickLabels[i] > 0.5f ? 1 : 0);
      // conversion implies click; a conversion label on an unclicked row is not a conversion
      conversion.add(clickLabels[i] > 0.5f && conversionLabels[i] > 0.5f ? 1 : 0);
      users[size + i] = userIds[i];
      if (hasOracle) {
        oracleCtr.add(oracle.get("ctr")[i]);
        oracleCvr.add(oracle.get("cvr")[i]);
        oracleCtcvr.add(oracle.get("ctcvr")[i]);
      }
    }
    size += n;
  }

  public int size() {
    return size;
  }

  /** Predicted probability and label per row for the whole-impression tasks (ROC plots). */
  public Map<String, double[][]> scoresAndLabels() {
    Map<String, double[][]> out = new java.util.LinkedHashMap<>();
    out.put("ctr", new double[][] {pctr.values(), click.values()});
    out.put("ctcvr", new double[][] {pctcvr.values(), conversion.values()});
    return out;
  }

  /**
   * Calibration of the weight-corrected ctr and ctcvr predictions ({@link
   * Calibration#weightCorrected}) with each task's odds factor: task → {oddsFactor, ece,
   * predictedOverObserved}. Tasks without a factor are left out.
   */
  public Map<String, Map<String, Double>> weightCorrectedCalibration(
      Map<String, Double> oddsFactor) {
    Map<String, Map<String, Double>> out = new java.util.LinkedHashMap<>();
    Map<String, double[][]> tasks = scoresAndLabels();
    for (Map.Entry<String, double[][]> t : tasks.entrySet()) {
      Double k = oddsFactor.get(t.getKey());
      if (k == null || !(k > 0) || Double.isInfinite(k)) {
        continue;
      }
      double[] p = Calibration.weightCorrected(t.getValue()[0], k);
      double[] y = t.getValue()[1];
      Map<String, Double> m = new java.util.LinkedHashMap<>();
      m.put("oddsFactor", k);
      m.put("ece", Calibration.ece(p, y, Calibration.DEFAULT_BINS));
      m.put("predictedOverObserved", Calibration.predictedOverObserved(p, y));
      out.put(t.getKey(), m);
    }
    return out;
  }

  /** Metrics of ctr, cvr and ctcvr, in that order. */
  public List<TaskMetrics> metrics() {
    long[] uid = Arrays.copyOf(users, size);
    double[] clicks = click.values();
    double[] conv = conversion.values();
    List<TaskMetrics> out = new ArrayList<>();
    out.add(task("ctr", pctr.values(), clicks, uid, hasOracle ? oracleCtr.values() : null));
    out.add(task("ctcvr", pctcvr.values(), conv, uid, hasOracle ? oracleCtcvr.values() : null));
    // cvr: only clicked rows, where conversion is observable
    int clicked = 0;
    for (double c : clicks) {
      clicked += c > 0.5 ? 1 : 0;
    }
    double[] p = new double[clicked];
    double[] y = new double[clicked];
    double[] o = new double[clicked];
    long[] u = new long[clicked];
    double[] allP = pcvr.values();
    double[] allO = hasOracle ? oracleCvr.values() : null;
    int j = 0;
    for (int i = 0; i < size; i++) {
      if (clicks[i] > 0.5) {
        p[j] = allP[i];
        y[j] = conv[i];
        u[j] = uid[i];
        o[j] = allO == null ? 0 : allO[i];
        j++;
      }
    }
    out.add(1, task("cvr", p, y, u, hasOracle ? o : null));
    return out;
  }

  /** Metrics of one task from raw arrays (also used by tests with hand-made data). */
  public static TaskMetrics task(String name, double[] p, double[] y, long[] users, double[] o) {
    long positives = 0;
    for (double v : y) {
      positives += v > 0.5 ? 1 : 0;
    }
    Gauc.Result g = Gauc.of(p, y, users);
    return new TaskMetrics(
        name,
        p.length,
        positives,
        Auc.of(p, y),
        g.gauc(),
        g.users(),
        Calibration.logLoss(p, y),
        Calibration.ece(p, y, Calibration.DEFAULT_BINS),
        Calibration.predictedOverObserved(p, y),
        o == null ? Double.NaN : Auc.of(o, y));
  }

  private static float[] require(Map<String, float[]> predicted, String name, int n) {
    float[] v = predicted.get(name);
    if (v == null || v.length != n) {
      throw new IllegalStateException(
          "the ranker returned no '"
              + name
              + "' output of length "
              + n
              + ": "
              + predicted.keySet());
    }
    return v;
  }

  /** A growable double array. */
  private static final class Column {
    private double[] data = new double[1024];
    private int n;

    void add(double v) {
      if (n == data.length) {
        data = Arrays.copyOf(data, n * 2);
      }
      data[n++] = v;
    }

    double[] values() {
      return Arrays.copyOf(data, n);
    }
  }
}
