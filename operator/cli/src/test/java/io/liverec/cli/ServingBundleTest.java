package io.liverec.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.liverec.featurestore.server.FeatureServer;
import io.liverec.gateway.FeastOnlineFeatures;
import io.liverec.gateway.RecommendRequest;
import io.liverec.gateway.RecommendResponse;
import io.liverec.gateway.Recommender;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

  /**
   * The demo's features stage: the bundle's users and rooms materialized into a Feast repository
   * and served by the feature server give the gateway the same rankings and scores as the bundle's
   * own files — every raw column the ranker's transform reads crosses Feast (a lost or retyped
   * attribute changes the scores), and a user Feast does not hold is a cold start.
   */
  @Test
  void theBundlesFeaturesThroughFeastRankAsTheBundlesOwn() throws Exception {
    BundleFeatures.Result m =
        BundleFeatures.materialize(bundle, tmp.resolve("feast"), Instant.now());
    assertThat(m.users()).isEqualTo(lines("users.jsonl").size());
    assertThat(m.rooms()).isEqualTo(lines("rooms.jsonl").size());
    List<String> users = new ArrayList<>();
    for (JsonNode u : lines("users.jsonl")) {
      if (u.path("attributes").path("recent_rooms").size() >= 3 && users.size() < 5) {
        users.add(u.get("userId").asText());
      }
    }
    assertThat(users).hasSize(5);
    List<RecommendResponse> own = new ArrayList<>();
    try (ServeCommand.Running g = ServeCommand.start(bundle, "127.0.0.1", 0, 2)) {
      for (String u : users) {
        own.add(g.recommender().recommend(new RecommendRequest(u, "feed", hour0(), 10)));
      }
    }
    System.setProperty(FeastOnlineFeatures.DEADLINE_PROPERTY, "5000");
    try (FeatureServer fs = FeatureServer.start(m.repo(), "127.0.0.1", 0);
        ServeCommand.Running g =
            ServeCommand.start(bundle, "127.0.0.1", 0, 2, Optional.of("127.0.0.1:" + fs.port()))) {
      assertThat(((FeastOnlineFeatures) g.features()).references())
          .contains("user_features:seq", "user_features:city", "room_features:audio_vec")
          .contains("user_features:" + USER_VIEW.get(0), "room_features:" + ROOM_VIEW.get(0));
      for (int i = 0; i < users.size(); i++) {
        RecommendResponse got =
            g.recommender().recommend(new RecommendRequest(users.get(i), "feed", hour0(), 10));
        RecommendResponse want = own.get(i);
        assertThat(got.outcome()).as(users.get(i)).isEqualTo(Recommender.SERVED);
        assertThat(got.items()).hasSize(10);
        for (int j = 0; j < 10; j++) {
          assertThat(got.items().get(j).roomId())
              .as("%s item %d", users.get(i), j)
              .isEqualTo(want.items().get(j).roomId());
          assertThat(got.items().get(j).score())
              .isCloseTo(want.items().get(j).score(), within(1e-6));
        }
      }
      assertThat(
              g.recommender()
                  .recommend(new RecommendRequest("not-in-feast", "feed", hour0(), 10))
                  .outcome())
          .isEqualTo(Recommender.COLD_START);
    } finally {
      System.clearProperty(FeastOnlineFeatures.DEADLINE_PROPERTY);
    }
  }

  /** A fixed hour, so both gateways encode the request alike whenever the test runs. */
  private static Map<String, String> hour0() {
    return Map.of("hour", "20");
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
