package io.liverec.pipelines.featureviews;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.liverec.api.v1alpha1.FeatureView;
import io.liverec.api.v1alpha1.FeatureViewSpec;
import io.liverec.api.v1alpha1.FeatureViewSpec.ValueType;
import io.liverec.pipelines.events.EventSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The time-varying user and room features of an event log as feature-view source tables, derived
 * from the events by their own timestamps: what a feature pipeline would have written while the log
 * was recorded. Each row is a snapshot of one entity over one closed window, stamped with the
 * window's end ({@code event_timestamp}: the first moment the value is known) and the time it was
 * written ({@code created_timestamp}). Training joins them onto its samples point-in-time ({@link
 * TrainingFeatureJoin}), so a sample sees only windows that ended at or before its impression.
 *
 * <ul>
 *   <li>{@value #ROOM_REALTIME} ({@code features/room_realtime.parquet}, ttl 1h): per room and
 *       clock hour, impressions, clicks and watch seconds that happened in that hour.
 *   <li>{@value #USER_ACTIVITY} ({@code features/user_activity.parquet}, ttl 24h): per user and
 *       day, impressions, clicks, watch seconds and gift value of that day.
 * </ul>
 *
 * Next to each table, {@code features/<view>.yaml} declares it as a FeatureView (liverec.io
 * v1alpha1): the definition {@code spec.data.featureViews} names and {@code liverec run -f}
 * registers. Its {@code spec.source.uri} names the table relative to the YAML's directory ({@code
 * room_realtime.parquet}): readers resolve it against that directory ({@code FeatureViewFiles}), so
 * the log directory can be moved or copied as a whole. Windows without any event of an entity have
 * no row (the join then gives null).
 */
public final class FeatureSnapshots {
  public static final String ROOM_REALTIME = "room-realtime";
  public static final String USER_ACTIVITY = "user-activity";

  /** The directory under an event log that holds the tables and their FeatureView YAML. */
  public static final String DIR = "features";

  public static final String EVENT_TIMESTAMP = "event_timestamp";
  public static final String CREATED_TIMESTAMP = "created_timestamp";

