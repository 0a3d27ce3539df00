package io.liverec.featurestore.offline;

import io.liverec.api.v1alpha1.Durations;
import io.liverec.api.v1alpha1.FeatureViewSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Point-in-time correct join of entity rows (samples: join keys and a timestamp) with feature
 * views, as one SQL text that DuckDB and Spark SQL both run unchanged — the semantics of Feast's
 * SQL offline stores (its DuckDB/ibis store): for each entity row and view, the source row with the
 * same join keys and the latest event time with {@code event_ts ≤ entity_ts} and, when the view has
 * a ttl, {@code event_ts ≥ entity_ts − ttl} (both ends inclusive), ties broken by the latest
 * created time; entity rows without such a row are kept with nulls (a left join). Timestamps are
 * naive UTC.
 *
 * <p>Inputs, exposed by the engine as views: {@link #ENTITY_ROWS} (every entity column, the
 * timestamp as TIMESTAMP) and {@link #source(int)} per view (join keys, requested features, event
 * and created time as TIMESTAMP), built with {@link #entityViewSql} and {@link #sourceViewSql}.
 * Output: the entity columns, then the features ({@code feature}, or {@code view__feature} with
 * full feature names). Only constructs both dialects share are used: DISTINCT, ROW_NUMBER with
 * explicit NULLS LAST, INTERVAL 'n' SECOND, LEFT JOIN.
 */
public final class PointInTimeSql {
  public static final String ENTITY_ROWS = "pit_entity_rows";

  /** A view to join: its name, definition and the features wanted from it. */
  public record View(String name, FeatureViewSpec spec, List<String> features) {}

  private final List<String> entityColumns;
  private final String timestampColumn;
  private final List<View> views;
  private final boolean fullFeatureNames;

  public PointInTimeSql(
      List<String> entityColumns,
      String timestampColumn,
      List<View> views,
      boolean fullFeatureNames) {
    if (!entityColumns.contains(timestampColumn)) {
      throw new IllegalArgumentException(
          "the entity rows have no timestamp column '"
              + timestampColumn
              + "' (columns: "
              + entityColumns
              + ")");
    }
    for (View v : views) {
      for (FeatureViewSpec.Field k : v.spec().entities) {
        if (!entityColumns.contains(k.name)) {
          throw new IllegalArgumentException(
              "feature view "
                  + v.name()
                  + " joins on '"
                  + k.name
                  + "', which the entity rows lack (columns: "
                  + entityColumns
                  + ")");
        }
      }
    }
    this.entityColumns = List.copyOf(entityColumns);
    this.timestampColumn = timestampColumn;
    this.views = List.copyOf(views);
    this.fullFeatureNames = fullFeatureNames;
    List<String> out = new ArrayList<>(entityColumns);
    for (View v : views) {
      for (String f : v.features()) {
        String name = outputName(v, f);
        if (out.contains(name)) {
          throw new IllegalArgumentException(
              "output column '"
                  + name
                  + "' would appear twice; use full feature names (view__feature)");
        }
        out.add(name);
      }
    }
  }

  public static String source(int i) {
    return "pit_source_" + i;
  }

  public List<View> views() {
    return views;
  }

  private String outputName(View v, String feature) {
    return fullFeatureNames ? v.name().replace('-', '_') + "__" + feature : feature;
  }

  /** The view {@link #ENTITY_ROWS} over {@code relation} (timestamp cast to TIMESTAMP). */
  public String entityViewSql(String relation) {
    return "SELECT "
        + entityColumns.stream()
            .map(c -> c.equals(timestampColumn) ? "CAST(" + c + " AS TIMESTAMP) AS " + c : c)
            .collect(Collectors.joining(", "))
        + " FROM "
        + relation;
  }

  /** The view {@link #source(int)} of view {@code i} over {@code relation}. */
  public String sourceViewSql(int i, String relation) {
    View v = views.get(i);
    FeatureViewSpec s = v.spec();
    List<String> cols = new ArrayList<>();
    s.entities.forEach(e -> cols.add(e.name));
    cols.addAll(v.features());
    cols.add("CAST(" + s.source.timestampField + " AS TIMESTAMP) AS _pit_event_ts");
    cols.add(
        s.source.createdTimestampField == null
            ? "CAST(NULL AS TIMESTAMP) AS _pit_created_ts"
            : "CAST(" + s.source.createdTimestampField + " AS TIMESTAMP) AS _pit_created_ts");
    return "SELECT " + String.join(", ", cols) + " FROM " + relation;
  }

  /** The join. */
  public String sql() {
    StringBuilder select = new StringBuilder("SELECT ");
    select.append(entityColumns.stream().map(c -> "e." + c).collect(Collectors.joining(", ")));
    StringBuilder from = new StringBuilder(" FROM " + ENTITY_ROWS + " e");
    for (int i = 0; i < views.size(); i++) {
      View v = views.get(i);
      String p = "p" + i;
      for (String f : v.features()) {
        select.append(", ").append(p).append('.').append(f).append(" AS ").append(outputName(v, f));
      }
      List<String> keys = v.spec().entities.stream().map(e -> e.name).toList();
      from.append(" LEFT JOIN (").append(latest(i, keys)).append(") ").append(p).append(" ON ");
      for (String k : keys) {
        from.append("e.").append(k).append(" = ").append(p).append('.').append(k).append(" AND ");
      }
      from.append("e.").append(timestampColumn).append(" = ").append(p).append("._pit_entity_ts");
    }
    return select.append(from).toString();
  }

  /** Per distinct (keys, entity time): the latest qualifying source row of view {@code i}. */
  private String latest(int i, List<String> keys) {
    View v = views.get(i);
    long ttl = Durations.parse(v.spec().ttl).getSeconds();
    String k = keys.stream().map(c -> "k." + c).collect(Collectors.joining(", "));
    String f = v.features().stream().map(c -> "f." + c).collect(Collectors.joining(", "));
    StringBuilder on = new StringBuilder();
    for (String c : keys) {
      on.append("f.").append(c).append(" = k.").append(c).append(" AND ");
    }
    on.append("f._pit_event_ts <= k._pit_entity_ts");
    if (ttl > 0) {
      on.append(" AND f._pit_event_ts >= k._pit_entity_ts - INTERVAL '")
          .append(ttl)
          .append("' SECOND");
    }
    return "SELECT * FROM (SELECT "
        + k
        + ", k._pit_entity_ts, "
        + f
        + ", ROW_NUMBER() OVER (PARTITION BY "
        + k
        + ", k._pit_entity_ts ORDER BY f._pit_event_ts DESC NULLS LAST,"
        + " f._pit_created_ts DESC NULLS LAST) AS _pit_rn FROM (SELECT DISTINCT "
        + String.join(", ", keys)
        + ", "
        + timestampColumn
        + " AS _pit_entity_ts FROM "
        + ENTITY_ROWS
        + ") k JOIN "
        + source(i)
        + " f ON "
        + on
        + ") t WHERE _pit_rn = 1";
  }
}
