package io.liverec.featurestore.feast;

import feast.proto.core.FeatureViewProto.FeatureView;
import feast.proto.core.FeatureViewProto.MaterializationInterval;
import feast.proto.types.ValueProto.Value;
import io.liverec.api.errors.LiverecException;
import io.liverec.api.v1alpha1.FeatureViewSpec;
import io.liverec.featurestore.FeatureRegistry;
import io.liverec.featurestore.offline.ParquetSources;
import io.liverec.featurestore.online.EntityKeys;
import io.liverec.featurestore.online.OnlineStore;
import io.liverec.featurestore.online.Values;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Feast's materialization, done by LiveRec: for one feature view, the source rows with start ≤
 * event time ≤ end, one per entity key (the latest; the created time breaks ties), written to the
 * repository's online store; the interval is then recorded in the registry as Feast records it, so
 * {@code materialize-incremental} (LiveRec's or Feast's) continues from its end. Nothing is deleted
 * and nothing is clipped to the ttl, as in Feast.
 */
public final class Materializer {
  private static final int BATCH = 2_000;

  private final FeastFeatureRegistry registry;
  private final OnlineStore store;

  public Materializer(FeastFeatureRegistry registry, OnlineStore store) {
    this.registry = registry;
    this.store = store;
  }

  /** What one run did. */
  public record Result(String view, Instant start, Instant end, long rows) {}

  /** The start of an incremental run: the last recorded end, else now − ttl (52 weeks if 0). */
  public Instant incrementalStart(String view, Instant end) {
    FeatureView fv = proto(view);
    Instant last = null;
    for (MaterializationInterval i : fv.getMeta().getMaterializationIntervalsList()) {
      Instant e = Instant.ofEpochSecond(i.getEndTime().getSeconds(), i.getEndTime().getNanos());
      if (last == null || e.isAfter(last)) {
        last = e;
      }
    }
    if (last != null) {
      return last;
    }
    long ttl = fv.getSpec().getTtl().getSeconds();
    return ttl > 0 ? Instant.now().minusSeconds(ttl) : Instant.now().minus(Duration.ofDays(52 * 7));
  }

  private FeatureView proto(String view) {
    String project = registry.repo().project();
    return registry.file().read().getFeatureViewsList().stream()
        .filter(f -> f.getSpec().getName().equals(view) && f.getSpec().getProject().equals(project))
        .findFirst()
        .orElseThrow(
            () ->
                LiverecException.badInput(
                    "--feature-view: no feature view '"
                        + view
                        + "' in the Feast registry "
                        + registry.file().path()));
  }

