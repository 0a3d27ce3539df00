package io.liverec.pipelines.recall.twotower;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.liverec.pipelines.recall.data.RoomCatalog;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ContentProjectionTest {
  static final int DIM = 20;
  static final int RANK = 3;

  /** Rooms whose content is a rank-3 signal (unit variance per factor) plus small noise. */
  static double[][] loadings() {
    Random rnd = new Random(99);
    double[][] load = new double[DIM][RANK];
    for (double[] row : load) {
      for (int k = 0; k < RANK; k++) {
        row[k] = rnd.nextGaussian();
      }
    }
    return load;
  }

  static RoomCatalog planted(int n, long seed, boolean lastWithoutContent) {
    Random rnd = new Random(seed);
    double[][] load = loadings();
    float[][] content = new float[n][];
    for (int r = 0; r < n; r++) {
      if (lastWithoutContent && r == n - 1) {
        continue;
      }
      double[] z = new double[RANK];
      for (int k = 0; k < RANK; k++) {
        z[k] = rnd.nextGaussian();
      }
      content[r] = new float[DIM];
      for (int i = 0; i < DIM; i++) {
        double x = 3.0;
        for (int k = 0; k < RANK; k++) {
          x += load[i][k] * z[k];
        }
        content[r][i] = (float) (x + 0.1 * rnd.nextGaussian());
      }
    }
    return new RoomCatalog(
        new int[n], new int[n], new int[n][], content, DIM, new long[n][0], new long[n][0]);
  }

  @Test
  void keepsThePlantedAxesAndWhitensThem() {
    RoomCatalog rooms = planted(400, 1, false);
    ContentProjection p = ContentProjection.fit(rooms, 0);
    assertThat(p.dim()).isEqualTo(RANK);
    double[] mean = new double[RANK];
    double[][] cov = new double[RANK][RANK];
    float[][] y = new float[rooms.size()][];
    for (int r = 0; r < rooms.size(); r++) {
      y[r] = p.project(rooms.content(r));
      for (int a = 0; a < RANK; a++) {
        mean[a] += y[r][a] / rooms.size();
      }
    }
    for (float[] v : y) {
      for (int a = 0; a < RANK; a++) {
        for (int b = 0; b < RANK; b++) {
          cov[a][b] += (v[a] - mean[a]) * (v[b] - mean[b]) / (rooms.size() - 1);
        }
      }
    }
    for (int a = 0; a < RANK; a++) {
      assertThat(mean[a]).isCloseTo(0, within(1e-4));
      for (int b = 0; b < RANK; b++) {
        assertThat(cov[a][b]).isCloseTo(a == b ? 1 : 0, within(1e-3));
      }
    }
  }

  @Test
  void contentOffThePlantedAxesIsDropped() {
    RoomCatalog rooms = planted(400, 2, false);
    ContentProjection p = ContentProjection.fit(rooms, 0);
    double[][] load = loadings();
    // a unit step inside the planted subspace (first factor's loading) and one orthogonal to it
    double[] inside = new double[DIM];
    for (int i = 0; i < DIM; i++) {
      inside[i] = load[i][0];
    }
    double[] off = new double[DIM];
    Random rnd = new Random(3);
    for (int i = 0; i < DIM; i++) {
      off[i] = rnd.nextGaussian();
    }
    // Gram-Schmidt: remove the span of the loadings from the random step
    double[][] basis = new double[RANK][];
    for (int k = 0; k < RANK; k++) {
      double[] v = new double[DIM];
      for (int i = 0; i < DIM; i++) {
        v[i] = load[i][k];
      }
      for (int j = 0; j < k; j++) {
        subtract(v, basis[j]);
      }
      basis[k] = unit(v);
    }
    for (double[] b : basis) {
      subtract(off, b);
    }
    double inShift = shift(p, rooms.content(7), unit(inside));
    double offShift = shift(p, rooms.content(7), unit(off));
    assertThat(inShift).isGreaterThan(0.1);
    assertThat(offShift).isLessThan(inShift / 20);
  }

  /** Length of the change of the projection when {@code x} moves by {@code step}. */
  private static double shift(ContentProjection p, float[] x, double[] step) {
    float[] moved = x.clone();
    for (int i = 0; i < x.length; i++) {
      moved[i] += (float) step[i];
    }
    float[] a = p.project(x);
    float[] b = p.project(moved);
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (a[i] - b[i]) * (a[i] - b[i]);
    }
    return Math.sqrt(s);
  }

  /** Removes from {@code v} its component along the unit vector {@code b}. */
  private static void subtract(double[] v, double[] b) {
    double dot = 0;
    for (int i = 0; i < v.length; i++) {
      dot += v[i] * b[i];
    }
    for (int i = 0; i < v.length; i++) {
      v[i] -= dot * b[i];
    }
  }

  private static double[] unit(double[] v) {
    double n = 0;
    for (double x : v) {
      n += x * x;
    }
    double[] out = v.clone();
    for (int i = 0; i < out.length; i++) {
      out[i] /= Math.sqrt(n);
    }
    return out;
  }

  @Test
  void fixedWidthAndDefaults() {
    RoomCatalog rooms = planted(50, 4, true);
    ContentProjection p = ContentProjection.fit(rooms, 2);
    assertThat(p.dim()).isEqualTo(2);
    assertThat(p.project(null)).containsExactly(0f, 0f);
    assertThatThrownBy(() -> p.project(new float[3]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected 20");
  }

  @Test
  void tooFewRoomsWithContentIsAClearError() {
    RoomCatalog one = planted(2, 5, true);
    assertThat(ContentProjection.canFit(one)).isFalse();
    assertThatThrownBy(() -> ContentProjection.fit(one, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least two rooms");
    assertThat(ContentProjection.canFit(planted(3, 5, true))).isTrue();
  }
}
