package io.liverec.pipelines.recall.data;

import io.liverec.api.errors.LiverecException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads what recall needs from an event log in the layout of docs/DATA.md (simulator output or real
 * logs), through embedded DuckDB: {@code rooms.parquet}, {@code users.parquet}, {@code clicks/} and
 * {@code watches/} (for conversions).
 *
 * <p>Mapping: dense ids follow the sorted external ids; room terms are category, language and
 * {@code cover_style} (as the room's only tag — the log has no free tags). The live schedule of a
 * room is its daily window {@code [live_start_hour, +live_hours)} on every log day from its {@code
 * first_day}, a window wrapping past midnight continuing into the next day.
 *
 * <p>Bad input: a missing file or column fails with {@link LiverecException#badInput} naming it. A
 * click on an unknown user or room is counted under {@code unknown_user}/{@code unknown_room} and,
 * when a quarantine directory is given, written there with all its columns plus {@code reason}. A
 * room whose content vectors are missing or not {@value #MODALITY_DIM} wide keeps no content vector
 * (documented default: zeros) and is counted under {@code rooms_without_content}.
 *
 * <p>Size: one class because reading the log is one pass that fills one {@link Loaded}: users, log
 * days, rooms with their live schedules and content, and the clicks all go through one DuckDB
 * connection and share the dense id maps built from users and rooms. The seams are the per-table
 * sections of {@code read} (users, rooms, clicks with their quarantine; profiles already have
 * {@code readProfiles}); they stay inline because each needs the id maps and counters of the
 * others.
 */
public final class EventLogReader {
  static final int MODALITY_DIM = 32;
  static final int MODALITIES = 3;
  private static final long HOUR_MS = 3_600_000L;

  private EventLogReader() {}

  /**
   * The dataset and its id maps.
   *
   * @param roomIds external room id per dense id
   * @param userIds external user id per dense id
   * @param counts bad-row and default counts by reason (e.g. {@code unknown_room})
   * @param days the log's days, ascending
   */
  public record Loaded(
      RecallDataset data,
      long[] roomIds,
      long[] userIds,
      Map<String, Long> counts,
      List<LocalDate> days) {

    /** End of the last day partition (epoch ms, exclusive): where a holdout ends. */
    public long endMs() {
      return days.get(days.size() - 1).plusDays(1).toEpochDay() * RecallDataset.DAY_MS;
    }

    public String summary() {
      return String.format(
          "%d users, %d rooms, %d clicks over %d days (%s..%s); %s",
          data.numUsers(),
          data.rooms().size(),
          data.clicks().size(),
          days.size(),
          days.get(0),
          days.get(days.size() - 1),
          counts);
    }
  }

  /**
   * @param log root of the event log
   * @param conversionWatchSeconds a click converts when its watch lasted at least this long
   * @param quarantineDir where bad click rows go (null = count only)
   */
  public static Loaded read(Path log, int conversionWatchSeconds, Path quarantineDir) {
    Path roomsFile = log.resolve("rooms.parquet");
    Path usersFile = log.resolve("users.parquet");
    Path clicksDir = log.resolve("clicks");
    Path watchesDir = log.resolve("watches");
    for (Path p : List.of(roomsFile, usersFile, clicksDir)) {
      if (!Files.exists(p)) {
        throw LiverecException.badInput(p + " not found: is " + log + " an event log?");
      }
    }
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement()) {
      String rooms = "read_parquet('" + sql(roomsFile) + "')";
      String users = "read_parquet('" + sql(usersFile) + "')";
      String clicks = partitioned(clicksDir);
      requireColumns(
          st,
          rooms,
          roomsFile,
          Set.of(
              "room_id",
              "category",
              "language",
              "cover_style",
              "followers",
              "live_start_hour",
              "live_hours",
              "first_day",
              "audio_vec",
              "visual_vec",
              "text_vec"));
      requireColumns(st, users, usersFile, Set.of("user_id", "language"));
      requireColumns(
          st,
          clicks,
          clicksDir,
          Set.of("request_id", "user_id", "room_id", "position", "ts", "day"));
      boolean hasWatches = Files.isDirectory(watchesDir);
      if (hasWatches) {
        requireColumns(
            st,
            partitioned(watchesDir),
            watchesDir,
            Set.of("request_id", "room_id", "position", "watch_seconds"));
      }
      Map<String, Long> counts = new LinkedHashMap<>();

      // users
      List<Long> userIds = new ArrayList<>();
      List<Integer> userLang = new ArrayList<>();
      try (ResultSet rs =
          st.executeQuery(
              "SELECT user_id, language FROM " + users + " WHERE user_id IS NOT NULL ORDER BY 1")) {
        while (rs.next()) {
          userIds.add(rs.getLong(1));
          int lang = rs.getInt(2);
          userLang.add(rs.wasNull() ? -1 : lang);
        }
      }
      Map<Long, Integer> userIndex = index(userIds);
      int[][] profile = readProfiles(st, users, userIds.size());

      // days of the log
      List<LocalDate> days = new ArrayList<>();
      try (ResultSet rs = st.executeQuery("SELECT DISTINCT day FROM " + clicks + " ORDER BY 1")) {
        while (rs.next()) {
          days.add(LocalDate.parse(rs.getString(1)));
        }
      }
      if (days.isEmpty()) {
        throw LiverecException.badInput(clicksDir + " holds no clicks");
      }

      // rooms
      List<Long> roomIds = new ArrayList<>();
      List<int[]> roomFields = new ArrayList<>();
      List<float[]> content = new ArrayList<>();
      List<long[][]> schedule = new ArrayList<>();
      long withoutContent = 0;
      try (ResultSet rs =
          st.executeQuery(
              "SELECT room_id, category, language, cover_style, live_start_hour, live_hours,"
                  + " first_day, audio_vec, visual_vec, text_vec, followers FROM "
                  + rooms
                  + " WHERE room_id IS NOT NULL ORDER BY 1")) {
        while (rs.next()) {
          roomIds.add(rs.getLong(1));
          roomFields.add(
              new int[] {intOr(rs, 2, -1), intOr(rs, 3, -1), intOr(rs, 4, -1), intOr(rs, 11, 0)});
          float[] vec = contentVector(rs);
          if (vec == null) {
            withoutContent++;
          }
          content.add(vec);
          schedule.add(schedule(intOr(rs, 5, 0), intOr(rs, 6, 0), rs.getString(7), days));
        }
      }
      counts.put("rooms_without_content", withoutContent);
      Map<Long, Integer> roomIndex = index(roomIds);

      // clicks (+ conversion from watches)
      String watchJoin =
          hasWatches
              ? " LEFT JOIN (SELECT request_id, position, room_id, max(watch_seconds) AS ws FROM "
                  + partitioned(watchesDir)
                  + " GROUP BY ALL) w USING (request_id, position, room_id)"
              : " LEFT JOIN (SELECT NULL::BIGINT AS request_id, NULL::INTEGER AS position,"
                  + " NULL::BIGINT AS room_id, NULL::INTEGER AS ws) w"
                  + " USING (request_id, position, room_id)";
      st.execute(
          "CREATE TEMP TABLE c AS SELECT k.*, coalesce(w.ws, 0) AS watch_seconds FROM "
              + clicks
              + " k"
              + watchJoin);
      List<Interaction> out = new ArrayList<>();
      long unknownUser = 0;
      long unknownRoom = 0;
      try (ResultSet rs =
          st.executeQuery("SELECT user_id, room_id, ts, watch_seconds FROM c ORDER BY ts")) {
        while (rs.next()) {
          Integer u = userIndex.get(rs.getLong(1));
          Integer r = roomIndex.get(rs.getLong(2));
          if (u == null) {
            unknownUser++;
          } else if (r == null) {
            unknownRoom++;
          } else {
            out.add(new Interaction(u, r, rs.getLong(3), rs.getInt(4) >= conversionWatchSeconds));
          }
        }
      }
      counts.put("unknown_user", unknownUser);
      counts.put("unknown_room", unknownRoom);
      if (quarantineDir != null && unknownUser + unknownRoom > 0) {
        Files.createDirectories(quarantineDir);
        st.execute("CREATE TEMP TABLE known_users AS SELECT user_id FROM " + users);
        st.execute("CREATE TEMP TABLE known_rooms AS SELECT room_id FROM " + rooms);
        st.execute(
            "COPY (SELECT c.*, CASE WHEN user_id NOT IN (SELECT user_id FROM known_users)"
                + " THEN 'unknown_user' ELSE 'unknown_room' END AS reason FROM c"
                + " WHERE user_id NOT IN (SELECT user_id FROM known_users)"
                + " OR room_id NOT IN (SELECT room_id FROM known_rooms)) TO '"
                + sql(quarantineDir.resolve("recall-clicks.parquet"))
                + "' (FORMAT PARQUET)");
      }

      int n = roomIds.size();
      int[] cat = new int[n];
      int[] lang = new int[n];
      int[][] tags = new int[n][];
      int[] followers = new int[n];
      long[][] start = new long[n][];
      long[][] end = new long[n][];
      for (int r = 0; r < n; r++) {
        cat[r] = roomFields.get(r)[0];
        lang[r] = roomFields.get(r)[1];
        tags[r] = roomFields.get(r)[2] < 0 ? new int[0] : new int[] {roomFields.get(r)[2]};
        followers[r] = roomFields.get(r)[3];
        start[r] = schedule.get(r)[0];
        end[r] = schedule.get(r)[1];
      }
      RoomCatalog catalog =
          new RoomCatalog(
                  cat,
                  lang,
                  tags,
                  content.toArray(new float[0][]),
                  MODALITIES * MODALITY_DIM,
                  start,
                  end)
              .withFollowers(followers);
      RecallDataset data =
          new RecallDataset(
              catalog,
              userIds.size(),
              userLang.stream().mapToInt(Integer::intValue).toArray(),
              profile,
              out);
      return new Loaded(
          data,
          roomIds.stream().mapToLong(Long::longValue).toArray(),
          userIds.stream().mapToLong(Long::longValue).toArray(),
          counts,
          days);
    } catch (SQLException e) {
      throw LiverecException.badInput("cannot read the event log " + log + ": " + e.getMessage());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Daily live windows from {@code firstDay} (and the wrap of the day before it, clipped). */
  static long[][] schedule(int startHour, int hours, String firstDay, List<LocalDate> days) {
    if (hours <= 0) {
      return new long[][] {new long[0], new long[0]};
    }
    LocalDate first = firstDay == null ? days.get(0) : LocalDate.parse(firstDay);
    long firstMs = first.toEpochDay() * RecallDataset.DAY_MS;
    List<long[]> windows = new ArrayList<>();
    for (LocalDate d = days.get(0).minusDays(1);
        !d.isAfter(days.get(days.size() - 1));
        d = d.plusDays(1)) {
      long s = d.toEpochDay() * RecallDataset.DAY_MS + startHour * HOUR_MS;
      long e = s + Math.min(hours, 24) * HOUR_MS;
      s = Math.max(s, firstMs);
      if (e > s) {
        windows.add(new long[] {s, e});
      }
    }
    long[] starts = new long[windows.size()];
    long[] ends = new long[windows.size()];
    for (int i = 0; i < windows.size(); i++) {
      starts[i] = windows.get(i)[0];
      ends[i] = windows.get(i)[1];
    }
    return new long[][] {starts, ends};
  }

  private static float[] contentVector(ResultSet rs) throws SQLException {
    float[] v = new float[MODALITIES * MODALITY_DIM];
    for (int m = 0; m < MODALITIES; m++) {
      java.sql.Array a = rs.getArray(8 + m);
      if (a == null) {
        return null;
      }
      Object[] xs = (Object[]) a.getArray();
      if (xs.length != MODALITY_DIM) {
        return null;
      }
      for (int i = 0; i < MODALITY_DIM; i++) {
        if (!(xs[i] instanceof Number num) || !Float.isFinite(num.floatValue())) {
          return null;
        }
        v[m * MODALITY_DIM + i] = num.floatValue();
      }
    }
    return v;
  }

  private static int intOr(ResultSet rs, int col, int dflt) throws SQLException {
    int v = rs.getInt(col);
    return rs.wasNull() ? dflt : v;
  }

  private static Map<Long, Integer> index(List<Long> ids) {
    Map<Long, Integer> m = new HashMap<>();
    for (int i = 0; i < ids.size(); i++) {
      m.put(ids.get(i), i);
    }
    return m;
  }

  private static String partitioned(Path dir) {
    return "read_parquet('" + sql(dir) + "/*/*.parquet', hive_partitioning = true)";
  }

  /**
   * The optional profile columns ({@link RecallDataset#PROFILE_FIELDS}) per user, in user-id order;
   * a missing column or a null or negative value is unknown (−1).
   */
  private static int[][] readProfiles(java.sql.Statement st, String users, int n)
      throws SQLException {
    int[][] p = RecallDataset.unknownProfiles(n);
    Set<String> present = new java.util.HashSet<>();
    try (ResultSet rs = st.executeQuery("SELECT * FROM " + users + " LIMIT 0")) {
      var md = rs.getMetaData();
      for (int i = 1; i <= md.getColumnCount(); i++) {
        present.add(md.getColumnName(i));
      }
    }
    List<String> fields = RecallDataset.PROFILE_FIELDS;
    StringBuilder cols = new StringBuilder();
    for (String f : fields) {
      cols.append(", ").append(present.contains(f) ? f : "NULL");
    }
    try (ResultSet rs =
        st.executeQuery(
            "SELECT user_id" + cols + " FROM " + users + " WHERE user_id IS NOT NULL ORDER BY 1")) {
      int u = 0;
      while (rs.next() && u < n) {
        for (int f = 0; f < fields.size(); f++) {
          int v = rs.getInt(f + 2);
          p[u][f] = rs.wasNull() || v < 0 ? -1 : v;
        }
        u++;
      }
    }
    return p;
  }

  private static void requireColumns(Statement st, String relation, Path file, Set<String> need)
      throws SQLException {
    Set<String> have = new java.util.HashSet<>();
    try (ResultSet rs = st.executeQuery("DESCRIBE SELECT * FROM " + relation)) {
      while (rs.next()) {
        have.add(rs.getString(1));
      }
    }
    for (String col : need.stream().sorted().toList()) {
      if (!have.contains(col)) {
        throw LiverecException.badInput(file + ": missing column '" + col + "'");
      }
    }
  }

  private static String sql(Path p) {
    return p.toAbsolutePath().toString().replace("'", "''");
  }
}
