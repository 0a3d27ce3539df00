package io.liverec.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.liverec.featurestore.offline.ParquetSources;
import io.liverec.featurestore.offline.PointInTimeSql;
import io.liverec.gateway.FeastOnlineFeatures;
import io.liverec.pipelines.featureviews.TrainingFeatureJoin;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes the serving bundle {@code liverec serve} reads from what a ranking run and a recall run
 * produced over one event log: the ranker (with the feature transform it was trained with) and the
 * user tower in {@code repository/}; every room with its recall vector, popularity and raw
 * attributes in {@code rooms.jsonl}; every user with the tower's inputs and raw attributes in
 * {@code users.jsonl}; and {@code gateway.json}. Raw attributes are each user's and room's latest
 * values in the ranking run's samples, plus the latest row of each feature view the run joined
 * point-in-time — what a feature store would hold online.
 */
final class ServingBundle {
  static final String USER_TOWER = "user_tower";

  /**
   * gateway.json's {@code {"user": [...], "room": [...]}}: the features of the user and room views
   * a gateway reads from a feature server ({@link BundleFeatures} materializes exactly these).
   */
  static final String ONLINE_FEATURES = "onlineFeatures";

  /** In {@link #ONLINE_FEATURES}: the Feast type of the user key, STRING (default) or INT64. */
  static final String USER_ID_TYPE = "userIdType";

  /**
   * The features gateway.json's {@link #ONLINE_FEATURES} names for {@code view} ({@code user} or
   * {@code room}), else {@code fallback}.
   */
  static List<String> onlineFeatures(JsonNode gatewayJson, String view, List<String> fallback) {
    JsonNode list = gatewayJson.path(ONLINE_FEATURES).path(view);
    if (!list.isArray()) {
      return fallback;
    }
    List<String> out = new java.util.ArrayList<>();
    list.forEach(n -> out.add(n.asText()));
    return out;
  }

