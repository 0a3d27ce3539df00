package io.liverec.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.liverec.api.v1alpha1.FeatureViewSpec;
import io.liverec.api.v1alpha1.FeatureViewSpec.Field;
import io.liverec.api.v1alpha1.FeatureViewSpec.ValueType;
import io.liverec.featurestore.config.FeatureStores;
import io.liverec.featurestore.feast.FeastFeatureRegistry;
import io.liverec.featurestore.feast.Materializer;
import io.liverec.featurestore.feast.OnlineStores;
import io.liverec.featurestore.online.OnlineStore;
import io.liverec.gateway.FeastOnlineFeatures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A serving bundle's online features put where a Feast ServingService serves them: its users and
 * rooms (the features gateway.json's {@code onlineFeatures} names, so the gateway reads exactly
 * these) are written as Parquet tables, registered as the Feast feature views {@value
 * FeastOnlineFeatures#USER_VIEW} (key {@code user_id}) and {@value FeastOnlineFeatures#ROOM_VIEW}
 * (key {@code room_id}) in a Feast repository, and materialized into its online store by {@link
 * Materializer} — the code path of {@code liverec materialize}. The value types are DuckDB's
 * reading of the bundle's JSON (whole numbers INT64, others DOUBLE, arrays as lists of those, text
 * STRING).
 */
final class BundleFeatures {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TS = "event_ts";

  private BundleFeatures() {}

  /** What was materialized. */
  record Result(Path repo, Path registry, String onlineStore, long users, long rooms) {}

