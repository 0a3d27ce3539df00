package io.liverec.pipelines.sampling;

import io.liverec.api.v1alpha1.DataSpec;
import io.liverec.pipelines.events.EventSchema;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The sampling logic as SQL text that DuckDB and Spark SQL both run unchanged: validation and
 * quarantine, labels, behaviour weights and the sampling rules. The engines only differ in how they
 * expose the inputs and write the outputs:
 *
 * <ul>
 *   <li>Inputs: views {@code raw_<table>} with exactly the columns of {@link EventSchema} (in
 *       schema order) plus {@code day} (VARCHAR, yyyy-MM-dd) for day-partitioned tables; side
 *       tables {@code raw_users}, {@code raw_rooms}.
 *   <li>{@link #stages()}: named queries the engine materializes in order (temp tables / cached
 *       views).
 *   <li>{@link #samplesQuery()}, {@link #quarantineQuery(EventSchema.Table)} and the report queries
 *       read the stages.
 * </ul>
 *
 * Only constructs both dialects share are used: CASE, COALESCE, window functions with explicit
 * NULLS LAST and ROWS frames, LN, CAST to BIGINT/INT/DOUBLE, inline VALUES. Rules are documented in
 * docs/DATA.md.
 */
public final class SamplingSql {
  /** A named query to materialize. */
  public record Stage(String name, String sql) {}

  static final long DAY_MS = 86_400_000L;
  private static final String KEY = "day, request_id, position, room_id";

  private final SamplingOptions o;
  private final List<String> days;

  public SamplingSql(SamplingOptions options, List<String> days) {
    if (days.isEmpty()) {
      throw new IllegalArgumentException("no days to sample");
    }
    this.o = options;
    this.days = List.copyOf(days);
  }

  public static String rawView(EventSchema.Table t) {
    return "raw_" + t.name();
  }

  public static String flagged(EventSchema.Table t) {
    return t.name() + "_flagged";
  }

  private static String cols(EventSchema.Table t, String alias) {
    return t.columns().stream()
        .map(c -> alias == null ? c.name() : alias + "." + c.name())
        .collect(Collectors.joining(", "));
  }

  private static String keyJoin(String a, String b) {
    return a
        + ".day = "
        + b
        + ".day AND "
        + a
        + ".request_id = "
        + b
        + ".request_id AND "
        + a
        + ".position = "
        + b
        + ".position AND "
        + a
        + ".room_id = "
        + b
        + ".room_id";
  }

  private static String dbl(double v) {
    return "CAST('" + v + "' AS DOUBLE)";
  }

  /** The stages, in dependency order. */
  public List<Stage> stages() {
    List<Stage> s = new ArrayList<>();
    s.add(new Stage("days", daysSql()));
    s.add(new Stage("impressions_base", impressionsBaseSql()));
    s.add(new Stage("impressions_dupkeys", dupKeysSql("impressions_base", "basic_reason", false)));
    s.add(new Stage(flagged(EventSchema.IMPRESSIONS), impressionsSql()));
    s.add(new Stage("clicks_base", clicksBaseSql()));
    s.add(new Stage("clicks_dupkeys", dupKeysSql("clicks_base", "basic_reason", true)));
    s.add(new Stage(flagged(EventSchema.CLICKS), clicksSql()));
    for (EventSchema.Table b : EventSchema.BEHAVIOURS) {
      if (b != EventSchema.CLICKS) {
        s.add(new Stage(flagged(b), behaviourSql(b)));
      }
    }
    s.add(new Stage("behaviours", behavioursSql()));
    s.add(new Stage("labeled", labeledSql()));
    s.add(new Stage("ruled", ruledSql()));
    return s;
  }

  private String daysSql() {
    String rows =
        days.stream()
            .map(
                d ->
                    "('"
                        + d
                        + "', "
                        + LocalDate.parse(d).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli()
                        + ")")
            .collect(Collectors.joining(", "));
    return "SELECT day, CAST(day_start AS BIGINT) AS day_start FROM (VALUES "
        + rows
        + ") AS t(day, day_start)";
  }

  private String impressionsBaseSql() {
    EventSchema.Table t = EventSchema.IMPRESSIONS;
    return "SELECT "
        + cols(t, "i")
        + ", i.day, CASE"
        + " WHEN i.request_id IS NULL OR i.user_id IS NULL OR i.room_id IS NULL THEN 'null_id'"
        + " WHEN i.position IS NULL OR i.position < 0 THEN 'negative_position'"
        + " WHEN i.ts IS NULL OR d.day_start IS NULL OR i.ts < d.day_start"
        + " OR i.ts >= d.day_start + "
        + DAY_MS
        + " THEN 'timestamp_out_of_range' END AS basic_reason"
        + " FROM "
        + rawView(t)
        + " i LEFT JOIN days d ON i.day = d.day";
  }

  /**
   * Keys held by more than one otherwise valid row. Duplicates are rare, so a hash aggregate finds
   * them and only their rows are ranked (a window over every row would sort the whole table).
   */
  private static String dupKeysSql(String base, String reasonCol, boolean withRoom) {
    String key = withRoom ? KEY : "day, request_id, position";
    return "SELECT "
        + key
        + " FROM "
        + base
        + " WHERE "
        + reasonCol
        + " IS NULL GROUP BY "
        + key
        + " HAVING COUNT(*) > 1";
  }

  /**
   * Rows with a basic reason keep it; rows of duplicated keys are ranked by {@code order} and all
   * but the first get {@code dupReason}; every other row is valid.
   */
  private static String flagDuplicates(
      EventSchema.Table t,
      String base,
      String dupKeys,
      boolean withRoom,
      String order,
      String dupReason) {
    String c = cols(t, "b");
    String on =
        "b.day = k.day AND b.request_id = k.request_id AND b.position = k.position"
            + (withRoom ? " AND b.room_id = k.room_id" : "");
    String partition =
        withRoom ? "b.day, b.request_id, b.position, b.room_id" : "b.day, b.request_id, b.position";
    return "SELECT "
        + c
        + ", b.day, b.basic_reason AS reason FROM "
        + base
        + " b WHERE b.basic_reason IS NOT NULL"
        + " UNION ALL SELECT "
        + c
        + ", b.day, CAST(NULL AS STRING) AS reason FROM "
        + base
        + " b LEFT JOIN "
        + dupKeys
        + " k ON "
        + on
        + " WHERE b.basic_reason IS NULL AND k.request_id IS NULL"
        + " UNION ALL SELECT "
        + c
        + ", b.day, CASE WHEN ROW_NUMBER() OVER (PARTITION BY "
        + partition
        + " ORDER BY "
        + order
        + ") > 1 THEN '"
        + dupReason
        + "' END AS reason FROM "
        + base
        + " b JOIN "
        + dupKeys
        + " k ON "
        + on
        + " WHERE b.basic_reason IS NULL";
  }

  private String impressionsSql() {
    return flagDuplicates(
        EventSchema.IMPRESSIONS,
        "impressions_base",
        "impressions_dupkeys",
        false,
        "b.ts NULLS LAST, b.room_id NULLS LAST, b.user_id NULLS LAST",
        "duplicate_impression");
  }

  private String clicksBaseSql() {
    EventSchema.Table t = EventSchema.CLICKS;
    return "SELECT "
        + cols(t, "c")
        + ", c.day, CASE WHEN c.request_id IS NULL OR c.room_id IS NULL OR c.position IS NULL"
        + " THEN 'null_id' WHEN v.request_id IS NULL THEN 'without_impression' END AS basic_reason"
        + " FROM "
        + rawView(t)
        + " c LEFT JOIN (SELECT "
        + KEY
        + " FROM "
        + flagged(EventSchema.IMPRESSIONS)
        + " WHERE reason IS NULL) v ON "
        + keyJoin("c", "v");
  }

  private String clicksSql() {
    return flagDuplicates(
        EventSchema.CLICKS,
        "clicks_base",
        "clicks_dupkeys",
        true,
        "b.ts NULLS LAST, b.user_id NULLS LAST",
        "duplicate_click");
  }

  private String behaviourSql(EventSchema.Table t) {
    return "SELECT "
        + cols(t, null)
        + ", day, CASE WHEN request_id IS NULL OR room_id IS NULL OR position IS NULL THEN 'null_id'"
        + " WHEN has_click = 0 THEN 'without_click' END AS reason FROM ("
        + " SELECT "
        + cols(t, "b")
        + ", b.day, CASE WHEN v.request_id IS NULL THEN 0 ELSE 1 END AS has_click FROM "
        + rawView(t)
        + " b LEFT JOIN (SELECT "
        + KEY
        + " FROM "
        + flagged(EventSchema.CLICKS)
        + " WHERE reason IS NULL) v ON "
        + keyJoin("b", "v")
        + ") x";
  }

  private static String part(
      EventSchema.Table t, String c, String w, String g, String f, String fo, String a) {
    return "SELECT "
        + KEY
        + ", "
        + c
        + " AS c, "
        + w
        + " AS w, "
        + g
        + " AS g, "
        + f
        + " AS f, "
        + fo
        + " AS fo, "
        + a
        + " AS a FROM "
        + flagged(t)
        + " WHERE reason IS NULL";
  }

  /** Valid clicks and behaviours summed per impression key in one hash aggregate. */
  private String behavioursSql() {
    String z = "0";
    return "SELECT "
        + KEY
        + ", CAST(MAX(c) AS INT) AS click, CAST(SUM(w) AS INT) AS watch_seconds,"
        + " CAST(SUM(g) AS INT) AS gift_value, CAST(SUM(f) AS INT) AS flowers,"
        + " CAST(SUM(fo) AS INT) AS follows_n, CAST(SUM(a) AS INT) AS async_views FROM ("
        + part(EventSchema.CLICKS, "1", z, z, z, z, z)
        + " UNION ALL "
        + part(EventSchema.WATCHES, z, "COALESCE(watch_seconds, 0)", z, z, z, z)
        + " UNION ALL "
        + part(EventSchema.GIFTS, z, z, "COALESCE(value, 0)", z, z, z)
        + " UNION ALL "
        + part(EventSchema.FLOWERS, z, z, z, "COALESCE(count, 0)", z, z)
        + " UNION ALL "
        + part(EventSchema.FOLLOWS, z, z, z, z, "1", z)
        + " UNION ALL "
        + part(EventSchema.ASYNC_VIEWS, z, z, z, z, z, "COALESCE(works, 0)")
        + ") u GROUP BY "
        + KEY;
  }

  /**
   * Labels of each valid impression, narrow (keys and labels only): the wide request-time columns
   * are joined back once, for the kept rows, by {@link #samplesQuery()}.
   */
  private String labeledSql() {
    return "SELECT i.day, i.request_id, i.position, i.room_id,"
        + " COALESCE(b.click, 0) AS click,"
        + " COALESCE(b.watch_seconds, 0) AS watch_seconds, COALESCE(b.gift_value, 0) AS gift_value,"
        + " COALESCE(b.flowers, 0) AS flowers, COALESCE(b.follows_n, 0) AS follows_n,"
        + " COALESCE(b.async_views, 0) AS async_views"
        + " FROM "
        + flagged(EventSchema.IMPRESSIONS)
        + " i LEFT JOIN behaviours b ON "
        + keyJoin("i", "b")
        + " WHERE i.reason IS NULL";
  }

  /**
   * The behaviour weight expression (docs/DATA.md): 1 for non-clicks, 1 + Σ wᵢ·fᵢ for clicks. The
   * stage rounds it to 6 decimals: DuckDB's and the JVM's {@code ln} differ in the last bit now and
   * then, and the rounding makes both engines' weights bit-identical.
   */
  String weightExpr() {
    return "CASE WHEN click = 1 THEN CAST('1.0' AS DOUBLE)"
        + " + "
        + dbl(o.giftWeight())
        + " * (CASE WHEN gift_value > 0 THEN CAST('1.0' AS DOUBLE) ELSE CAST('0.0' AS DOUBLE) END)"
        + " + "
        + dbl(o.flowerWeight())
        + " * (CASE WHEN flowers > 0 THEN CAST('1.0' AS DOUBLE) ELSE CAST('0.0' AS DOUBLE) END)"
        + " + "
        + dbl(o.watchWeight())
        + " * LN(CAST(watch_seconds AS DOUBLE) + CAST('1.0' AS DOUBLE))"
        + " + "
        + dbl(o.asyncViewWeight())
        + " * (CASE WHEN async_views > 0 THEN CAST('1.0' AS DOUBLE) ELSE CAST('0.0' AS DOUBLE) END)"
        + " ELSE CAST('1.0' AS DOUBLE) END";
  }

  /** The rule each impression falls under; rules starting with {@code kept} are kept. */
  String ruleExpr() {
    return switch (o.strategy()) {
      case SKIP_ABOVE ->
          "CASE WHEN click = 1 THEN 'kept_click'"
              + " WHEN last_click IS NULL THEN "
              + (o.noClick() == DataSpec.NoClickPolicy.KEEP_TOP_K
                  ? "(CASE WHEN rank_in_request <= "
                      + o.noClickTopK()
                      + " THEN 'kept_no_click_top_k' ELSE 'dropped_no_click' END)"
                  : "'dropped_no_click'")
              + " WHEN position < last_click THEN 'kept_skipped_above'"
              + " ELSE 'dropped_below_last_click' END";
      case CLICK_AROUND ->
          "CASE WHEN click = 1 THEN 'kept_click'"
              + " WHEN last_click IS NULL THEN 'dropped_no_click'"
              + " WHEN (prev_click IS NOT NULL AND position - prev_click <= "
              + o.window()
              + ") OR (next_click IS NOT NULL AND next_click - position <= "
              + o.window()
              + ") THEN 'kept_around_click'"
              + " ELSE 'dropped_outside_window' END";
      case ALL -> "CASE WHEN click = 1 THEN 'kept_click' ELSE 'kept_all' END";
    };
  }

  private String ruledSql() {
    String byRequest = "PARTITION BY day, request_id";
    StringBuilder windows = new StringBuilder();
    windows
        .append(" MAX(CASE WHEN click = 1 THEN position END) OVER (")
        .append(byRequest)
        .append(") AS last_click");
    // only the windows the strategy reads: each ordered window sorts every request
    if (o.strategy() == DataSpec.Strategy.CLICK_AROUND) {
      windows
          .append(", MAX(CASE WHEN click = 1 THEN position END) OVER (")
          .append(byRequest)
          .append(" ORDER BY position ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)")
          .append(" AS prev_click, MIN(CASE WHEN click = 1 THEN position END) OVER (")
          .append(byRequest)
          .append(" ORDER BY position ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING)")
          .append(" AS next_click");
    }
    if (o.strategy() == DataSpec.Strategy.SKIP_ABOVE
        && o.noClick() == DataSpec.NoClickPolicy.KEEP_TOP_K) {
      windows
          .append(", ROW_NUMBER() OVER (")
          .append(byRequest)
          .append(" ORDER BY position) AS rank_in_request");
    }
    return "SELECT l.*,"
        + " CASE WHEN click = 1 AND watch_seconds >= "
        + o.conversionWatchSeconds()
        + " THEN 1 ELSE 0 END AS conversion,"
        + " CASE WHEN gift_value > 0 THEN 1 ELSE 0 END AS gift,"
        + " CASE WHEN follows_n > 0 THEN 1 ELSE 0 END AS follow,"
        + " CAST(CAST(ROUND(("
        + weightExpr()
        + ") * CAST('1000000.0' AS DOUBLE)) AS BIGINT) AS DOUBLE) / CAST('1000000.0' AS DOUBLE)"
        + " AS weight, "
        + ruleExpr()
        + " AS rule FROM (SELECT b.*,"
        + windows
        + " FROM labeled b) l";
  }

  /** The kept impressions with labels, weights and side-table fields (schema: SAMPLES). */
  public String samplesQuery() {
    return "SELECT CAST(i.request_id AS BIGINT) AS request_id, CAST(i.position AS INT) AS position,"
        + " CAST(i.user_id AS BIGINT) AS user_id, CAST(i.room_id AS BIGINT) AS room_id,"
        + " CAST(i.ts AS BIGINT) AS ts, CAST(i.hour AS INT) AS hour, i.surface,"
        + " i.recent_rooms, CAST(i.room_viewers AS INT) AS room_viewers,"
        + " CAST(u.gender AS INT) AS gender, CAST(u.age_bucket AS INT) AS age_bucket,"
        + " CAST(u.city AS INT) AS city, CAST(u.device AS INT) AS device,"
        + " CAST(u.language AS INT) AS user_language,"
        + " CAST(u.spender_level AS INT) AS spender_level,"
        + " CAST(m.host_id AS BIGINT) AS host_id, CAST(m.category AS INT) AS category,"
        + " CAST(m.language AS INT) AS room_language, CAST(m.cover_style AS INT) AS cover_style,"
        + " CAST(m.followers AS INT) AS followers,"
        + " CAST(r.click AS INT) AS click, CAST(r.conversion AS INT) AS conversion,"
        + " CAST(r.gift AS INT) AS gift, CAST(r.watch_seconds AS INT) AS watch_seconds,"
        + " CAST(r.gift_value AS INT) AS gift_value, CAST(r.flowers AS INT) AS flowers,"
        + " CAST(r.follow AS INT) AS follow, CAST(r.async_views AS INT) AS async_views,"
        + " CAST(r.weight AS DOUBLE) AS weight,"
        + " CAST(i.oracle_pctr AS DOUBLE) AS oracle_pctr,"
        + " CAST(i.oracle_pcvr AS DOUBLE) AS oracle_pcvr, r.day"
        + " FROM ruled r JOIN "
        + flagged(EventSchema.IMPRESSIONS)
        + " i ON r.day = i.day AND r.request_id = i.request_id AND r.position = i.position"
        + " AND i.reason IS NULL LEFT JOIN "
        + rawView(EventSchema.USERS)
        + " u ON i.user_id = u.user_id LEFT JOIN "
        + rawView(EventSchema.ROOMS)
        + " m ON i.room_id = m.room_id WHERE r.rule LIKE 'kept%'";
  }

  /** The quarantined rows of one input table: all its columns, {@code reason} and {@code day}. */
  public String quarantineQuery(EventSchema.Table t) {
    return "SELECT "
        + cols(t, null)
        + ", reason, day FROM "
        + flagged(t)
        + " WHERE reason IS NOT NULL";
  }

  /** Tables that can have quarantined rows. */
  public static List<EventSchema.Table> quarantinable() {
    List<EventSchema.Table> l = new ArrayList<>();
    l.add(EventSchema.IMPRESSIONS);
    l.addAll(EventSchema.BEHAVIOURS);
    return l;
  }

  /** Report: per rule, rows, clicks, conversions, gifts, weight sum/min/max. */
  public String ruleCountsQuery() {
    return "SELECT rule, COUNT(*) AS n, CAST(SUM(click) AS BIGINT) AS clicks,"
        + " CAST(SUM(conversion) AS BIGINT) AS conversions, CAST(SUM(gift) AS BIGINT) AS gifts,"
        + " SUM(weight) AS weight_sum, MIN(weight) AS weight_min, MAX(weight) AS weight_max"
        + " FROM ruled GROUP BY rule";
  }

  /** Report: kept rows per integer weight bucket (floor(weight)). */
  public String weightHistogramQuery() {
    return "SELECT CAST(FLOOR(weight) AS BIGINT) AS bucket, COUNT(*) AS n FROM ruled"
        + " WHERE rule LIKE 'kept%' GROUP BY CAST(FLOOR(weight) AS BIGINT)";
  }

  /** Report: quarantined rows per table and reason. */
  public String quarantineCountsQuery() {
    return quarantinable().stream()
        .map(
            t ->
                "SELECT '"
                    + t.name()
                    + "' AS source, reason, COUNT(*) AS n FROM "
                    + flagged(t)
                    + " WHERE reason IS NOT NULL GROUP BY reason")
        .collect(Collectors.joining(" UNION ALL "));
  }

  /** Report: impressions read, and distinct valid requests. */
  public String totalsQuery() {
    return "SELECT (SELECT COUNT(*) FROM "
        + flagged(EventSchema.IMPRESSIONS)
        + ") AS impressions, (SELECT COUNT(*) FROM (SELECT DISTINCT day, request_id FROM "
        + flagged(EventSchema.IMPRESSIONS)
        + " WHERE reason IS NULL) t) AS requests";
  }
}