  /** True when gateway.json keys the user view by an INT64 {@code user_id}. */
  static boolean numericUserIds(JsonNode gatewayJson) {
    String t = gatewayJson.path(ONLINE_FEATURES).path(USER_ID_TYPE).asText("STRING");
    if (!t.equals("STRING") && !t.equals("INT64")) {
      throw new IllegalArgumentException(
          "gateway.json: "
              + ONLINE_FEATURES
              + "."
              + USER_ID_TYPE
              + " must be STRING or INT64, got "
              + t);
    }
    return t.equals("INT64");
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> USER_COLUMNS =
      List.of("gender", "age_bucket", "city", "device", "user_language", "spender_level");

  private ServingBundle() {}

  /**
   * @param rankerRunDir a ranking run ({@code triton/<model>/1/} with {@code model.onnx} and {@code
   *     transform.json}; {@code samples/})
   * @param recallRunDir a recall run ({@code user_tower.onnx}, {@code room_vectors.json}, {@code
   *     user_inputs.jsonl})
   * @param events the event log both ran on ({@code rooms.parquet})
   */
  static Path write(Path bundle, Path rankerRunDir, Path recallRunDir, Path events)
      throws IOException, SQLException {
    Path rankerVersionDir;
    try (var models = Files.list(rankerRunDir.resolve("triton"))) {
      rankerVersionDir =
          models
              .filter(Files::isDirectory)
              .findFirst()
              .orElseThrow(() -> new IOException(rankerRunDir + "/triton holds no model"))
              .resolve("1");
    }
    String ranker = rankerVersionDir.getParent().getFileName().toString();
    Path repo = bundle.resolve("repository");
    Path rankerDir = Files.createDirectories(repo.resolve(ranker).resolve("1"));
    for (String f : List.of("model.onnx", "transform.json")) {
      Files.copy(
          rankerVersionDir.resolve(f), rankerDir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
    }
    Path towerDir = Files.createDirectories(repo.resolve(USER_TOWER).resolve("1"));
    Files.copy(
        recallRunDir.resolve("user_tower.onnx"),
        towerDir.resolve("model.onnx"),
        StandardCopyOption.REPLACE_EXISTING);

    Map<Long, JsonNode> vectors = new HashMap<>();
    for (JsonNode r :
        JSON.readTree(recallRunDir.resolve("room_vectors.json").toFile()).get("rooms")) {
      vectors.put(r.get("room_id").asLong(), r.get("vector"));
    }
    String samples = sql(rankerRunDir.resolve("samples").toAbsolutePath() + "/**/*.parquet");
    Set<String> roomAttributes;
    Set<String> userAttributes;
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement()) {
      Map<String, Map<Long, Map<String, Object>>> online = onlineFeatures(st, rankerRunDir, events);
      roomAttributes =
          writeRooms(
              st,
              bundle.resolve("rooms.jsonl"),
              events,
              samples,
              vectors,
              online.getOrDefault("room_id", Map.of()));
      userAttributes =
          writeUsers(
              st,
              bundle.resolve("users.jsonl"),
              recallRunDir,
              samples,
              online.getOrDefault("user_id", Map.of()));
    }

    ObjectNode cfg = JSON.createObjectNode();
    cfg.putObject("userTower").put("name", USER_TOWER).put("version", 1);
    ArrayNode rankers = cfg.putArray("rankers");
    rankers.addObject().put("name", ranker).put("version", 1).put("basisPoints", 10_000);
    cfg.put("rankerTransform", "repository/" + ranker + "/1/transform.json");
    cfg.putObject("taskWeights").put("ctr", 1.0).put("cvr", 0.5);
    cfg.put("recallN", 200).put("maxPerHost", 2).put("rankerDeadlineMs", 200);
    // what a gateway on a feature server asks for: the tower's inputs and the ranker's raw columns
    ObjectNode online = cfg.putObject(ONLINE_FEATURES);
    // the log's user ids are numbers, and its feature views key user_id as INT64
    online.put(USER_ID_TYPE, "INT64");
    ArrayNode user = online.putArray("user");
    FeastOnlineFeatures.USER_INPUTS.forEach(user::add);
    userAttributes.forEach(user::add);
    ArrayNode room = online.putArray("room");
    roomAttributes.stream().filter(a -> !a.equals("room_id")).forEach(room::add);
    JSON.writerWithDefaultPrettyPrinter().writeValue(bundle.resolve("gateway.json").toFile(), cfg);
    return bundle;
  }

  /**
   * The latest row per entity of each feature view the ranking run joined ({@code
   * spec.data.featureViews} of its spec.yaml), by join key ({@code room_id}, {@code user_id}) and
   * entity: what materialization puts in the online store, so the gateway feeds the ranker the same
   * features it was trained with.
   */
  private static Map<String, Map<Long, Map<String, Object>>> onlineFeatures(
      Statement st, Path rankerRunDir, Path events) throws IOException, SQLException {
    Map<String, Map<Long, Map<String, Object>>> byKey = new HashMap<>();
    Path specFile = rankerRunDir.resolve("spec.yaml");
    if (!Files.exists(specFile)) {
      return byKey;
    }
    JsonNode names =
        new ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
            .readTree(specFile.toFile())
            .path("spec")
            .path("data")
            .path("featureViews");
    List<String> list = new java.util.ArrayList<>();
    names.forEach(n -> list.add(n.asText()));
    for (PointInTimeSql.View v : TrainingFeatureJoin.resolve(events, list)) {
      if (v.spec().entities.size() != 1) {
        continue; // the bundle keys users and rooms by one id
      }
      String key = v.spec().entities.get(0).name;
      String created =
          v.spec().source.createdTimestampField == null
              ? ""
              : ", " + v.spec().source.createdTimestampField + " DESC NULLS LAST";
      String q =
          "SELECT * FROM (SELECT *, row_number() OVER (PARTITION BY "
              + key
              + " ORDER BY "
              + v.spec().source.timestampField
              + " DESC"
              + created
              + ") AS _rn FROM "
              + ParquetSources.duckDbRelation(v.spec().source.uri)
              + ") WHERE _rn = 1";
      Map<Long, Map<String, Object>> rows = byKey.computeIfAbsent(key, k -> new HashMap<>());
      try (ResultSet rs = st.executeQuery(q)) {
        while (rs.next()) {
          Map<String, Object> a = rows.computeIfAbsent(rs.getLong(key), k -> new LinkedHashMap<>());
          for (String f : v.features()) {
            Object value = rs.getObject(f);
            if (value != null) {
              a.put(f, value);
            }
          }
        }
      }
    }
    return byKey;
  }

  private static Set<String> writeRooms(
      Statement st,
      Path file,
      Path events,
      String samples,
      Map<Long, JsonNode> vectors,
      Map<Long, Map<String, Object>> online)
      throws IOException, SQLException {
    String rooms = sql(events.resolve("rooms.parquet").toAbsolutePath().toString());
    String q =
        "SELECT r.room_id, r.host_id, r.category, r.language, r.cover_style, r.followers,"
            + " r.audio_vec, r.visual_vec, r.text_vec,"
            + " coalesce(s.clicks, 0) AS clicks, coalesce(s.viewers, 0) AS viewers"
            + " FROM read_parquet('"
            + rooms
            + "') r LEFT JOIN (SELECT room_id, sum(click) AS clicks,"
            + " arg_max(room_viewers, ts) AS viewers FROM read_parquet('"
            + samples
            + "', hive_partitioning = true) GROUP BY room_id) s USING (room_id) ORDER BY r.room_id";
    Set<String> keys = new LinkedHashSet<>();
    try (ResultSet rs = st.executeQuery(q);
        BufferedWriter out = Files.newBufferedWriter(file)) {
      while (rs.next()) {
        long id = rs.getLong("room_id");
        JsonNode vector = vectors.get(id);
        if (vector == null) {
          continue; // a room the recall run never saw has no vector to be found by
        }
        ObjectNode room = JSON.createObjectNode();
        room.put("roomId", id);
        room.put("hostId", "host-" + rs.getLong("host_id"));
        room.set("embedding", vector);
        room.put("popularity", rs.getLong("clicks"));
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("room_id", id);
        a.put("host_id", rs.getLong("host_id"));
        a.put("category", rs.getInt("category"));
        a.put("room_language", rs.getInt("language"));
        a.put("cover_style", rs.getInt("cover_style"));
        a.put("followers", rs.getInt("followers"));
        a.put("room_viewers", rs.getInt("viewers"));
        for (String v : List.of("audio_vec", "visual_vec", "text_vec")) {
          a.put(v, floats(rs.getArray(v)));
        }
        a.putAll(online.getOrDefault(id, Map.of()));
        keys.addAll(a.keySet());
        room.set("attributes", JSON.valueToTree(a));
        out.write(JSON.writeValueAsString(room));
        out.write('\n');
      }
    }
    return keys;
  }

  private static Set<String> writeUsers(
      Statement st,
      Path file,
      Path recallRunDir,
      String samples,
      Map<Long, Map<String, Object>> online)
      throws IOException, SQLException {
    Set<String> keys = new LinkedHashSet<>();
    Map<Long, Map<String, Object>> raw = new HashMap<>();
    StringBuilder q = new StringBuilder("SELECT user_id");
    for (String col : USER_COLUMNS) {
      q.append(", arg_max(").append(col).append(", ts) AS ").append(col);
    }
    q.append(" FROM read_parquet('")
        .append(samples)
        .append("', hive_partitioning = true) GROUP BY user_id");
    try (ResultSet rs = st.executeQuery(q.toString())) {
      while (rs.next()) {
        Map<String, Object> a = new LinkedHashMap<>();
        for (String col : USER_COLUMNS) {
          Object v = rs.getObject(col);
          if (v != null) {
            a.put(col, ((Number) v).intValue());
          }
        }
        raw.put(rs.getLong("user_id"), a);
      }
    }
    try (BufferedWriter out = Files.newBufferedWriter(file);
        var lines = Files.lines(recallRunDir.resolve("user_inputs.jsonl"))) {
      for (String line : (Iterable<String>) lines::iterator) {
        JsonNode in = JSON.readTree(line);
        long id = in.get("user_id").asLong();
        ObjectNode user = JSON.createObjectNode();
        user.put("userId", Long.toString(id));
        user.set("sparse", in.get("user_sparse"));
        user.set("seq", in.get("seq"));
        Map<String, Object> a = new LinkedHashMap<>(raw.getOrDefault(id, Map.of()));
        a.put("recent_rooms", JSON.convertValue(in.get("recent_rooms"), List.class));
        a.putAll(online.getOrDefault(id, Map.of()));
        keys.addAll(a.keySet());
        user.set("attributes", JSON.valueToTree(a));
        out.write(JSON.writeValueAsString(user));
        out.write('\n');
      }
    }
    return keys;
  }

  private static float[] floats(Array a) throws SQLException {
    Object[] items = (Object[]) a.getArray();
    float[] v = new float[items.length];
    for (int i = 0; i < v.length; i++) {
      v[i] = ((Number) items[i]).floatValue();
    }
    return v;
  }

  private static String sql(String path) {
    return path.replace("'", "''");
  }
}