  /**
   * @param bundle a serving bundle ({@code gateway.json}, {@code users.jsonl}, {@code rooms.jsonl})
   * @param repoDir the Feast repository (created if absent; the online store as the environment
   *     configures it, SQLite by default)
   * @param asOf the rows' event time
   */
  static Result materialize(Path bundle, Path repoDir, Instant asOf)
      throws IOException, SQLException {
    JsonNode cfg = JSON.readTree(bundle.resolve("gateway.json").toFile());
    List<String> userFeatures =
        ServingBundle.onlineFeatures(cfg, "user", FeastOnlineFeatures.USER_INPUTS);
    List<String> roomFeatures =
        ServingBundle.onlineFeatures(cfg, "room", FeastOnlineFeatures.ROOM_INPUTS);
    boolean numeric = ServingBundle.numericUserIds(cfg);
    Path tables = Files.createDirectories(repoDir.resolve("data"));
    Instant ts = asOf.truncatedTo(ChronoUnit.SECONDS);
    FeatureViewSpec users;
    FeatureViewSpec rooms;
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement()) {
      st.execute("SET TimeZone = 'UTC'");
      users =
          table(
              st,
              bundle.resolve("users.jsonl"),
              numeric ? "CAST(userId AS BIGINT)" : "CAST(userId AS VARCHAR)",
              new Field("user_id", numeric ? ValueType.INT64 : ValueType.STRING),
              userFeatures,
              ts,
              tables.resolve(FeastOnlineFeatures.USER_VIEW + ".parquet"));
      rooms =
          table(
              st,
              bundle.resolve("rooms.jsonl"),
              "CAST(roomId AS BIGINT)",
              new Field("room_id", ValueType.INT64),
              roomFeatures,
              ts,
              tables.resolve(FeastOnlineFeatures.ROOM_VIEW + ".parquet"));
    }
    FeastFeatureRegistry registry =
        new FeastFeatureRegistry(FeatureStores.feastRepo(System.getenv(), Optional.of(repoDir)));
    registry.register("default", FeastOnlineFeatures.USER_VIEW, users);
    registry.register("default", FeastOnlineFeatures.ROOM_VIEW, rooms);
    long u;
    long r;
    try (OnlineStore store = OnlineStores.open(registry.repo().online())) {
      Materializer m = new Materializer(registry, store);
      Instant from = ts.minus(Duration.ofDays(1));
      Instant to = ts.plusSeconds(1);
      u = m.materialize(FeastOnlineFeatures.USER_VIEW, from, to).rows();
      r = m.materialize(FeastOnlineFeatures.ROOM_VIEW, from, to).rows();
    }
    return new Result(
        registry.repo().dir(),
        registry.repo().registryPath(),
        registry.repo().online().toString(),
        u,
        r);
  }

  /**
   * One view's table: the key, each feature (a top-level field of the JSON line if it has one, else
   * one of its {@code attributes}) and the event time, written as Parquet; the view's spec from the
   * columns' types.
   */
  private static FeatureViewSpec table(
      Statement st,
      Path jsonl,
      String keyExpr,
      Field key,
      List<String> features,
      Instant ts,
      Path parquet)
      throws SQLException {
    String src =
        "read_json('"
            + sql(jsonl.toAbsolutePath().toString())
            + "', format = 'newline_delimited', sample_size = -1)";
    Map<String, String> top = columns(st, "SELECT * FROM " + src + " LIMIT 0");
    Map<String, String> attrs =
        top.containsKey("attributes")
            ? columns(st, "SELECT attributes.* FROM " + src + " LIMIT 0")
            : Map.of();
    StringBuilder q = new StringBuilder("SELECT ").append(keyExpr).append(" AS ").append(key.name);
    for (String f : features) {
      String expr;
      if (top.containsKey(f)) {
        expr = quote(f);
      } else if (attrs.containsKey(f)) {
        expr = "attributes." + quote(f);
      } else {
        throw new IllegalArgumentException(
            jsonl + ": gateway.json names the online feature '" + f + "', which no line carries");
      }
      q.append(", ").append(expr).append(" AS ").append(quote(f));
    }
    q.append(", TIMESTAMP '")
        .append(ts.toString().replace('T', ' ').replace("Z", ""))
        .append("' AS ")
        .append(TS)
        .append(" FROM ")
        .append(src);
    st.execute(
        "COPY (" + q + ") TO '" + sql(parquet.toAbsolutePath().toString()) + "' (FORMAT parquet)");
    Map<String, String> types =
        columns(st, "SELECT * FROM read_parquet('" + sql(parquet.toString()) + "') LIMIT 0");
    FeatureViewSpec s = new FeatureViewSpec();
    s.entities = new ArrayList<>(List.of(key));
    s.features = new ArrayList<>();
    for (String f : features) {
      s.features.add(new Field(f, valueType(f, types.get(f))));
    }
    s.source.uri = parquet.toAbsolutePath().toString();
    s.source.timestampField = TS;
    s.ttl = "0s";
    return s;
  }

  private static Map<String, String> columns(Statement st, String query) throws SQLException {
    Map<String, String> out = new LinkedHashMap<>();
    try (ResultSet rs = st.executeQuery("DESCRIBE " + query)) {
      while (rs.next()) {
        out.put(rs.getString("column_name"), rs.getString("column_type"));
      }
    }
    return out;
  }

  /** The Feast value type of a DuckDB column type read from the bundle's JSON. */
  static ValueType valueType(String feature, String duckDbType) {
    boolean list = duckDbType.endsWith("[]");
    String base = list ? duckDbType.substring(0, duckDbType.length() - 2) : duckDbType;
    ValueType scalar =
        switch (base) {
          case "BIGINT", "INTEGER", "SMALLINT", "TINYINT", "UBIGINT", "UINTEGER" -> ValueType.INT64;
          case "DOUBLE", "FLOAT", "DECIMAL" -> ValueType.DOUBLE;
          case "VARCHAR" -> ValueType.STRING;
          case "BOOLEAN" -> ValueType.BOOL;
          default ->
              throw new IllegalArgumentException(
                  "online feature '" + feature + "': no Feast type for " + duckDbType);
        };
    if (!list) {
      return scalar;
    }
    return switch (scalar) {
      case INT64 -> ValueType.INT64_LIST;
      case DOUBLE -> ValueType.DOUBLE_LIST;
      case STRING -> ValueType.STRING_LIST;
      default ->
          throw new IllegalArgumentException(
              "online feature '" + feature + "': no Feast list type for " + duckDbType);
    };
  }

  private static String quote(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }

  private static String sql(String s) {
    return s.replace("'", "''");
  }
}
