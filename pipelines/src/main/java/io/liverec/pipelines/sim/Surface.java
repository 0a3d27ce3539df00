package io.liverec.pipelines.sim;

/** Where a ranked list is shown, with its share of requests and its list length. */
public enum Surface {
  FEED("feed", 0.5, 10),
  LIVE_TAB("live_tab", 0.25, 8),
  SWIPE("swipe", 0.15, 4),
  FOLLOW_FEED("follow_feed", 0.10, 6);

  private final String id;
  private final double share;
  private final int listLength;

  Surface(String id, double share, int listLength) {
    this.id = id;
    this.share = share;
    this.listLength = listLength;
  }

  /** The value logged in {@code impressions.surface}. */
  public String id() {
    return id;
  }

  public double share() {
    return share;
  }

  public int listLength() {
    return listLength;
  }
}
