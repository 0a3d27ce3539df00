package io.liverec.pipelines.recall.data;

import java.util.Arrays;
import java.util.BitSet;

/**
 * The rooms known to recall, by dense id {@code 0..size-1}: category, language, tags, multimodal
 * content vector and live schedule.
 *
 * <p>Defaults for missing data (never an exception): a room without a content vector gets {@code
 * null} here and the zero vector from {@link #content(int)} (a model sees "no content signal"); a
 * room without tags gets an empty array; category or language {@code -1} means unknown and matches
 * nothing in the content index.
 */
public final class RoomCatalog {
  private final int[] category;
  private final int[] language;
  private final int[][] tags;
  private final float[][] content;
  private final int contentDim;
  private final long[][] liveStart;
  private final long[][] liveEnd;
  private final int[] followers;

  /**
   * @param category category id per room ({@code -1} unknown)
   * @param language language id per room ({@code -1} unknown)
   * @param tags tag ids per room (null entries become empty)
   * @param content content vector per room (null entries = missing), each of length contentDim
   * @param contentDim width of the content vectors (e.g. 96 = audio 32 + visual 32 + text 32)
   * @param liveStart per room, start times (epoch ms) of its live sessions
   * @param liveEnd per room, end times (epoch ms, exclusive) of its live sessions
   */
  public RoomCatalog(
      int[] category,
      int[] language,
      int[][] tags,
      float[][] content,
      int contentDim,
      long[][] liveStart,
      long[][] liveEnd) {
    int n = category.length;
    if (language.length != n
        || tags.length != n
        || content.length != n
        || liveStart.length != n
        || liveEnd.length != n) {
      throw new IllegalArgumentException("room catalogue columns differ in length");
    }
    this.category = category;
    this.language = language;
    this.tags = new int[n][];
    for (int r = 0; r < n; r++) {
      this.tags[r] = tags[r] == null ? new int[0] : tags[r];
      if (content[r] != null && content[r].length != contentDim) {
        throw new IllegalArgumentException(
            "room "
                + r
                + ": content vector has "
                + content[r].length
                + " values, not "
                + contentDim);
      }
      if ((liveStart[r] == null) != (liveEnd[r] == null)
          || (liveStart[r] != null && liveStart[r].length != liveEnd[r].length)) {
        throw new IllegalArgumentException("room " + r + ": live starts and ends differ");
      }
    }
    this.content = content;
    this.contentDim = contentDim;
    this.liveStart = liveStart;
    this.liveEnd = liveEnd;
    this.followers = new int[n];
  }

  private RoomCatalog(RoomCatalog base, int[] followers) {
    this.category = base.category;
    this.language = base.language;
    this.tags = base.tags;
    this.content = base.content;
    this.contentDim = base.contentDim;
    this.liveStart = base.liveStart;
    this.liveEnd = base.liveEnd;
    this.followers = followers;
  }

  /**
   * The same catalogue with the hosts' follower counts (the popularity a platform observes before
   * any click in the log; 0 = unknown, negative values count as 0).
   */
  public RoomCatalog withFollowers(int[] followerCounts) {
    if (followerCounts.length != size()) {
      throw new IllegalArgumentException(
          followerCounts.length + " follower counts for " + size() + " rooms");
    }
    int[] f = new int[followerCounts.length];
    for (int r = 0; r < f.length; r++) {
      f[r] = Math.max(0, followerCounts[r]);
    }
    return new RoomCatalog(this, f);
  }

  /** Host follower count (0 when unknown). */
  public int followers(int room) {
    return followers[room];
  }

  public int size() {
    return category.length;
  }

  public int category(int room) {
    return category[room];
  }

  public int language(int room) {
    return language[room];
  }

  public int[] tags(int room) {
    return tags[room];
  }

  public int contentDim() {
    return contentDim;
  }

  public boolean hasContent(int room) {
    return content[room] != null;
  }

  /** The room's content vector, or zeros when it has none (documented default). */
  public float[] content(int room) {
    return content[room] != null ? content[room] : new float[contentDim];
  }

  /** True when one of the room's live sessions overlaps {@code [from, to)}. */
  public boolean liveDuring(int room, long from, long to) {
    long[] s = liveStart[room];
    if (s == null) {
      return false;
    }
    long[] e = liveEnd[room];
    for (int i = 0; i < s.length; i++) {
      if (s[i] < to && e[i] > from) {
        return true;
      }
    }
    return false;
  }

  /** The rooms live at instant {@code t} (a serving request). */
  public LiveRooms liveAt(long t) {
    return liveDuring(t, t + 1);
  }

  /** The rooms live at some time in {@code [from, to)} (an evaluation window). */
  public LiveRooms liveDuring(long from, long to) {
    BitSet b = new BitSet(size());
    for (int r = 0; r < size(); r++) {
      if (liveDuring(r, from, to)) {
        b.set(r);
      }
    }
    return new LiveRooms(b, size());
  }

  @Override
  public String toString() {
    return "RoomCatalog[rooms="
        + size()
        + ", contentDim="
        + contentDim
        + ", withContent="
        + Arrays.stream(content).filter(c -> c != null).count()
        + "]";
  }
}
