package io.liverec.pipelines.recall.twotower;

import io.liverec.pipelines.recall.data.Interaction;
import io.liverec.pipelines.recall.data.RecallDataset;
import io.liverec.pipelines.recall.data.RoomCatalog;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a training window into tower rows without looking ahead: a click's user row uses the user's
 * clicks before it, its room row the room's click counts of earlier days.
 *
 * <p>Defaults: a user without history has an all-pad sequence and their profile language (or 0 =
 * unknown); a room without clicks before the serving cutoff gets room id 0 (the "unknown room"
 * embedding, trained through {@link #ROOM_ID_DROPOUT}), zero statistics and, without a content
 * vector, a zero content input.
 */
public final class TwoTowerFeatures {
  /**
   * Fraction of training rows shown as a cold room: room id replaced by 0 and click statistics
   * zeroed (followers and content kept), so the tower learns to score a room from what a new room
   * has (cold-start dropout, after DropoutNet, Volkovs et al. 2017). Without it "no clicks yet"
   * only ever meant "never clicked" in training and new rooms ranked last.
   */
  public static final double ROOM_ID_DROPOUT = 0.1;

  /** Hour a user with no training clicks is served at. */
  public static final int DEFAULT_HOUR = 20;

  private static final long HOUR_MS = 3_600_000L;

  private final RecallDataset train;
  private final TwoTowerConfig config;
  private final long firstDay;
  private final int[][] clicksByDay; // [day - firstDay][room]
  private final int[][] hourCounts;
  private final ContentProjection projection; // null: raw content (or none)

  public TwoTowerFeatures(RecallDataset train, TwoTowerConfig config) {
    this.train = train;
    this.config = config;
    List<Interaction> clicks = train.clicks();
    this.firstDay =
        clicks.isEmpty() ? 0 : Math.floorDiv(clicks.get(0).timestamp(), RecallDataset.DAY_MS);
    long lastDay =
        clicks.isEmpty()
            ? 0
            : Math.floorDiv(clicks.get(clicks.size() - 1).timestamp(), RecallDataset.DAY_MS);
    this.clicksByDay = new int[(int) (lastDay - firstDay + 2)][train.rooms().size()];
    int[][] hours = new int[train.numUsers()][TwoTowerConfig.HOURS];
    for (Interaction c : clicks) {
      clicksByDay[(int) (day(c.timestamp()) - firstDay)][c.room()]++;
      hours[c.user()][hourOf(c.timestamp())]++;
    }
    this.hourCounts = hours;
    if (config.multimodalDim() > 0 && !config.contentThroughMlp()) {
      this.projection = ContentProjection.fit(train.rooms(), 0);
      if (projection.dim() != config.multimodalDim()) {
        throw new IllegalArgumentException(
            "config expects a content input of width "
                + config.multimodalDim()
                + " but the catalogue's content projects on "
                + projection.dim()
                + " axes (build the config with TwoTowerRecall.configFor on the same data)");
      }
    } else {
      this.projection = null;
    }
  }

  /** Precomputed recent-room sequences per click (rooms + 1, newest first, 0-padded). */
  public long[][] sequencesAtClicks() {
    List<Interaction> clicks = train.clicks();
    long[][] out = new long[clicks.size()][];
    Map<Integer, Deque<Integer>> recent = new HashMap<>();
    for (int i = 0; i < clicks.size(); i++) {
      Interaction c = clicks.get(i);
      Deque<Integer> d = recent.computeIfAbsent(c.user(), k -> new ArrayDeque<>());
      out[i] = pad(d.stream().mapToInt(Integer::intValue).toArray());
      d.remove(c.room());
      d.addFirst(c.room());
      while (d.size() > config.seqLength()) {
        d.removeLast();
      }
    }
    return out;
  }

  /** The user row of a request: user id, language, hour, then the profile fields (0 = unknown). */
  public long[] userSparse(int user, int hour) {
    boolean known = user >= 0 && user < train.numUsers();
    int lang = known ? train.userLanguage()[user] : -1;
    int fields = config.profileSizes().size();
    long[] row = new long[3 + fields];
    row[0] = known ? user + 1L : 0L;
    row[1] = lang + 1L;
    row[2] = hour;
    for (int i = 0; i < fields; i++) {
      int v = known ? train.userProfile()[user][i] : -1;
      row[3 + i] = v < config.profileSizes().get(i) ? v + 1L : 0L;
    }
    return row;
  }

  /**
   * The user's training clicks per hour of day, as weights summing to 1 (a user without training
   * clicks: all weight on {@value #DEFAULT_HOUR}).
   */
  public double[] hourWeights(int user) {
    double[] w = new double[TwoTowerConfig.HOURS];
    int total = 0;
    if (user >= 0 && user < hourCounts.length) {
      for (int h = 0; h < w.length; h++) {
        w[h] = hourCounts[user][h];
        total += hourCounts[user][h];
      }
    }
    if (total == 0) {
      w[DEFAULT_HOUR] = 1;
      return w;
    }
    for (int h = 0; h < w.length; h++) {
      w[h] /= total;
    }
    return w;
  }

  /**
   * A user's clicked rooms (oldest first, repeats allowed) as the sequence a request after them
   * carries: distinct rooms, newest first, at most {@code seqLength} — as {@link
   * #sequencesAtClicks} builds them in training.
   */
  public long[] sequenceAfter(int[] clickedOldestFirst) {
    Deque<Integer> d = new ArrayDeque<>();
    for (int room : clickedOldestFirst) {
      d.remove(room);
      d.addFirst(room);
      while (d.size() > config.seqLength()) {
        d.removeLast();
      }
    }
    return pad(d.stream().mapToInt(Integer::intValue).toArray());
  }

  /** Recent rooms (ids, newest first) as a padded sequence of ids + 1. */
  public long[] pad(int[] recentRooms) {
    long[] s = new long[config.seqLength()];
    int j = 0;
    for (int i = 0; i < recentRooms.length && j < s.length; i++) {
      int r = recentRooms[i];
      if (r >= 0 && r < train.rooms().size()) {
        s[j++] = r + 1L;
      }
    }
    return s;
  }

  /** The room id/category/language/tag row; {@code knownId} false gives the unknown id 0. */
  public long[] roomSparse(int room, boolean knownId) {
    RoomCatalog rooms = train.rooms();
    int[] tags = rooms.tags(room);
    return new long[] {
      knownId ? room + 1L : 0L,
      rooms.category(room) + 1L,
      rooms.language(room) + 1L,
      tags.length == 0 ? 0L : tags[0] + 1L
    };
  }

  /**
   * Room statistics as of the start of {@code day}: [log1p prev-day clicks, log1p total clicks,
   * log1p followers].
   */
  public float[] roomDense(int room, long day) {
    int idx = (int) (day - firstDay);
    int prev = idx - 1 >= 0 && idx - 1 < clicksByDay.length ? clicksByDay[idx - 1][room] : 0;
    int total = 0;
    for (int d = 0; d < Math.min(idx, clicksByDay.length); d++) {
      total += clicksByDay[d][room];
    }
    return new float[] {
      (float) Math.log1p(prev),
      (float) Math.log1p(total),
      (float) Math.log1p(train.rooms().followers(room))
    };
  }

  /** Zeroes the click statistics of a dense room row in place (what a new room has). */
  public void asCold(float[] roomDense) {
    roomDense[0] = 0;
    roomDense[1] = 0;
  }

  /**
   * The room's content input: its principal-axis coordinates ({@link ContentProjection}), or the
   * raw content vector when {@link TwoTowerConfig#contentThroughMlp()}; zeros for a room without
   * content, empty when the input is off.
   */
  public float[] multimodal(int room) {
    if (config.multimodalDim() == 0) {
      return new float[0];
    }
    RoomCatalog rooms = train.rooms();
    if (projection == null) {
      return rooms.content(room);
    }
    return projection.project(rooms.hasContent(room) ? rooms.content(room) : null);
  }

  public static long day(long ts) {
    return Math.floorDiv(ts, RecallDataset.DAY_MS);
  }

  public static int hourOf(long ts) {
    return (int) Math.floorMod(ts / HOUR_MS, TwoTowerConfig.HOURS);
  }
}
