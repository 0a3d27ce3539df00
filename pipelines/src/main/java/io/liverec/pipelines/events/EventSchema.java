package io.liverec.pipelines.events;

import java.util.List;
import java.util.Optional;

/**
 * The event log's tables and their columns: the single source of the schema documented in
 * docs/DATA.md. The simulator creates its writers from these definitions and the samplers check
 * every input file against them (a missing column or a wrong type fails fast, naming file and
 * column).
 *
 * <p>Types are DuckDB SQL type names as DuckDB reports them when it reads the Parquet files back
 * ({@code BIGINT}, {@code INTEGER}, {@code DOUBLE}, {@code VARCHAR}, {@code BIGINT[]}, {@code
 * FLOAT[]}); in Spark they read as {@code bigint}, {@code int}, {@code double}, {@code string},
 * {@code array<bigint>}, {@code array<float>}.
 */
public final class EventSchema {

  /** A column: its name and its DuckDB type. */
  public record Column(String name, String type) {}

  /**
   * A table of the log. Day-partitioned tables live in {@code
   * <dir>/<name>/day=yyyy-MM-dd/*.parquet}; side tables in {@code <dir>/<name>.parquet}.
   */
  public record Table(String name, boolean partitioned, List<Column> columns) {
    public Optional<Column> column(String columnName) {
      return columns.stream().filter(c -> c.name().equals(columnName)).findFirst();
    }

    /** {@code CREATE TABLE} column list, e.g. {@code request_id BIGINT, user_id BIGINT}. */
    public String ddlColumns() {
      StringBuilder sb = new StringBuilder();
      for (Column c : columns) {
        if (sb.length() > 0) {
          sb.append(", ");
        }
        sb.append(c.name()).append(' ').append(c.type());
      }
      return sb.toString();
    }

    public List<String> columnNames() {
      return columns.stream().map(Column::name).toList();
    }
  }

  public static final String BIGINT = "BIGINT";
  public static final String INTEGER = "INTEGER";
  public static final String DOUBLE = "DOUBLE";
  public static final String VARCHAR = "VARCHAR";
  public static final String BIGINT_LIST = "BIGINT[]";
  public static final String FLOAT_LIST = "FLOAT[]";

  /** Name of the hive partition column of day-partitioned tables ({@code day=yyyy-MM-dd}). */
  public static final String DAY = "day";

  /** Maximum length of {@code impressions.recent_rooms}. */
  public static final int RECENT_ROOMS = 20;

  /** Width of each multimodal room vector (audio, visual, text). */
  public static final int MODALITY_DIM = 32;

  private static Column c(String name, String type) {
    return new Column(name, type);
  }

  /** One row per room shown in a request's ranked list. Key: (request_id, position). */
  public static final Table IMPRESSIONS =
      new Table(
          "impressions",
          true,
          List.of(
              c("request_id", BIGINT),
              c("user_id", BIGINT),
              c("room_id", BIGINT),
              c("surface", VARCHAR),
              c("position", INTEGER),
              c("ts", BIGINT),
              c("hour", INTEGER),
              c("recent_rooms", BIGINT_LIST),
              c("room_viewers", INTEGER),
              c("oracle_pctr", DOUBLE),
              c("oracle_pcvr", DOUBLE)));

  /** Key columns every behaviour table shares: they point at one impression. */
  private static List<Column> behaviour(Column... extra) {
    List<Column> base =
        List.of(
            c("request_id", BIGINT),
            c("user_id", BIGINT),
            c("room_id", BIGINT),
            c("position", INTEGER),
            c("ts", BIGINT));
    return java.util.stream.Stream.concat(base.stream(), java.util.Arrays.stream(extra)).toList();
  }

  public static final Table CLICKS = new Table("clicks", true, behaviour());
  public static final Table WATCHES =
      new Table("watches", true, behaviour(c("watch_seconds", INTEGER)));
  public static final Table GIFTS = new Table("gifts", true, behaviour(c("value", INTEGER)));
  public static final Table FLOWERS = new Table("flowers", true, behaviour(c("count", INTEGER)));
  public static final Table FOLLOWS = new Table("follows", true, behaviour());
  public static final Table ASYNC_VIEWS =
      new Table("async_views", true, behaviour(c("works", INTEGER)));

