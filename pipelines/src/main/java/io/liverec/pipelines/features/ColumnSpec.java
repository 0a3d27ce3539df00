package io.liverec.pipelines.features;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which sample columns are labels, keys and features, and how each feature is transformed. The
 * defaults ({@link #defaults()}) follow the sample schema in docs/DATA.md; a run can override them
 * with a JSON file.
 *
 * @param userId user key column (GAUC groups by it)
 * @param click click label column (0/1)
 * @param conversion conversion label column (0/1; click ∧ effective watch)
 * @param weight sample weight column (null = every row weighs 1)
 * @param day SQL expression giving the row's day as a DATE (time-based splits use it)
 * @param features the model inputs
 * @param oracle task ({@code ctr}, {@code cvr}, {@code ctcvr}) → simulator-only column holding the
 *     true probability; read for the Bayes-optimal AUC, never a feature
 * @param rooms side table joined by room id for features the sample does not carry (null = none)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ColumnSpec(
    String userId,
    String click,
    String conversion,
    String weight,
    String day,
    List<FeatureColumn> features,
    Map<String, String> oracle,
    RoomsTable rooms) {

  public ColumnSpec {
    if (features == null || features.isEmpty()) {
      throw new IllegalArgumentException("column spec: features is empty");
    }
    Set<String> names = new LinkedHashSet<>();
    int sequences = 0;
    for (FeatureColumn f : features) {
      if (f.name() == null || f.kind() == null) {
        throw new IllegalArgumentException("column spec: every feature needs a name and a kind");
      }
      if (!names.add(f.name())) {
        throw new IllegalArgumentException("column spec: feature name '" + f.name() + "' twice");
      }
      boolean sized = f.kind() == FeatureKind.HASH || f.kind() == FeatureKind.VOCAB;
      if ((sized || f.kind() == FeatureKind.SEQUENCE) && (f.size() == null || f.size() < 2)) {
        throw new IllegalArgumentException(
            "column spec: feature '" + f.name() + "' needs size ≥ 2");
      }
      if (f.kind() == FeatureKind.BUCKET && (f.buckets() == null || f.buckets() < 2)) {
        throw new IllegalArgumentException(
            "column spec: feature '" + f.name() + "' needs buckets ≥ 2");
      }
      boolean lengthed = f.kind() == FeatureKind.SEQUENCE || f.kind() == FeatureKind.VECTOR;
      if (lengthed && (f.length() == null || f.length() < 1)) {
        throw new IllegalArgumentException(
            "column spec: feature '" + f.name() + "' needs length ≥ 1");
      }
      sequences += f.kind() == FeatureKind.SEQUENCE ? 1 : 0;
      if (f.source().startsWith(ORACLE_PREFIX)) {
        throw new IllegalArgumentException(
            "column spec: feature '"
                + f.name()
                + "' reads the simulator-only column '"
                + f.source()
                + "'; oracle_* columns are for evaluation only");
      }
      if (f.source().equals(click) || f.source().equals(conversion)) {
        throw new IllegalArgumentException(
            "column spec: feature '" + f.name() + "' reads the label column '" + f.source() + "'");
      }
    }
    if (sequences > 1) {
      throw new IllegalArgumentException("column spec: at most one sequence feature");
    }
    oracle = oracle == null ? Map.of() : oracle;
  }

  /** Simulator-only evaluation columns start with this; no feature may read them. */
  public static final String ORACLE_PREFIX = "oracle_";

  /** The same spec reading the rooms table from {@code path} (e.g. the event log's copy). */
  public ColumnSpec withRoomsPath(String path) {
    String key = rooms == null ? "room_id" : rooms.key();
    return new ColumnSpec(
        userId, click, conversion, weight, day, features, oracle, new RoomsTable(path, key));
  }

  /** The same spec joining its room-side features from {@code table} instead. */
  public ColumnSpec withRooms(RoomsTable table) {
    return new ColumnSpec(userId, click, conversion, weight, day, features, oracle, table);
  }

  /**
   * A room side table.
   *
   * @param path Parquet file or glob; relative paths resolve against the sample directory (the
   *     default {@code ../rooms.parquet} fits a log sampled into its own directory)
   * @param key join key, present in both the sample and the table: one column, or several separated
   *     by commas (e.g. {@code room_id, day} for {@link #SESSIONS})
   */
  public record RoomsTable(String path, String key) {
    /** The key columns, in order. */
    public List<String> keyColumns() {
      return java.util.Arrays.stream(key.split(",")).map(String::strip).toList();
    }

    /**
     * The simulator's per-day live-session content ({@code room_sessions/day=D/}, written when
     * {@code sessionContent} is above 0), joined by room and day, relative to the samples.
     */
    public static final RoomsTable SESSIONS =
        new RoomsTable("../room_sessions/*/*.parquet", "room_id, day");
  }

  /** The same spec with {@code more} features after its own (names must be new). */
  public ColumnSpec plus(List<FeatureColumn> more) {
    List<FeatureColumn> all = new java.util.ArrayList<>(features);
    all.addAll(more);
    return new ColumnSpec(userId, click, conversion, weight, day, all, oracle, rooms);
  }

  /**
   * The same spec without the named features.
   *
   * @throws IllegalArgumentException naming a feature the spec does not have
   */
  public ColumnSpec without(java.util.Collection<String> names) {
    Set<String> known = new LinkedHashSet<>();
    features.forEach(f -> known.add(f.name()));
    for (String n : names) {
      if (!known.contains(n)) {
        throw new IllegalArgumentException(
            "column spec: no feature '" + n + "' to leave out (features: " + known + ")");
      }
    }
    List<FeatureColumn> kept = features.stream().filter(f -> !names.contains(f.name())).toList();
    return new ColumnSpec(userId, click, conversion, weight, day, kept, oracle, rooms);
  }

  /** Raw columns a row must provide to be transformed (features only, no labels). */
  public Set<String> featureSources() {
    Set<String> s = new LinkedHashSet<>();
    for (FeatureColumn f : features) {
      s.add(f.source());
    }
    return s;
  }

  /** The column spec of the samples the sampler writes (docs/DATA.md, EventSchema.SAMPLES). */
  public static ColumnSpec defaults() {
    long ids = 100_000;
    return new ColumnSpec(
        "user_id",
        "click",
        "conversion",
        "weight",
        "CAST(day AS DATE)",
        List.of(
            FeatureColumn.vocab("user_id", ids),
            FeatureColumn.vocab("room_id", ids),
            FeatureColumn.vocab("host_id", ids),
            FeatureColumn.vocab("surface", 32),
            FeatureColumn.vocab("position", 64),
            FeatureColumn.vocab("hour", 24),
            FeatureColumn.vocab("gender", 16),
            FeatureColumn.vocab("age_bucket", 32),
            FeatureColumn.vocab("city", 1_000),
            FeatureColumn.vocab("device", 32),
            FeatureColumn.vocab("user_language", 64),
            FeatureColumn.vocab("spender_level", 16),
            FeatureColumn.vocab("category", 256),
            FeatureColumn.vocab("room_language", 64),
            FeatureColumn.vocab("cover_style", 16),
            new FeatureColumn(
                "room_viewers_bucket", "room_viewers", FeatureKind.BUCKET, null, 16, null, null),
            FeatureColumn.bucket("followers", 16),
            FeatureColumn.dense("room_viewers"),
            // the recent-room sequence shares room_id's vocabulary (salt names that feature)
            FeatureColumn.sequence("recent_rooms", ids, 20, "room_id"),
            FeatureColumn.vector("audio_vec", 32),
            FeatureColumn.vector("visual_vec", 32),
            FeatureColumn.vector("text_vec", 32)),
        Map.of("ctr", "oracle_pctr", "cvr", "oracle_pcvr"),
        new RoomsTable("../rooms.parquet", "room_id"));
  }
}
