package io.liverec.pipelines.sim;

import java.util.SplittableRandom;

/**
 * The random effect tables of {@link PlantedEffects}: Gaussian two-way tables and third-order
 * tables with no first- or second-order part, each drawn from the simulator's one generator in the
 * order the caller asks (so the draws, and the simulated log, depend only on that order).
 */
final class EffectTables {
  private EffectTables() {}

  static double[][] table(SplittableRandom rng, int a, int b) {
    double[][] t = new double[a][b];
    for (double[] row : t) {
      for (int j = 0; j < b; j++) {
        row[j] = World.gaussian(rng);
      }
    }
    return t;
  }

  /** Pure (rank ≤ 0) or low-rank third-order table. */
  static double[][][] threeWay(SplittableRandom rng, int rank, int a, int b, int c) {
    return rank <= 0 ? pureThreeWay(rng, a, b, c) : lowRankThreeWay(rng, rank, a, b, c);
  }

  /**
   * Σ over {@code rank} terms of x(i)·y(j)·z(k) with zero-mean random vectors x, y, z: every main
   * effect and two-way marginal is zero (averaging any one index out averages a zero-mean vector),
   * scaled to unit standard deviation.
   */
  static double[][][] lowRankThreeWay(SplittableRandom rng, int rank, int a, int b, int c) {
    double[][][] t = new double[a][b][c];
    for (int r = 0; r < rank; r++) {
      double[] x = zeroMean(rng, a);
      double[] y = zeroMean(rng, b);
      double[] z = zeroMean(rng, c);
      for (int i = 0; i < a; i++) {
        for (int j = 0; j < b; j++) {
          for (int k = 0; k < c; k++) {
            t[i][j][k] += x[i] * y[j] * z[k];
          }
        }
      }
    }
    return unitSd(t);
  }

  private static double[] zeroMean(SplittableRandom rng, int n) {
    double[] v = new double[n];
    double mean = 0;
    for (int i = 0; i < n; i++) {
      v[i] = World.gaussian(rng);
      mean += v[i] / n;
    }
    for (int i = 0; i < n; i++) {
      v[i] -= mean;
    }
    return v;
  }

  private static double[][][] unitSd(double[][][] t) {
    double ss = 0;
    long n = 0;
    for (double[][] m : t) {
      for (double[] row : m) {
        for (double v : row) {
          ss += v * v;
          n++;
        }
      }
    }
    double sd = Math.sqrt(ss / n);
    for (double[][] m : t) {
      for (double[] row : m) {
        for (int z = 0; z < row.length; z++) {
          row[z] /= sd;
        }
      }
    }
    return t;
  }

  /**
   * A random a×b×c table with every main effect and every two-way marginal removed (so no first- or
   * second-order model can represent it), scaled to unit standard deviation.
   */
  static double[][][] pureThreeWay(SplittableRandom rng, int a, int b, int c) {
    double[][][] t = new double[a][b][c];
    for (double[][] m : t) {
      for (double[] row : m) {
        for (int z = 0; z < c; z++) {
          row[z] = World.gaussian(rng);
        }
      }
    }
    double[][] ab = new double[a][b];
    double[][] ac = new double[a][c];
    double[][] bc = new double[b][c];
    double[] ma = new double[a];
    double[] mb = new double[b];
    double[] mc = new double[c];
    double all = 0;
    for (int x = 0; x < a; x++) {
      for (int y = 0; y < b; y++) {
        for (int z = 0; z < c; z++) {
          double v = t[x][y][z];
          ab[x][y] += v / c;
          ac[x][z] += v / b;
          bc[y][z] += v / a;
          ma[x] += v / (b * c);
          mb[y] += v / (a * c);
          mc[z] += v / (a * b);
          all += v / (a * b * c);
        }
      }
    }
    for (int x = 0; x < a; x++) {
      for (int y = 0; y < b; y++) {
        for (int z = 0; z < c; z++) {
          t[x][y][z] += -ab[x][y] - ac[x][z] - bc[y][z] + ma[x] + mb[y] + mc[z] - all;
        }
      }
    }
    return unitSd(t);
  }
}
