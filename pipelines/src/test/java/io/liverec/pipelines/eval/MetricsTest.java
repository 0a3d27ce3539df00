package io.liverec.pipelines.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MetricsTest {

  @Test
  void aucMatchesHandComputationWithoutTies() {
    // pairs (pos, neg): (0.35,0.1) ok, (0.35,0.4) wrong, (0.8,0.1) ok, (0.8,0.4) ok → 3/4
    assertThat(Auc.of(new double[] {0.1, 0.4, 0.35, 0.8}, new double[] {0, 0, 1, 1}))
        .isEqualTo(0.75);
  }

  @Test
  void tiedPositiveAndNegativeCountOneHalf() {
    // pos 0.5 vs the two negatives at 0.5: ½ + ½; pos 0.9 vs both: 1 + 1 → 3/4
    assertThat(Auc.of(new double[] {0.5, 0.5, 0.5, 0.9}, new double[] {1, 0, 0, 1}))
        .isEqualTo(0.75);
    assertThat(Auc.of(new double[] {0.3, 0.3, 0.3}, new double[] {1, 0, 1})).isEqualTo(0.5);
    // two positives tied at the top with one negative, one negative below:
    // each pos: vs tied neg ½, vs low neg 1 → (1.5 + 1.5) / 4
    assertThat(Auc.of(new double[] {0.9, 0.9, 0.9, 0.1}, new double[] {1, 1, 0, 0}))
        .isEqualTo(0.75);
  }

  @Test
  void aucIsNanWithOneClassAndExtremesAreExact() {
    assertThat(Auc.of(new double[] {0.2, 0.4}, new double[] {1, 1})).isNaN();
    assertThat(Auc.of(new double[] {0.1, 0.2, 0.8, 0.9}, new double[] {0, 0, 1, 1})).isEqualTo(1);
    assertThat(Auc.of(new double[] {0.1, 0.2, 0.8, 0.9}, new double[] {1, 1, 0, 0})).isEqualTo(0);
  }

  @Test
  void aucEqualsThePairwiseDefinitionOnRandomDataWithManyTies() {
    Random r = new Random(3);
    for (int trial = 0; trial < 20; trial++) {
      int n = 50 + r.nextInt(100);
      double[] s = new double[n];
      double[] y = new double[n];
      for (int i = 0; i < n; i++) {
        s[i] = r.nextInt(7) / 7.0; // coarse scores: many ties
        y[i] = r.nextDouble() < 0.3 ? 1 : 0;
      }
      double wins = 0;
      long pairs = 0;
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          if (y[i] == 1 && y[j] == 0) {
            pairs++;
            wins += s[i] > s[j] ? 1 : s[i] == s[j] ? 0.5 : 0;
          }
        }
      }
      assertThat(Auc.of(s, y)).isCloseTo(wins / pairs, within(1e-12));
    }
  }

  @Test
  void gaucWeighsUsersByImpressionsAndSkipsOneClassUsers() {
    double[] s = {0.9, 0.1, 0.2, 0.8, 0.5, 0.3, 0.6};
    double[] y = {1, 0, 1, 0, 0, 0, 0};
    long[] u = {1, 1, 2, 2, 2, 3, 3};
    // user 1: AUC 1 over 2 rows; user 2: AUC 0 over 3 rows; user 3: no positive → skipped
    Gauc.Result g = Gauc.of(s, y, u);
    assertThat(g.gauc()).isCloseTo((1.0 * 2 + 0.0 * 3) / 5, within(1e-12));
    assertThat(g.users()).isEqualTo(2);
    assertThat(g.rows()).isEqualTo(5);
  }

  @Test
  void eceLogLossAndRatioMatchHandComputation() {
    double[] p = {0.05, 0.15, 0.12, 0.95};
    double[] y = {0, 1, 0, 1};
    // bin 0: |0.05−0|·¼; bin 1: |0.135−0.5|·½; bin 9: |0.95−1|·¼
    assertThat(Calibration.ece(p, y, 10)).isCloseTo(0.0125 + 0.1825 + 0.0125, within(1e-12));
    assertThat(Calibration.predictedOverObserved(p, y)).isCloseTo(1.27 / 2, within(1e-12));
    assertThat(Calibration.logLoss(new double[] {0.8, 0.3}, new double[] {1, 0}))
        .isCloseTo(-(Math.log(0.8) + Math.log(0.7)) / 2, within(1e-12));
    assertThat(Calibration.logLoss(new double[] {0.0}, new double[] {1})).isFinite();
    // p = 1 lands in the last bin
    assertThat(Calibration.ece(new double[] {1.0}, new double[] {1}, 10)).isZero();
  }

  @Test
  void cvrIsEvaluatedOnClickedRowsAndCtcvrOnAll() {
    HoldoutPredictions h = new HoldoutPredictions();
    float[] click = {1, 1, 1, 0, 0};
    float[] conv = {1, 0, 0, 0, 0};
    h.add(
        Map.of(
            "ctr", new float[] {0.9f, 0.8f, 0.7f, 0.2f, 0.1f},
            "cvr", new float[] {0.6f, 0.4f, 0.5f, 0.99f, 0.99f},
            "ctcvr", new float[] {0.54f, 0.32f, 0.35f, 0.2f, 0.1f}),
        click,
        conv,
        new long[] {1, 1, 1, 1, 1},
        Map.of());
    List<TaskMetrics> m = h.metrics();
    assertThat(m).extracting(TaskMetrics::task).containsExactly("ctr", "cvr", "ctcvr");
    assertThat(m.get(0).auc()).isEqualTo(1.0);
    // cvr on the 3 clicked rows only; the unclicked 0.99s would otherwise ruin it
    assertThat(m.get(1).rows()).isEqualTo(3);
    assertThat(m.get(1).auc()).isEqualTo(1.0);
    assertThat(m.get(2).rows()).isEqualTo(5);
    assertThat(m.get(2).positives()).isEqualTo(1);
    assertThat(m.get(2).auc()).isEqualTo(1.0);
    assertThat(m.get(0).bayesAuc()).isNaN();
  }

  @Test
  void weightCorrectionRecoversTheProbabilityThatWeightedTrainingInflates() {
    // two feature cells with true click probabilities 0.1 and 0.4; clicked rows weigh 1..5
    java.util.SplittableRandom rng = new java.util.SplittableRandom(5);
    double[] truth = {0.1, 0.4};
    double[] wy = new double[2];
    double[] w = new double[2];
    double[] y = new double[2];
    double[] n = new double[2];
    double posWeight = 0;
    double positives = 0;
    for (int i = 0; i < 200_000; i++) {
      int cell = i % 2;
      boolean click = rng.nextDouble() < truth[cell];
      double weight = click ? 1 + rng.nextInt(5) : 1;
      wy[cell] += click ? weight : 0;
      w[cell] += weight;
      y[cell] += click ? 1 : 0;
      n[cell]++;
      posWeight += click ? weight : 0;
      positives += click ? 1 : 0;
    }
    double k = (posWeight / positives) / 1.0; // negatives all weigh 1
    for (int cell = 0; cell < 2; cell++) {
      double weighted = wy[cell] / w[cell]; // the weighted log-loss minimiser in the cell
      assertThat(weighted).isGreaterThan(truth[cell] * 1.5);
      assertThat(Calibration.weightCorrected(weighted, k))
          .isCloseTo(y[cell] / n[cell], within(0.005));
    }
    assertThat(Calibration.weightCorrected(0.3, 1.0)).isEqualTo(0.3);
    assertThat(Calibration.weightCorrected(new double[] {0.5}, 3.0)[0])
        .isCloseTo(0.25, within(1e-12));
    assertThatThrownBy(() -> Calibration.weightCorrected(0.5, 0.0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void meanCiUsesStudentT() {
    MeanCi ci = MeanCi.of(List.of(1.0, 2.0, 3.0));
    assertThat(ci.mean()).isEqualTo(2.0);
    assertThat(ci.halfWidth()).isCloseTo(4.303 / Math.sqrt(3), within(1e-9));
    assertThat(ci.overlaps(MeanCi.of(List.of(4.0, 4.1, 4.2)))).isTrue();
    assertThat(MeanCi.of(List.of(1.0, 1.01, 1.02)).overlaps(MeanCi.of(List.of(2.0, 2.01, 2.02))))
        .isFalse();
  }
}
