package io.liverec.pipelines.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Room content vectors carry the room's hidden taste (what cold-room recall relies on). */
class MultimodalVectorsTest {

  private static double cosine(double[] a, double[] b) {
    double ab = 0;
    double aa = 0;
    double bb = 0;
    for (int i = 0; i < a.length; i++) {
      ab += a[i] * b[i];
      aa += a[i] * a[i];
      bb += b[i] * b[i];
    }
    return ab / Math.sqrt(aa * bb);
  }

  private static double correlation(double[] x, double[] y) {
    double mx = 0;
    double my = 0;
    for (int i = 0; i < x.length; i++) {
      mx += x[i] / x.length;
      my += y[i] / y.length;
    }
    double sxy = 0;
    double sxx = 0;
    double syy = 0;
    for (int i = 0; i < x.length; i++) {
      sxy += (x[i] - mx) * (y[i] - my);
      sxx += (x[i] - mx) * (x[i] - mx);
      syy += (y[i] - my) * (y[i] - my);
    }
    return sxy / Math.sqrt(sxx * syy);
  }

  private static double tasteContentAgreement(double signal) {
    SimulatorConfig cfg = new SimulatorConfig();
    cfg.rooms = 200;
    cfg.users = 10;
    cfg.multimodalSignal = signal;
    World w = new World(cfg);
    int pairs = cfg.rooms * (cfg.rooms - 1) / 2;
    double[] content = new double[pairs];
    double[] taste = new double[pairs];
    int n = 0;
    for (int i = 0; i < cfg.rooms; i++) {
      double[] ci = toDouble(w.content[i]);
      for (int j = i + 1; j < cfg.rooms; j++) {
        content[n] = cosine(ci, toDouble(w.content[j]));
        taste[n] = cosine(w.roomTaste[i], w.roomTaste[j]);
        n++;
      }
    }
    return correlation(content, taste);
  }

  private static double[] toDouble(float[] f) {
    double[] d = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      d[i] = f[i];
    }
    return d;
  }

  @Test
  void similarContentMeansSimilarTasteAndTheSignalKnobControlsIt() {
    double strong = tasteContentAgreement(0.7);
    double none = tasteContentAgreement(0.0);
    System.out.printf(
        "corr(content cosine, taste cosine): signal 0.7 -> %.3f, 0 -> %.3f%n", strong, none);
    assertThat(strong).isGreaterThan(0.5);
    assertThat(Math.abs(none)).isLessThan(0.1);
  }
}
