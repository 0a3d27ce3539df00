package io.liverec.pipelines.recall.data;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Everything recall trains and evaluates on: the room catalogue, the users (dense ids {@code
 * 0..numUsers-1} with an optional profile language, {@code -1} = unknown, and optional profile
 * fields {@link #PROFILE_FIELDS}, {@code -1} = unknown) and the clicks in time order.
 */
public record RecallDataset(
    RoomCatalog rooms,
    int numUsers,
    int[] userLanguage,
    int[][] userProfile,
    List<Interaction> clicks) {

  public static final long DAY_MS = 86_400_000L;

  /** The user profile columns of {@code users.parquet} read for recall, in row order. */
  public static final List<String> PROFILE_FIELDS =
      List.of("gender", "age_bucket", "city", "device");

  /** A dataset whose users have no profile fields (all unknown). */
  public RecallDataset(
      RoomCatalog rooms, int numUsers, int[] userLanguage, List<Interaction> clicks) {
    this(rooms, numUsers, userLanguage, unknownProfiles(numUsers), clicks);
  }

  /** {@code n} profiles with every field unknown (−1). */
  public static int[][] unknownProfiles(int n) {
    int[][] p = new int[n][PROFILE_FIELDS.size()];
    for (int[] row : p) {
      java.util.Arrays.fill(row, -1);
    }
    return p;
  }

  public RecallDataset {
    if (userLanguage.length != numUsers) {
      throw new IllegalArgumentException(
          "userLanguage has " + userLanguage.length + " entries for " + numUsers + " users");
    }
    if (userProfile.length != numUsers) {
      throw new IllegalArgumentException(
          "userProfile has " + userProfile.length + " rows for " + numUsers + " users");
    }
    for (int[] row : userProfile) {
      if (row.length != PROFILE_FIELDS.size()) {
        throw new IllegalArgumentException(
            "a user profile row has " + row.length + " fields, not " + PROFILE_FIELDS.size());
      }
    }
    List<Interaction> sorted = new ArrayList<>(clicks);
    sorted.sort(Comparator.comparingLong(Interaction::timestamp));
    for (Interaction c : sorted) {
      if (c.user() < 0 || c.user() >= numUsers || c.room() < 0 || c.room() >= rooms.size()) {
        throw new IllegalArgumentException("click out of range: " + c);
      }
    }
    clicks = List.copyOf(sorted);
  }

  /** The same users and rooms with only the clicks before {@code cutoff} (epoch ms). */
  public RecallDataset before(long cutoff) {
    return new RecallDataset(
        rooms,
        numUsers,
        userLanguage,
        userProfile,
        clicks.stream().filter(c -> c.timestamp() < cutoff).toList());
  }

  /**
   * Each user's clicked rooms, oldest first (a room may repeat). Users without clicks get an empty
   * array.
   */
  public int[][] sequences() {
    List<List<Integer>> seq = new ArrayList<>(numUsers);
    for (int u = 0; u < numUsers; u++) {
      seq.add(new ArrayList<>());
    }
    for (Interaction c : clicks) {
      seq.get(c.user()).add(c.room());
    }
    int[][] out = new int[numUsers][];
    for (int u = 0; u < numUsers; u++) {
      out[u] = seq.get(u).stream().mapToInt(Integer::intValue).toArray();
    }
    return out;
  }

  /** Clicks per room. */
  public int[] roomClickCounts() {
    int[] n = new int[rooms.size()];
    for (Interaction c : clicks) {
      n[c.room()]++;
    }
    return n;
  }
}
