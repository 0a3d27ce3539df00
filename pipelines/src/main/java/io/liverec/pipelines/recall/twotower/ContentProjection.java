package io.liverec.pipelines.recall.twotower;

import io.liverec.pipelines.recall.data.RoomCatalog;
import java.util.Arrays;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.RealVector;

/**
 * Principal-component projection of the rooms' content vectors, whitened: a room's content becomes
 * its coordinates on the k leading principal axes, each divided by the axis' standard deviation.
 *
 * <p>Why: the room tower sees a few hundred distinct training rooms many times over, and a raw
 * 96-wide content vector is a unique fingerprint of each of them. The tower then learns each
 * training room's popularity and placement from that fingerprint, which for a room it has never
 * seen is noise (measured in docs/RECALL.md: per-room random vectors in place of content lower
 * cold-room recall as much as the real content did). Keeping only the axes whose variance stands
 * above the average (Kaiser's rule) keeps the shared structure of the content and drops the
 * per-room remainder.
 *
 * <p>Fitted without labels on every room of the catalogue that has a content vector (new rooms
 * included: their content is known when they are registered). A room without content projects to
 * the zero vector (the catalogue's "no content signal" default).
 */
public final class ContentProjection {
  private final float[] mean;
  private final float[][] axes; // [k][dim], each divided by the axis' standard deviation

  private ContentProjection(float[] mean, float[][] axes) {
    this.mean = mean;
    this.axes = axes;
  }

  /**
   * True when at least two rooms of the catalogue have a content vector (what {@link #fit} needs).
   */
  public static boolean canFit(RoomCatalog rooms) {
    if (rooms.contentDim() == 0) {
      return false;
    }
    int n = 0;
    for (int r = 0; r < rooms.size() && n < 2; r++) {
      n += rooms.hasContent(r) ? 1 : 0;
    }
    return n >= 2;
  }

  /**
   * Fits on the catalogue's content vectors; {@code k <= 0} keeps the axes whose eigenvalue exceeds
   * the mean eigenvalue (at least one).
   *
   * @throws IllegalArgumentException when fewer than two rooms have content
   */
  public static ContentProjection fit(RoomCatalog rooms, int k) {
    int dim = rooms.contentDim();
    int n = 0;
    double[] mu = new double[dim];
    for (int r = 0; r < rooms.size(); r++) {
      if (rooms.hasContent(r)) {
        float[] x = rooms.content(r);
        for (int i = 0; i < dim; i++) {
          mu[i] += x[i];
        }
        n++;
      }
    }
    if (n < 2 || dim == 0) {
      throw new IllegalArgumentException(
          "content projection needs at least two rooms with content vectors, got " + n);
    }
    for (int i = 0; i < dim; i++) {
      mu[i] /= n;
    }
    double[][] cov = new double[dim][dim];
    double[] c = new double[dim];
    for (int r = 0; r < rooms.size(); r++) {
      if (!rooms.hasContent(r)) {
        continue;
      }
      float[] x = rooms.content(r);
      for (int i = 0; i < dim; i++) {
        c[i] = x[i] - mu[i];
      }
      for (int i = 0; i < dim; i++) {
        for (int j = i; j < dim; j++) {
          cov[i][j] += c[i] * c[j];
        }
      }
    }
    for (int i = 0; i < dim; i++) {
      for (int j = i; j < dim; j++) {
        cov[i][j] /= n - 1;
        cov[j][i] = cov[i][j];
      }
    }
    RealMatrix m = new Array2DRowRealMatrix(cov, false);
    EigenDecomposition eig = new EigenDecomposition(m);
    double[] values = eig.getRealEigenvalues();
    Integer[] order = new Integer[dim];
    for (int i = 0; i < dim; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(values[b], values[a]));
    int keep = k;
    if (keep <= 0) {
      double avg = Arrays.stream(values).average().orElse(0);
      keep = 0;
      for (int i = 0; i < dim; i++) {
        keep += values[i] > avg ? 1 : 0;
      }
      keep = Math.max(1, keep);
    }
    keep = Math.min(keep, dim);
    float[][] axes = new float[keep][dim];
    for (int a = 0; a < keep; a++) {
      int idx = order[a];
      RealVector v = eig.getEigenvector(idx);
      double sd = Math.sqrt(Math.max(values[idx], 1e-12));
      for (int i = 0; i < dim; i++) {
        axes[a][i] = (float) (v.getEntry(i) / sd);
      }
    }
    float[] meanF = new float[dim];
    for (int i = 0; i < dim; i++) {
      meanF[i] = (float) mu[i];
    }
    return new ContentProjection(meanF, axes);
  }

  /** Number of kept axes (the width of {@link #project}). */
  public int dim() {
    return axes.length;
  }

  /** The whitened coordinates of a content vector; null (no content) gives zeros. */
  public float[] project(float[] content) {
    float[] out = new float[axes.length];
    if (content == null) {
      return out;
    }
    if (content.length != mean.length) {
      throw new IllegalArgumentException(
          "content vector has " + content.length + " values, expected " + mean.length);
    }
    for (int a = 0; a < axes.length; a++) {
      double s = 0;
      for (int i = 0; i < mean.length; i++) {
        s += (content[i] - mean[i]) * axes[a][i];
      }
      out[a] = (float) s;
    }
    return out;
  }
}
