package io.liverec.pipelines.eval;

/** One finished training epoch as the report shows it. */
public interface HistoryRow {
  int epoch();

  double trainLoss();

  double validationCtrAuc();

  double validationCtcvrAuc();
}