  public Result materialize(String view, Instant start, Instant end) {
    if (end.isBefore(start)) {
      throw LiverecException.badInput(
          "the window ends (" + end + ") before it starts (" + start + ")");
    }
    FeatureRegistry.Entry entry =
        registry.list().stream()
            .filter(e -> e.name().equals(view))
            .findFirst()
            .orElseGet(
                () ->
                    new FeatureRegistry.Entry(
                        null, view, 0, "", FeatureViewProtos.spec(proto(view), Map.of())));
    FeatureViewSpec spec = entry.spec();
    if (spec.online != null && !spec.online) {
      throw LiverecException.badInput("feature view " + view + " has online: false");
    }
    ParquetSources.requireDeclaredColumns(spec);
    if (ParquetSources.localPath(spec.source.uri).isEmpty() && !spec.source.uri.contains("://")) {
      throw LiverecException.badInput(
          "spec.source.uri: " + spec.source.uri + " does not exist on this machine");
    }
    long rows;
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement()) {
      st.execute("SET TimeZone = 'UTC'");
      rows = copy(st, view, spec, start, end);
    } catch (SQLException e) {
      throw LiverecException.badInput(
          "cannot materialize " + view + " from " + spec.source.uri + ": " + e.getMessage());
    }
    String project = registry.repo().project();
    registry
        .file()
        .update(
            r -> {
              for (int i = 0; i < r.getFeatureViewsCount(); i++) {
                var fv = r.getFeatureViews(i);
                if (fv.getSpec().getName().equals(view)
                    && fv.getSpec().getProject().equals(project)) {
                  var meta =
                      fv.getMeta().toBuilder()
                          .addMaterializationIntervals(
                              MaterializationInterval.newBuilder()
                                  .setStartTime(FeatureViewProtos.timestamp(start))
                                  .setEndTime(FeatureViewProtos.timestamp(end)))
                          .setLastUpdatedTimestamp(FeatureViewProtos.timestamp(Instant.now()));
                  r.setFeatureViews(i, fv.toBuilder().setMeta(meta));
                }
              }
              return r;
            });
    return new Result(view, start, end, rows);
  }

  private static String q(String id) {
    return '"' + id.replace("\"", "\"\"") + '"';
  }

  private static String ts(Instant t) {
    return "CAST('" + t + "' AS TIMESTAMPTZ)";
  }

  private long copy(Statement st, String view, FeatureViewSpec spec, Instant start, Instant end)
      throws SQLException {
    String tsCol = q(spec.source.timestampField);
    String created = spec.source.createdTimestampField;
    String keys = spec.entities.stream().map(e -> q(e.name)).collect(Collectors.joining(", "));
    String feats = spec.features.stream().map(f -> q(f.name)).collect(Collectors.joining(", "));
    String order =
        "CAST("
            + tsCol
            + " AS TIMESTAMPTZ) DESC"
            + (created == null ? "" : ", CAST(" + q(created) + " AS TIMESTAMPTZ) DESC NULLS LAST");
    String sql =
        "SELECT "
            + keys
            + ", "
            + feats
            + ", CAST("
            + tsCol
            + " AS TIMESTAMPTZ) AS _event_ts, "
            + (created == null ? "NULL" : "CAST(" + q(created) + " AS TIMESTAMPTZ)")
            + " AS _created_ts FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY "
            + keys
            + " ORDER BY "
            + order
            + ") AS _rn FROM "
            + ParquetSources.duckDbRelation(spec.source.uri)
            + " WHERE CAST("
            + tsCol
            + " AS TIMESTAMPTZ) >= "
            + ts(start)
            + " AND CAST("
            + tsCol
            + " AS TIMESTAMPTZ) <= "
            + ts(end)
            + ") WHERE _rn = 1";
    List<String> joinKeys = spec.entities.stream().map(e -> e.name).toList();
    String project = registry.repo().project();
    long n = 0;
    List<OnlineStore.Row> batch = new ArrayList<>(BATCH);
    try (ResultSet rs = st.executeQuery(sql)) {
      int k = spec.entities.size();
      while (rs.next()) {
        List<Value> keyValues = new ArrayList<>(k);
        boolean nullKey = false;
        for (int i = 0; i < k; i++) {
          Object o = rs.getObject(i + 1);
          nullKey |= o == null;
          keyValues.add(Values.of(o, spec.entities.get(i).type));
        }
        if (nullKey) {
          continue;
        }
        Map<String, Value> values = new LinkedHashMap<>();
        for (int i = 0; i < spec.features.size(); i++) {
          FeatureViewSpec.Field f = spec.features.get(i);
          values.put(f.name, Values.of(rs.getObject(k + i + 1), f.type));
        }
        Object ev = rs.getObject(k + spec.features.size() + 1);
        Object cr = rs.getObject(k + spec.features.size() + 2);
        batch.add(
            new OnlineStore.Row(
                EntityKeys.serialize(joinKeys, keyValues),
                values,
                Values.instant(ev),
                cr == null ? null : Values.instant(cr)));
        if (batch.size() == BATCH) {
          store.write(project, view, batch);
          n += batch.size();
          batch.clear();
        }
      }
    }
    if (!batch.isEmpty()) {
      store.write(project, view, batch);
      n += batch.size();
    }
    return n;
  }
}
