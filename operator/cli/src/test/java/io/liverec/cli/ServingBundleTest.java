package io.liverec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.liverec.gateway.RecommendRequest;
import io.liverec.gateway.RoomFeatures;
import io.liverec.gateway.TransformedRankerInputs;
import io.liverec.gateway.UserFeatures;
import io.liverec.pipelines.eval.Auc;
import io.liverec.pipelines.features.TransformSpec;
import io.liverec.serving.onnx.OnnxRuntimeBackend;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The serving bundle the demo writes from its runs, served: every column the ranker was trained on
 * reaches it from the bundle (none missing), the gateway's encoding of held-out impressions scores
 * them as well as training's own evaluation did, and requests over HTTP are served by both models.
 */
class ServingBundleTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final List<String> ROOM_VIEW =
      List.of("room_impressions_1h", "room_clicks_1h", "room_watch_seconds_1h");
  static final List<String> USER_VIEW =
      List.of(
          "user_impressions_1d", "user_clicks_1d", "user_watch_seconds_1d", "user_gift_value_1d");
  @TempDir static Path tmp;
  static Path events;
  static Path rankerRun;
  static Path bundle;

  @BeforeAll
  static void trainAndBundle() throws Exception {
    TinyWorld world = TinyWorld.train(tmp, "bundle", 2);
    events = world.events();
    rankerRun = world.rankerRun();
    bundle = ServingBundle.write(tmp.resolve("serving"), rankerRun, world.recallRun(), events);
  }

  @Test
  void everyTrainedColumnReachesTheRankerFromTheBundle() throws Exception {
    TransformedRankerInputs inputs = inputs();
    List<RoomFeatures> rooms = new ArrayList<>();
    for (JsonNode r : lines("rooms.jsonl")) {
      rooms.add(new RoomFeatures(new long[0], new float[0], map(r.get("attributes"))));
    }
    assertThat(rooms).hasSize(60);
    int users = 0;
    for (JsonNode u : lines("users.jsonl")) {
      if (u.get("attributes").size() < 7) {
        continue; // a user never sampled has no profile row (the transform's repair covers it)
      }
      UserFeatures user = new UserFeatures(new long[0], new long[0], map(u.get("attributes")));
      inputs.encode(
          new RecommendRequest(u.get("userId").asText(), "feed", Map.of("hour", "20"), 10),
          user,
          rooms);
      users++;
    }
    assertThat(users).isGreaterThan(100);
    // the feature views' latest values are in the bundle, as materialization puts them online
    assertThat(lines("rooms.jsonl").get(0).get("attributes").has("room_clicks_1h")).isTrue();
    assertThat(inputs.counters().missing()).isEmpty();
    assertThat(inputs.counters().badWidth()).isEmpty();
    assertThat(inputs.counters().nonFinite()).isEmpty();
  }

  @Test
  void theGatewaysEncodingScoresHeldOutImpressionsAsTrainingDid() throws Exception {
    Map<Long, Map<String, Object>> rooms = new HashMap<>();
    for (JsonNode r : lines("rooms.jsonl")) {
      rooms.put(r.get("roomId").asLong(), map(r.get("attributes")));
    }
    TransformedRankerInputs inputs = inputs();
    JsonNode cfg = JSON.readTree(bundle.resolve("gateway.json").toFile());
    String ranker = cfg.get("rankers").get(0).get("name").asText();
    List<Double> scores = new ArrayList<>();
    List<Double> labels = new ArrayList<>();
    String lastDay;
    // the rows the ranker was evaluated on: its samples joined with the feature views
    Path samples = rankerRun.resolve("samples_pit");
    assertThat(samples).isDirectory();
    try (Stream<Path> days = Files.list(samples)) {
      lastDay =
          days.map(p -> p.getFileName().toString()).sorted().reduce((a, b) -> b).orElseThrow();
    }
    try (OnnxRuntimeBackend onnx = new OnnxRuntimeBackend(bundle.resolve("repository"), 1);
        Connection c = DriverManager.getConnection("jdbc:duckdb:");
        ResultSet rs =
            c.createStatement()
                .executeQuery(
                    "SELECT * FROM read_parquet('"
                        + samples.resolve(lastDay).toAbsolutePath()
                        + "/*.parquet') ORDER BY request_id, position LIMIT 4000")) {
      while (rs.next()) {
        Map<String, Object> user = new LinkedHashMap<>();
        for (String col :
            List.of("gender", "age_bucket", "city", "device", "user_language", "spender_level")) {
          user.put(col, rs.getObject(col));
        }
        user.put("recent_rooms", Arrays.asList((Object[]) rs.getArray("recent_rooms").getArray()));
        Map<String, Object> room = new HashMap<>(rooms.get(rs.getLong("room_id")));
        room.put("room_viewers", rs.getInt("room_viewers"));
        room.put("followers", rs.getInt("followers"));
        // the features as known at the impression (the bundle holds the latest, for serving now)
        // (no value within the ttl: absent, as the online store has none)
        for (String f : ROOM_VIEW) {
          room.remove(f);
          if (rs.getObject(f) != null) {
            room.put(f, rs.getObject(f));
          }
        }
        for (String f : USER_VIEW) {
          if (rs.getObject(f) != null) {
            user.put(f, rs.getObject(f));
          }
        }
        var tensors =
            inputs.encode(
                new RecommendRequest(
                    Long.toString(rs.getLong("user_id")),
                    rs.getString("surface"),
                    Map.of(
                        "hour", Integer.toString(rs.getInt("hour")),
                        "position", Integer.toString(rs.getInt("position"))),
                    1),
                new UserFeatures(new long[0], new long[0], user),
                List.of(new RoomFeatures(new long[0], new float[0], room)));
        scores.add((double) onnx.infer(ranker, 1, tensors, List.of("ctr")).get("ctr").floats()[0]);
        labels.add((double) rs.getInt("click"));
      }
    }
    double auc =
        Auc.of(
            scores.stream().mapToDouble(Double::doubleValue).toArray(),
            labels.stream().mapToDouble(Double::doubleValue).toArray());
    double trained =
        JSON.readTree(rankerRun.resolve("metrics.json").toFile()).at("/holdout/ctr/auc").asDouble();
    assertThat(auc).as("served ctr AUC on held-out impressions").isGreaterThan(0.6);
    assertThat(Math.abs(auc - trained))
        .as("served %.4f vs training's holdout %.4f", auc, trained)
        .isLessThan(0.03);
  }

  @Test
  void requestsOverHttpAreServedByBothModels() throws Exception {
    List<JsonNode> responses;
    try (PrintStream p = new PrintStream(new java.io.ByteArrayOutputStream())) {
      responses = DemoRequests.print(bundle, p);
    }
    assertThat(responses).hasSize(4);
    for (JsonNode r : responses.subList(0, 3)) {
      assertThat(r.get("outcome").asText()).isEqualTo("served");
      assertThat(r.get("items")).hasSize(DemoRequests.K);
      assertThat(r.get("models").get("ranker").asText()).endsWith("/1");
      assertThat(r.get("models").get("userTower").asText()).isEqualTo("user_tower/1");
    }
    assertThat(responses.get(3).get("outcome").asText()).isEqualTo("cold_start");
  }

  private static TransformedRankerInputs inputs() throws Exception {
    JsonNode cfg = JSON.readTree(bundle.resolve("gateway.json").toFile());
    return new TransformedRankerInputs(
        TransformSpec.load(bundle.resolve(cfg.get("rankerTransform").asText())));
  }

  private static List<JsonNode> lines(String file) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (String line : Files.readAllLines(bundle.resolve(file))) {
      out.add(JSON.readTree(line));
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(JsonNode n) {
    return JSON.convertValue(n, Map.class);
  }
}