  /** Per room and hour of a day: what happened in that hour (real-time statistics). */
  public static final Table ROOM_STATS =
      new Table(
          "room_stats",
          true,
          List.of(
              c("room_id", BIGINT),
              c("hour", INTEGER),
              c("live", INTEGER),
              c("impressions", BIGINT),
              c("clicks", BIGINT),
              c("conversions", BIGINT),
              c("watch_seconds", BIGINT),
              c("gift_value", BIGINT)));

  /**
   * Per room and day, the multimodal vectors of that day's live session; written only when the
   * simulator's {@code sessionContent} share is above 0 (docs/DATA.md), joined by (room_id, day).
   */
  public static final Table ROOM_SESSIONS =
      new Table(
          "room_sessions",
          true,
          List.of(
              c("room_id", BIGINT),
              c("audio_vec", FLOAT_LIST),
              c("visual_vec", FLOAT_LIST),
              c("text_vec", FLOAT_LIST)));

  /** User profile side table. */
  public static final Table USERS =
      new Table(
          "users",
          false,
          List.of(
              c("user_id", BIGINT),
              c("gender", INTEGER),
              c("age_bucket", INTEGER),
              c("city", INTEGER),
              c("device", INTEGER),
              c("language", INTEGER),
              c("spender_level", INTEGER)));

  /** Room side table: host, category, language, live schedule, multimodal content vectors. */
  public static final Table ROOMS =
      new Table(
          "rooms",
          false,
          List.of(
              c("room_id", BIGINT),
              c("host_id", BIGINT),
              c("category", INTEGER),
              c("language", INTEGER),
              c("cover_style", INTEGER),
              c("followers", INTEGER),
              c("live_start_hour", INTEGER),
              c("live_hours", INTEGER),
              c("first_day", VARCHAR),
              c("audio_vec", FLOAT_LIST),
              c("visual_vec", FLOAT_LIST),
              c("text_vec", FLOAT_LIST)));

  /** The behaviour tables, in the order the samplers join them. */
  public static final List<Table> BEHAVIOURS =
      List.of(CLICKS, WATCHES, GIFTS, FLOWERS, FOLLOWS, ASYNC_VIEWS);

  /** Every table the simulator writes. */
  public static final List<Table> ALL =
      List.of(
          IMPRESSIONS,
          CLICKS,
          WATCHES,
          GIFTS,
          FLOWERS,
          FOLLOWS,
          ASYNC_VIEWS,
          ROOM_STATS,
          USERS,
          ROOMS);

  /** The tables a sampler reads. */
  public static final List<Table> SAMPLER_INPUTS =
      List.of(IMPRESSIONS, CLICKS, WATCHES, GIFTS, FLOWERS, FOLLOWS, ASYNC_VIEWS, USERS, ROOMS);

  /**
   * The sample table the samplers write ({@code <out>/samples/day=yyyy-MM-dd/*.parquet}); see
   * docs/DATA.md for each column's meaning. {@code oracle_*} columns are simulator-only evaluation
   * columns and never features.
   */
  public static final Table SAMPLES =
      new Table(
          "samples",
          true,
          List.of(
              c("request_id", BIGINT),
              c("position", INTEGER),
              c("user_id", BIGINT),
              c("room_id", BIGINT),
              c("ts", BIGINT),
              c("hour", INTEGER),
              c("surface", VARCHAR),
              c("recent_rooms", BIGINT_LIST),
              c("room_viewers", INTEGER),
              c("gender", INTEGER),
              c("age_bucket", INTEGER),
              c("city", INTEGER),
              c("device", INTEGER),
              c("user_language", INTEGER),
              c("spender_level", INTEGER),
              c("host_id", BIGINT),
              c("category", INTEGER),
              c("room_language", INTEGER),
              c("cover_style", INTEGER),
              c("followers", INTEGER),
              c("click", INTEGER),
              c("conversion", INTEGER),
              c("gift", INTEGER),
              c("watch_seconds", INTEGER),
              c("gift_value", INTEGER),
              c("flowers", INTEGER),
              c("follow", INTEGER),
              c("async_views", INTEGER),
              c("weight", DOUBLE),
              c("oracle_pctr", DOUBLE),
              c("oracle_pcvr", DOUBLE)));

  private EventSchema() {}
}
