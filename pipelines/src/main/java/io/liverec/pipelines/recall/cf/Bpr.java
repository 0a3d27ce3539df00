package io.liverec.pipelines.recall.cf;

import io.liverec.pipelines.recall.Retriever;
import io.liverec.pipelines.recall.TopK;
import io.liverec.pipelines.recall.data.Interaction;
import io.liverec.pipelines.recall.data.LiveRooms;
import io.liverec.pipelines.recall.data.RecallDataset;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Matrix factorisation with Bayesian personalised ranking (Rendle et al. 2009): score(u, i) = b_i +
 * ⟨p_u, q_i⟩, trained by SGD on triples (u, i, j) where (u, i) is a training click (repeats count
 * again) and j a room drawn uniformly that u never clicked; the loss is −log σ(score(u, i) −
 * score(u, j)) with L2 regularisation. Seeded: the same data and seed give the same factors.
 *
 * <p>Retrieval scores every live room for the user's factor; a user without training clicks has p_u
 * = 0 and gets the rooms by bias alone (a learned popularity). A room without training clicks keeps
 * its small random initial factor and zero bias. The user's recent rooms are not used.
 */
public final class Bpr implements Retriever {

  /** Hyper-parameters; {@link #DEFAULT} is what the ablation runs. */
  public record Params(
      int dim, int epochs, double learningRate, double reg, double biasReg, long seed) {
    public Params withSeed(long s) {
      return new Params(dim, epochs, learningRate, reg, biasReg, s);
    }
  }

  public static final Params DEFAULT = new Params(32, 20, 0.05, 0.005, 0.001, 1);

  private final int dim;
  private final float[] user;
  private final float[] room;
  private final float[] bias;
  private final boolean[] trained;

  private Bpr(int dim, float[] user, float[] room, float[] bias, boolean[] trained) {
    this.dim = dim;
    this.user = user;
    this.room = room;
    this.bias = bias;
    this.trained = trained;
  }

  public static Bpr fit(RecallDataset train, Params p) {
    return fit(train.clicks(), train.numUsers(), train.rooms().size(), p);
  }

  public static Bpr fit(List<Interaction> clicks, int numUsers, int numRooms, Params p) {
    if (p.dim() <= 0 || p.epochs() < 0 || numRooms < 2) {
      throw new IllegalArgumentException("bpr: dim > 0, epochs >= 0 and >= 2 rooms needed: " + p);
    }
    Random rnd = new Random(p.seed());
    int d = p.dim();
    float[] pu = new float[numUsers * d];
    float[] qi = new float[numRooms * d];
    float[] b = new float[numRooms];
    for (int x = 0; x < qi.length; x++) {
      qi[x] = (float) (rnd.nextGaussian() * 0.1);
    }
    for (int x = 0; x < pu.length; x++) {
      pu[x] = (float) (rnd.nextGaussian() * 0.1);
    }
    int n = clicks.size();
    int[] us = new int[n];
    int[] is = new int[n];
    Set<Long> seen = new HashSet<>();
    boolean[] trained = new boolean[numUsers];
    for (int x = 0; x < n; x++) {
      us[x] = clicks.get(x).user();
      is[x] = clicks.get(x).room();
      trained[us[x]] = true;
      seen.add((long) us[x] * numRooms + is[x]);
    }
    double lr = p.learningRate();
    float[] diff = new float[d];
    for (int epoch = 0; epoch < p.epochs(); epoch++) {
      for (int step = 0; step < n; step++) {
        int s = rnd.nextInt(n);
        int u = us[s];
        int i = is[s];
        int j = rnd.nextInt(numRooms);
        for (int tries = 0; tries < 10 && seen.contains((long) u * numRooms + j); tries++) {
          j = rnd.nextInt(numRooms);
        }
        if (j == i) {
          continue;
        }
        int ou = u * d;
        int oi = i * d;
        int oj = j * d;
        double xuij = b[i] - b[j];
        for (int f = 0; f < d; f++) {
          diff[f] = qi[oi + f] - qi[oj + f];
          xuij += pu[ou + f] * diff[f];
        }
        double g = 1 / (1 + Math.exp(xuij)); // σ(−x): the gradient of log σ(x)
        for (int f = 0; f < d; f++) {
          float puf = pu[ou + f];
          pu[ou + f] += (float) (lr * (g * diff[f] - p.reg() * puf));
          qi[oi + f] += (float) (lr * (g * puf - p.reg() * qi[oi + f]));
          qi[oj + f] += (float) (lr * (-g * puf - p.reg() * qi[oj + f]));
        }
        b[i] += (float) (lr * (g - p.biasReg() * b[i]));
        b[j] += (float) (lr * (-g - p.biasReg() * b[j]));
      }
    }
    return new Bpr(d, pu, qi, b, trained);
  }

  /** score(u, i) = b_i + ⟨p_u, q_i⟩, with p_u = 0 for a user without training clicks. */
  public double score(int u, int i) {
    double s = bias[i];
    if (u >= 0 && u < trained.length && trained[u]) {
      for (int f = 0; f < dim; f++) {
        s += user[u * dim + f] * room[i * dim + f];
      }
    }
    return s;
  }

  @Override
  public String name() {
    return "mf-bpr";
  }

  @Override
  public int[] retrieve(int u, int[] recentRooms, LiveRooms live, int k) {
    int[] ids = live.ids();
    double[] s = new double[live.numRooms()];
    for (int r : ids) {
      s[r] = score(u, r);
    }
    return TopK.of(ids, s, k);
  }
}
