package io.liverec.pipelines.recall.data;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Time-based split: the last {@code holdoutDays} whole days (UTC) are the test window, everything
 * before is training. One evaluation request per user who clicked in the test window: ground truth
 * is the set of rooms they clicked there (or converted on, with {@code conversionsOnly}); the
 * request's live filter is "live at some time in the test window"; its trigger rooms are the user's
 * most recent training clicks.
 *
 * @param train the dataset restricted to clicks before {@link #cutoff}
 * @param cutoff start of the test window (epoch ms)
 * @param end end of the test window (exclusive)
 * @param requests the evaluation requests
 * @param coldRooms rooms with no click before the cutoff
 * @param live rooms live during the test window
 */
public record HoldoutSplit(
    RecallDataset train,
    long cutoff,
    long end,
    List<Request> requests,
    BitSet coldRooms,
    LiveRooms live) {

  /** Number of most recent training clicks handed to retrievers as triggers. */
  public static final int DEFAULT_TRIGGERS = 20;

  /** One evaluation request: the user, their recent rooms (newest first) and the truth. */
  public record Request(int user, int[] recentRooms, Set<Integer> truth) {}

  /** The split with the log's end taken as the end of the UTC day of the last click. */
  public static HoldoutSplit lastDays(
      RecallDataset data, int holdoutDays, boolean conversionsOnly) {
    if (data.clicks().isEmpty()) {
      throw new IllegalArgumentException("no clicks: nothing to split");
    }
    long last = data.clicks().get(data.clicks().size() - 1).timestamp();
    long end =
        Math.floorDiv(last, RecallDataset.DAY_MS) * RecallDataset.DAY_MS + RecallDataset.DAY_MS;
    return lastDays(data, holdoutDays, conversionsOnly, end);
  }

  /**
   * The split with an explicit end of the log (exclusive, epoch ms; e.g. the end of the last day
   * partition). Clicks at or after {@code end} (a behaviour a few seconds past midnight, filed
   * under its request's day) still count as holdout truth.
   */
  public static HoldoutSplit lastDays(
      RecallDataset data, int holdoutDays, boolean conversionsOnly, long end) {
    if (holdoutDays < 1) {
      throw new IllegalArgumentException("holdoutDays must be >= 1, got " + holdoutDays);
    }
    long cutoff = end - holdoutDays * RecallDataset.DAY_MS;
    RecallDataset train = data.before(cutoff);
    int[][] seq = train.sequences();
    List<Set<Integer>> truth = new ArrayList<>();
    for (int u = 0; u < data.numUsers(); u++) {
      truth.add(new LinkedHashSet<>());
    }
    for (Interaction c : data.clicks()) {
      if (c.timestamp() >= cutoff && (!conversionsOnly || c.converted())) {
        truth.get(c.user()).add(c.room());
      }
    }
    List<Request> requests = new ArrayList<>();
    for (int u = 0; u < data.numUsers(); u++) {
      if (!truth.get(u).isEmpty()) {
        requests.add(new Request(u, recent(seq[u], DEFAULT_TRIGGERS), Set.copyOf(truth.get(u))));
      }
    }
    BitSet cold = new BitSet(data.rooms().size());
    cold.set(0, data.rooms().size());
    for (Interaction c : train.clicks()) {
      cold.clear(c.room());
    }
    return new HoldoutSplit(
        train, cutoff, end, requests, cold, data.rooms().liveDuring(cutoff, end));
  }

  /** The last {@code n} distinct rooms of a click sequence, newest first. */
  static int[] recent(int[] sequence, int n) {
    LinkedHashSet<Integer> out = new LinkedHashSet<>();
    for (int i = sequence.length - 1; i >= 0 && out.size() < n; i--) {
      out.add(sequence[i]);
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }
}
