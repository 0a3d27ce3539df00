package io.liverec.pipelines.recall.twotower;

import java.util.Arrays;

/**
 * Streaming estimate of how often each item is sampled into training, after Yi et al. (RecSys
 * 2019), Algorithm 2: per hash h, A[h(y)] holds the step at which y was last seen and B[h(y)] an
 * exponential moving average of the gap between sightings,
 *
 * <pre>
 *   B ← (1 − α)·B + α·(t − A);   A ← t
 * </pre>
 *
 * and the sampling probability per step is 1/B. LiveRec steps by example (the position of a click
 * in the shuffled stream), so 1/B is the per-example probability and a room clicked several times
 * in one batch is counted each time. With several hash arrays (count-min style) a collision can
 * only shorten a gap, so the estimate takes the largest B. An item never seen gets the probability
 * of one sighting in {@link #UNSEEN_GAP} steps.
 */
public final class FrequencyEstimator {
  /** Gap assumed for an item never seen (a rare item). */
  public static final double UNSEEN_GAP = 1e6;

  private final long[][] lastStep;
  private final double[][] gap;
  private final double alpha;
  private final int buckets;

  /**
   * @param hashes number of hash arrays
   * @param buckets size of each array
   * @param alpha moving-average rate
   */
  public FrequencyEstimator(int hashes, int buckets, double alpha) {
    this.lastStep = new long[hashes][buckets];
    this.gap = new double[hashes][buckets];
    for (long[] a : lastStep) {
      Arrays.fill(a, -1);
    }
    this.alpha = alpha;
    this.buckets = buckets;
  }

  /** Records that {@code item} appeared in the batch of step {@code t} (steps increase). */
  public void update(int item, long t) {
    for (int h = 0; h < lastStep.length; h++) {
      int b = bucket(item, h);
      if (lastStep[h][b] < 0) {
        gap[h][b] = t + 1.0; // first sighting: gap since the start
      } else if (t > lastStep[h][b]) {
        gap[h][b] = (1 - alpha) * gap[h][b] + alpha * (t - lastStep[h][b]);
      }
      lastStep[h][b] = t;
    }
  }

  /** Estimated probability that {@code item} is in a batch, 1/B (max B over hashes). */
  public double probability(int item) {
    double b = 0;
    for (int h = 0; h < lastStep.length; h++) {
      int k = bucket(item, h);
      b = Math.max(b, lastStep[h][k] < 0 ? UNSEEN_GAP : gap[h][k]);
    }
    return 1.0 / Math.max(1.0, b);
  }

  private int bucket(int item, int h) {
    long x = (item + 1L) * 0x9E3779B97F4A7C15L + h * 0xC2B2AE3D27D4EB4FL;
    x ^= (x >>> 31);
    x *= 0xBF58476D1CE4E5B9L;
    x ^= (x >>> 29);
    return (int) Math.floorMod(x, (long) buckets);
  }
}
