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
 *       tables {@code raw_users}, {@code raw_rooms}. {@code raw_impressions} also has {@link
 *       #ROW_ID} (BIGINT), unique per row in the run and stable between two reads of the view (file
 *       index · 2⁴⁰ + row number in the file): the validation, label and rule stages carry only
 *       narrow key columns and that id, and the wide request-time columns are read once, for the
 *       kept rows, by {@link #samplesQuery()}.
 *   <li>{@link #stages()}: named queries the engine materializes in order (temp tables / cached
 *       views).
 *   <li>{@link #samplesQuery()}, {@link #quarantineQuery(EventSchema.Table)} and the report queries
 *       read the stages.
 * </ul>
 *
 * Only constructs both dialects share are used: CASE, COALESCE, window functions with explicit
 * NULLS LAST and ROWS frames, LN, CAST to BIGINT/INT/DOUBLE, inline VALUES. Rules are documented in
 * docs/DATA.md.
 *
 * <p>Size: one class because it is one query plan that DuckDB and Spark both run unchanged: the
 * stages refer to each other's table names and share the key and option helpers, and keeping the
 * whole plan in one file is what lets it be checked against docs/DATA.md stage by stage. The seams
 * are validation and quarantine, labels and weights with the rules, and the report queries; they
 * are not cut because every part depends on the same options and stage names.
 */
public final class SamplingSql {
  /** A named query to materialize. */
  public record Stage(String name, String sql) {}

  static final long DAY_MS = 86_400_000L;

  /** The row id column of {@code raw_impressions}. */
  public static final String ROW_ID = "_rid";

  /** A file's row ids start at its index times this (files are far below 2⁴⁰ rows). */
  public static final long FILE_ROW_ID_STRIDE = 1L << 40;

  private final SamplingOptions o;
  private final List<String> days;

  /**
   * Prefix of every key: {@code day} is part of each key when several days are sampled together;
   * with one day it is constant and left out (joins and aggregates on fewer columns are cheaper).
   */
  private final String dayKey;

  /** The impression key that behaviours point at. */
  private final String key;

  public SamplingSql(SamplingOptions options, List<String> days) {
    if (days.isEmpty()) {
      throw new IllegalArgumentException("no days to sample");
    }
    this.o = options;
    this.days = List.copyOf(days);
    this.dayKey = this.days.size() > 1 ? "day, " : "";
    this.key = dayKey + "request_id, position, room_id";
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

  /** {@code a.k = b.k AND …} over the columns of a key (given without aliases). */
  private static String on(String a, String b, String keyCols) {
    return java.util.Arrays.stream(keyCols.split(", "))
        .map(c -> a + "." + c + " = " + b + "." + c)
        .collect(Collectors.joining(" AND "));
  }

  /** {@code a.k, …} over the columns of a key. */
  private static String qualified(String a, String keyCols) {
    return java.util.Arrays.stream(keyCols.split(", "))
        .map(c -> a + "." + c)
        .collect(Collectors.joining(", "));
  }

  private String keyJoin(String a, String b) {
    return on(a, b, key);
  }

  private static String dbl(double v) {
    return "CAST('" + v + "' AS DOUBLE)";
  }

  /** The stages, in dependency order. */
  public List<Stage> stages() {
    List<Stage> s = new ArrayList<>();
    if (days.size() > 1) {
      s.add(new Stage("days", daysSql()));
    }
    s.add(new Stage("impressions_base", impressionsBaseSql()));
    s.add(new Stage("impressions_requests", requestsSql()));
    s.add(new Stage("impressions_dupkeys", impressionDupKeysSql()));
    s.add(new Stage(flagged(EventSchema.IMPRESSIONS), impressionsSql()));
    s.add(new Stage("clicks_base", clicksBaseSql()));
    s.add(new Stage("clicks_dupkeys", dupKeysSql("clicks_base", key)));
    s.add(new Stage(flagged(EventSchema.CLICKS), clicksSql()));
    for (EventSchema.Table b : EventSchema.BEHAVIOURS) {
      if (b != EventSchema.CLICKS) {
        s.add(new Stage(flagged(b), behaviourSql(b)));
      }
    }
    s.add(new Stage("behaviours", behavioursSql()));
    s.add(new Stage("last_clicks", lastClicksSql()));
    s.add(new Stage("ruled", ruledSql()));
    return s;
  }

  private String daysSql() {
    String rows =
        days.stream()
            .map(d -> "('" + d + "', " + dayStart(d) + ")")
            .collect(Collectors.joining(", "));
    return "SELECT day, CAST(day_start AS BIGINT) AS day_start FROM (VALUES "
        + rows
        + ") AS t(day, day_start)";
  }

  private static long dayStart(String day) {
    return LocalDate.parse(day).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
  }

  /**
   * The narrow columns of every impression (no request-time features: those are read once, for the
   * kept rows) with the first rule that makes it invalid, if any.
   */
  private String impressionsBaseSql() {
    boolean oneDay = days.size() == 1;
    String start = oneDay ? "CAST(" + dayStart(days.get(0)) + " AS BIGINT)" : "d.day_start";
    return "SELECT i.request_id, i.user_id, i.room_id, i.position, i.ts, i.day, i."
        + ROW_ID
        + ", CASE"
        + " WHEN i.request_id IS NULL OR i.user_id IS NULL OR i.room_id IS NULL THEN 'null_id'"
        + " WHEN i.position IS NULL OR i.position < 0 THEN 'negative_position'"
        + " WHEN i.ts IS NULL"
        + (oneDay ? "" : " OR d.day_start IS NULL")
        + " OR i.ts < "
        + start
        + " OR i.ts >= "
        + start
        + " + "
        + DAY_MS
        + " THEN 'timestamp_out_of_range' END AS basic_reason"
        + " FROM "
        + rawView(EventSchema.IMPRESSIONS)
        + " i"
        + (oneDay ? "" : " LEFT JOIN days d ON i.day = d.day");
  }

  /**
   * Per request with an otherwise valid impression: whether it may hold a duplicate (request_id,
   * position). One row per request is a far smaller hash aggregate than one per impression; a
   * request of n rows whose positions (all below 62) set n distinct bits has no duplicate.
   */
  private String requestsSql() {
    return "SELECT "
        + dayKey
        + "request_id, CASE WHEN MAX(position) >= 62 OR COUNT(*) <> BIT_COUNT(BIT_OR(CASE WHEN"
        + " position < 62 THEN CAST(POWER(2, position) AS BIGINT) ELSE CAST(0 AS BIGINT) END))"
        + " THEN 1 ELSE 0 END AS suspect FROM impressions_base WHERE basic_reason IS NULL"
        + " GROUP BY "
        + dayKey
        + "request_id";
  }

  /** Impression keys held by more than one otherwise valid row, looked for in suspect requests. */
  private String impressionDupKeysSql() {
    String req = dayKey + "request_id";
    return dupKeysSql(
        "(SELECT b.* FROM impressions_base b JOIN impressions_requests r ON "
            + on("b", "r", req)
            + " WHERE r.suspect = 1)",
        dayKey + "request_id, position");
  }

  /**
   * Keys held by more than one otherwise valid row. Duplicates are rare, so a hash aggregate finds
   * them and only their rows are ranked (a window over every row would sort the whole table).
   */
  private static String dupKeysSql(String base, String keyCols) {
    return "SELECT "
        + keyCols
        + " FROM "
        + base
        + " b WHERE basic_reason IS NULL GROUP BY "
        + keyCols
        + " HAVING COUNT(*) > 1";
  }

  /**
   * Rows with a basic reason keep it; rows of duplicated keys are ranked by {@code order} and all
   * but the first get {@code dupReason}; every other row is valid.
   */
  private static String flagDuplicates(
      String c, String base, String dupKeys, String keyCols, String order, String dupReason) {
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
        + on("b", "k", keyCols)
        + " WHERE b.basic_reason IS NULL AND k.request_id IS NULL"
        + " UNION ALL SELECT "
        + c
        + ", b.day, CASE WHEN ROW_NUMBER() OVER (PARTITION BY "
        + qualified("b", keyCols)
        + " ORDER BY "
        + order
        + ") > 1 THEN '"
        + dupReason
        + "' END AS reason FROM "
        + base
        + " b JOIN "
        + dupKeys
        + " k ON "
        + on("b", "k", keyCols)
        + " WHERE b.basic_reason IS NULL";
  }

  /**
   * {@code impressions_flagged} when {@code impressions_dupkeys} is empty (the usual case): then
   * {@link #impressionsSql()} gives every row its basic reason, so this is the same table without
   * the copy. An engine may use it after checking that no key is duplicated.
   */
  public String impressionsFlaggedWithoutDuplicatesSql() {
    return "SELECT request_id, user_id, room_id, position, ts, "
        + ROW_ID
        + ", day, basic_reason AS reason FROM impressions_base";
  }

  private String impressionsSql() {
    return flagDuplicates(
        "b.request_id, b.user_id, b.room_id, b.position, b.ts, b." + ROW_ID,
        "impressions_base",
        "impressions_dupkeys",
        dayKey + "request_id, position",
        "b.ts NULLS LAST, b.room_id NULLS LAST, b.user_id NULLS LAST, b." + ROW_ID,
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
        + key
        + " FROM "
        + flagged(EventSchema.IMPRESSIONS)
        + " WHERE reason IS NULL) v ON "
        + keyJoin("c", "v");
  }

  private String clicksSql() {
    return flagDuplicates(
        cols(EventSchema.CLICKS, "b"),
        "clicks_base",
        "clicks_dupkeys",
        key,
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
        + key
        + " FROM "
        + flagged(EventSchema.CLICKS)
        + " WHERE reason IS NULL) v ON "
        + keyJoin("b", "v")
        + ") x";
  }

  private String part(
      EventSchema.Table t, String c, String w, String g, String f, String fo, String a) {
    return "SELECT "
        + key
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
        + key
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
        + key;
  }

  /**
   * The last clicked position of each request with a valid click, from the (small) click table: a
   * valid click always has exactly one valid impression with its key, so this equals the maximum
   * clicked position over the request's impressions, without a window over every impression.
   */
  private String lastClicksSql() {
    return "SELECT "
        + dayKey
        + "request_id, MAX(position) AS last_click FROM "
        + flagged(EventSchema.CLICKS)
        + " WHERE reason IS NULL GROUP BY "
        + dayKey
        + "request_id";
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

  /**
   * Labels, weight and rule of each valid impression, narrow (keys, row id and labels only): the
   * wide request-time columns are joined back once, for the kept rows, by {@link #samplesQuery()}.
   * The last click of the request comes from {@code last_clicks}; only click-around and keepTopK
   * need ordered windows over the request.
   */
  private String ruledSql() {
    String byRequest = "PARTITION BY " + dayKey + "request_id";
    StringBuilder windows = new StringBuilder();
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
    String labeled =
        "SELECT "
            + qualified("i", dayKey + "request_id, position")
            + ", i."
            + ROW_ID
            + ", COALESCE(b.click, 0) AS click,"
            + " COALESCE(b.watch_seconds, 0) AS watch_seconds,"
            + " COALESCE(b.gift_value, 0) AS gift_value,"
            + " COALESCE(b.flowers, 0) AS flowers, COALESCE(b.follows_n, 0) AS follows_n,"
            + " COALESCE(b.async_views, 0) AS async_views, c.last_click FROM "
            + flagged(EventSchema.IMPRESSIONS)
            + " i LEFT JOIN behaviours b ON "
            + keyJoin("i", "b")
            + " LEFT JOIN last_clicks c ON "
            + on("i", "c", dayKey + "request_id")
            + " WHERE i.reason IS NULL";
    String from =
        windows.length() == 0
            ? "(" + labeled + ")"
            : "(SELECT b.*" + windows + " FROM (" + labeled + ") b)";
    return "SELECT l.*,"
        + " CASE WHEN click = 1 AND watch_seconds >= "
        + o.conversionWatchSeconds()
        + " THEN 1 ELSE 0 END AS conversion,"
        + " CASE WHEN gift_value > 0 THEN 1 ELSE 0 END AS gift,"
        + " CASE WHEN follows_n > 0 THEN 1 ELSE 0 END AS follow,"
        // rounded only where there is something to round: most rows are not clicked (weight 1)
        + " CASE WHEN click = 1 THEN CAST(CAST(ROUND(("
        + weightExpr()
        + ") * CAST('1000000.0' AS DOUBLE)) AS BIGINT) AS DOUBLE) / CAST('1000000.0' AS DOUBLE)"
        + " ELSE CAST('1.0' AS DOUBLE) END AS weight, "
        + ruleExpr()
        + " AS rule FROM "
        + from
        + " l";
  }

  /**
   * The kept impressions with labels, weights and side-table fields (schema: SAMPLES), plus {@code
   * day}. The only read of the wide impression columns: by row id, for the kept rows.
   */
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
        + " CAST(i.oracle_pcvr AS DOUBLE) AS oracle_pcvr, i.day"
        + " FROM "
        + rawView(EventSchema.IMPRESSIONS)
        + " i JOIN (SELECT * FROM ruled WHERE rule LIKE 'kept%') r ON i."
        + ROW_ID
        + " = r."
        + ROW_ID
        + " LEFT JOIN "
        + rawView(EventSchema.USERS)
        + " u ON i.user_id = u.user_id LEFT JOIN "
        + rawView(EventSchema.ROOMS)
        + " m ON i.room_id = m.room_id";
  }

  /** The quarantined rows of one input table: all its columns, {@code reason} and {@code day}. */
  public String quarantineQuery(EventSchema.Table t) {
    if (t == EventSchema.IMPRESSIONS) {
      // the flagged table is narrow: the rows' other columns come from the raw view, by row id
      return "SELECT "
          + cols(t, "i")
          + ", q.reason, q.day FROM "
          + rawView(t)
          + " i JOIN (SELECT "
          + ROW_ID
          + ", reason, day FROM "
          + flagged(t)
          + " WHERE reason IS NOT NULL) q ON i."
          + ROW_ID
          + " = q."
          + ROW_ID;
    }
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

  /** Report: impressions read, and distinct requests with a valid impression. */
  public String totalsQuery() {
    return "SELECT (SELECT COUNT(*) FROM impressions_base) AS impressions,"
        + " (SELECT COUNT(*) FROM impressions_requests) AS requests";
  }
}
