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

  /**
   * A room side table.
   *
   * @param path Parquet file or glob; relative paths resolve against the sample directory
   * @param key join key, present in both the sample and the table
   */
  public record RoomsTable(String path, String key) {}

  /** Raw columns a row must provide to be transformed (features only, no labels). */
  public Set<String> featureSources() {
    Set<String> s = new LinkedHashSet<>();
    for (FeatureColumn f : features) {
      s.add(f.source());
    }
    return s;
  }

  /** The column spec of the samples the simulator and sampler write (docs/DATA.md). */
  public static ColumnSpec defaults() {
    return new ColumnSpec(
        "user_id",
        "click",
        "conversion",
        "weight",
        "CAST(ts AS DATE)",
        List.of(
            FeatureColumn.hash("user_id", 20_000),
            FeatureColumn.hash("room_id", 5_000),
            FeatureColumn.vocab("host_id", 5_000),
            FeatureColumn.vocab("category", 64),
            FeatureColumn.vocab("surface", 16),
            FeatureColumn.bucket("position", 10),
            FeatureColumn.bucket("hour", 8),
            FeatureColumn.dense("room_viewers"),
            FeatureColumn.dense("user_activity"),
            FeatureColumn.sequence("recent_rooms", 5_000, 10, "room_id")),
        Map.of("ctr", "oracle_pctr", "cvr", "oracle_pcvr", "ctcvr", "oracle_pctcvr"),
        null);
  }
}