  private static final long HOUR_MS = 3_600_000L;
  private static final long DAY_MS = 86_400_000L;

  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));

  private FeatureSnapshots() {}

  /** The directory of {@code log}'s feature tables. */
  public static Path dir(Path log) {
    return log.resolve(DIR);
  }

  /** The FeatureView YAML of view {@code name} under {@code log}. */
  public static Path definition(Path log, String name) {
    return dir(log).resolve(name + ".yaml");
  }

  /**
   * Derives both tables from the log at {@code log} and writes them with their FeatureView YAML
   * under {@code log/features/}; returns the views.
   */
  public static List<FeatureView> write(Path log) {
    Path dir = dir(log);
    List<FeatureView> views = new ArrayList<>();
    try {
      Files.createDirectories(dir);
      try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
          Statement st = c.createStatement()) {
        st.execute("SET TimeZone = 'UTC'");
        views.add(
            writeView(
                st,
                dir,
                ROOM_REALTIME,
                "room_id",
                "1h",
                roomSql(log),
                List.of("room_impressions_1h", "room_clicks_1h", "room_watch_seconds_1h"),
                "Per room and clock hour: what happened in the hour, known at its end."));
        views.add(
            writeView(
                st,
                dir,
                USER_ACTIVITY,
                "user_id",
                "24h",
                userSql(log),
                List.of(
                    "user_impressions_1d",
                    "user_clicks_1d",
                    "user_watch_seconds_1d",
                    "user_gift_value_1d"),
                "Per user and day: the user's activity that day, known at its end."));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("deriving the feature tables of " + log, e);
    } catch (IOException e) {
      throw new UncheckedIOException("writing the feature tables under " + dir, e);
    }
    return views;
  }

  private static FeatureView writeView(
      Statement st,
      Path dir,
      String name,
      String key,
      String ttl,
      String sql,
      List<String> features,
      String description)
      throws SQLException, IOException {
    Path table = dir.resolve(name.replace('-', '_') + ".parquet").toAbsolutePath();
    st.execute(
        "COPY ("
            + sql
            + " ORDER BY "
            + key
            + ", "
            + EVENT_TIMESTAMP
            + ") TO "
            + str(table.toString())
            + " (FORMAT parquet)");
    FeatureViewSpec spec = new FeatureViewSpec();
    spec.entities = new ArrayList<>(List.of(new FeatureViewSpec.Field(key, ValueType.INT64)));
    spec.features = new ArrayList<>();
    for (String f : features) {
      spec.features.add(new FeatureViewSpec.Field(f, ValueType.INT64));
    }
    // relative to the YAML's directory, so the log can move as a whole (FeatureViewFiles resolves)
    spec.source.uri = table.getFileName().toString();
    spec.source.timestampField = EVENT_TIMESTAMP;
    spec.source.createdTimestampField = CREATED_TIMESTAMP;
    spec.ttl = ttl;
    spec.online = true;
    spec.tags.put("liverec.io/derived-from", "event log");
    spec.tags.put("description", description);
    FeatureView view = new FeatureView();
    view.setMetadata(new ObjectMetaBuilder().withName(name).build());
    view.setSpec(spec);
    YAML.writeValue(dir.resolve(name + ".yaml").toFile(), view);
    return view;
  }

  private static String table(Path log, EventSchema.Table t) {
    return "read_parquet("
        + str(log.resolve(t.name()).toAbsolutePath() + "/**/*.parquet")
        + ", hive_partitioning = false)";
  }

  /** Per (room, hour) by each event's own timestamp, stamped with the hour's end. */
  private static String roomSql(Path log) {
    return window(
        log,
        "room_id",
        HOUR_MS,
        "room_impressions_1h",
        "room_clicks_1h",
        "room_watch_seconds_1h",
        null);
  }

  /** Per (user, day) by each event's own timestamp, stamped with the day's end. */
  private static String userSql(Path log) {
    return window(
        log,
        "user_id",
        DAY_MS,
        "user_impressions_1d",
        "user_clicks_1d",
        "user_watch_seconds_1d",
        "user_gift_value_1d");
  }

  /**
   * Counts per (key, window) over impressions, clicks, watches and (when {@code gifts} names a
   * column) gifts, each event placed in the window its own {@code ts} falls into: a click a second
   * after midnight belongs to the next day, whatever day its impression was.
   */
  private static String window(
      Path log, String key, long width, String imps, String clicks, String watch, String gifts) {
    String w = "CAST(floor(ts / " + width + ") AS BIGINT)";
    StringBuilder u = new StringBuilder();
    u.append("SELECT ")
        .append(key)
        .append(", ")
        .append(w)
        .append(" AS w, 1 AS i, 0 AS c, 0 AS s, 0 AS g FROM ")
        .append(table(log, EventSchema.IMPRESSIONS));
    u.append(" UNION ALL SELECT ")
        .append(key)
        .append(", ")
        .append(w)
        .append(" AS w, 0, 1, 0, 0 FROM ")
        .append(table(log, EventSchema.CLICKS));
    u.append(" UNION ALL SELECT ")
        .append(key)
        .append(", ")
        .append(w)
        .append(" AS w, 0, 0, coalesce(watch_seconds, 0), 0 FROM ")
        .append(table(log, EventSchema.WATCHES));
    if (gifts != null) {
      u.append(" UNION ALL SELECT ")
          .append(key)
          .append(", ")
          .append(w)
          .append(" AS w, 0, 0, 0, coalesce(value, 0) FROM ")
          .append(table(log, EventSchema.GIFTS));
    }
    String end = "epoch_ms((w + 1) * " + width + ")";
    return "SELECT CAST("
        + key
        + " AS BIGINT) AS "
        + key
        + ", "
        + end
        + " AS "
        + EVENT_TIMESTAMP
        + ", "
        + end
        + " AS "
        + CREATED_TIMESTAMP
        + ", CAST(sum(i) AS BIGINT) AS "
        + imps
        + ", CAST(sum(c) AS BIGINT) AS "
        + clicks
        + ", CAST(sum(s) AS BIGINT) AS "
        + watch
        + (gifts == null ? "" : ", CAST(sum(g) AS BIGINT) AS " + gifts)
        + " FROM ("
        + u
        + ") e WHERE "
        + key
        + " IS NOT NULL AND w IS NOT NULL GROUP BY "
        + key
        + ", w";
  }

  private static String str(String s) {
    return "'" + s.replace("'", "''") + "'";
  }
}
