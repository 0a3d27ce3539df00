package io.liverec.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatewayServerTest {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;
  Fixture fx;
  Recommender rec;
  GatewayServer server;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void setUp() throws Exception {
    fx = new Fixture(dir);
    rec = fx.recommender();
    server = new GatewayServer(rec, "127.0.0.1", 0, 2);
  }

  @AfterEach
  void tearDown() {
    server.close();
    rec.close();
    fx.close();
  }

  HttpResponse<String> post(String path, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void recommendReturnsKLiveRoomsWithScoresReasonsAndVersions() throws Exception {
    HttpResponse<String> r =
        post(
            "/v1/recommend",
            "{\"userId\":\"u4\",\"surface\":\"home\",\"context\":{\"os\":\"ios\"},\"k\":7}");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode body = JSON.readTree(r.body());
    assertThat(body.get("items")).hasSize(7);
    assertThat(body.get("items").get(0).get("reasons").size()).isPositive();
    assertThat(body.get("items").get(0).get("score").asDouble()).isPositive();
    assertThat(body.get("models").get("ranker").asText()).isEqualTo("ranker/1");
    assertThat(body.get("models").get("userTower").asText()).isEqualTo("user_tower/1");
    assertThat(body.get("outcome").asText()).isEqualTo("served");
  }

  @Test
  void unknownUserIsColdStartNotAnError() throws Exception {
    HttpResponse<String> r = post("/v1/recommend", "{\"userId\":\"nobody\",\"k\":3}");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(r.body()).get("outcome").asText()).isEqualTo("cold_start");
  }

  @Test
  void badInputIsA4xxNamingTheField() throws Exception {
    assertField(post("/v1/recommend", "{\"userId\":"), 400, "body");
    assertField(post("/v1/recommend", "[1,2]"), 400, "body");
    assertField(post("/v1/recommend", "{\"k\":3}"), 400, "userId");
    assertField(post("/v1/recommend", "{\"userId\":7}"), 400, "userId");
    assertField(post("/v1/recommend", "{\"userId\":\"u1\",\"k\":0}"), 400, "k");
    assertField(post("/v1/recommend", "{\"userId\":\"u1\",\"k\":101}"), 400, "k");
    assertField(post("/v1/recommend", "{\"userId\":\"u1\",\"k\":2.5}"), 400, "k");
    assertField(post("/v1/recommend", "{\"userId\":\"u1\",\"context\":3}"), 400, "context");
    assertField(post("/v1/recommend", "{\"userId\":\"" + "x".repeat(70_000) + "\"}"), 413, "body");
    assertField(
        post("/v1/feedback", "{\"userId\":\"u1\",\"roomId\":3,\"event\":\"like\"}"), 400, "event");
    assertField(post("/v1/feedback", "{\"userId\":\"u1\",\"event\":\"click\"}"), 400, "roomId");
    assertField(get("/v1/recommend"), 405, "method");
    assertField(get("/nope"), 404, "path");
  }

  private static void assertField(HttpResponse<String> r, int status, String field)
      throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(JSON.readTree(r.body()).get("field").asText()).isEqualTo(field);
    assertThat(JSON.readTree(r.body()).get("error").asText()).startsWith(field + ":");
  }

  @Test
  void feedbackIsCountedPerEventAndRankerVersion() throws Exception {
    int room = fx.index.popularLive(Fixture.ROOMS).get(Fixture.ROOMS - 1).roomId();
    for (int i = 0; i < 3; i++) {
      assertThat(
              post(
                      "/v1/feedback",
                      "{\"userId\":\"u1\",\"roomId\":"
                          + room
                          + ",\"event\":\"gift\",\"value\":100}")
                  .statusCode())
          .isEqualTo(202);
    }
    assertThat(fx.index.popularLive(1).get(0).roomId()).isEqualTo(room);
    String metrics = get("/metrics").body();
    assertThat(metrics)
        .contains(
            "liverec_gateway_feedback_total{kind=\"gift\",model=\"ranker\",version=\"1\",} 3.0");
  }

  @Test
  void healthAndOpenApiAnswer() throws Exception {
    HttpResponse<String> h = get("/health");
    assertThat(h.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(h.body()).get("liveRooms").asInt()).isEqualTo(Fixture.ROOMS);
    JsonNode api = JSON.readTree(get("/openapi.json").body());
    assertThat(api.get("paths").has("/v1/recommend")).isTrue();
    assertThat(api.get("paths").has("/v1/feedback")).isTrue();
  }

  @Test
  void readinessNamesTheModelsTheBackendCannotServeWhileLivenessStaysUp() throws Exception {
    HttpResponse<String> ready = get("/health/ready");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(ready.body()).get("status").asText()).isEqualTo("UP");

    fx.backend.failing = Fixture.RANKER_V1.name();
    HttpResponse<String> down = get("/health/ready");
    assertThat(down.statusCode()).isEqualTo(503);
    assertThat(JSON.readTree(down.body()).get("notReady").toString())
        .contains(Fixture.RANKER_V1.toString())
        .doesNotContain(Fixture.TOWER.toString());
    assertThat(get("/health/live").statusCode()).isEqualTo(200);
    // not ready is not down: requests still get the recall-order fallback
    HttpResponse<String> r = post("/v1/recommend", "{\"userId\":\"u4\",\"k\":5}");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(r.body()).get("outcome").asText()).isEqualTo("ranker_fallback");
  }

  @Test
  void tenThousandRandomBodiesGiveNo5xx() throws Exception {
    Random r = new Random(99);
    String[] fragments = {
      "{", "}", "[", "]", ",", ":", "\"userId\"", "\"k\"", "\"context\"", "\"surface\"", "\"u1\"",
      "-1", "0", "3", "1e309", "99999999999", "null", "true", "\"\"", "{\"a\":{}}", "\\u0000", "\"",
      "\"roomId\"", "\"event\"", "\"gift\"", "2.5", "\"value\"", "NaN"
    };
    TreeMap<Integer, Integer> statuses = new TreeMap<>();
    for (int i = 0; i < 10_000; i++) {
      StringBuilder b = new StringBuilder();
      int kind = r.nextInt(3);
      if (kind == 0) {
        int n = r.nextInt(12);
        for (int j = 0; j < n; j++) {
          b.append(fragments[r.nextInt(fragments.length)]);
        }
      } else if (kind == 1) {
        b.append("{\"userId\":")
            .append(fragments[r.nextInt(fragments.length)])
            .append(",\"k\":")
            .append(fragments[r.nextInt(fragments.length)])
            .append(",\"context\":")
            .append(fragments[r.nextInt(fragments.length)])
            .append("}");
      } else {
        int n = r.nextInt(40);
        for (int j = 0; j < n; j++) {
          b.append((char) r.nextInt(128));
        }
      }
      String path = r.nextInt(4) == 0 ? "/v1/feedback" : "/v1/recommend";
      int status = post(path, b.toString()).statusCode();
      statuses.merge(status, 1, Integer::sum);
    }
    assertThat(statuses.keySet()).allMatch(s -> s < 500);
    assertThat(statuses).containsKey(400);
  }
}
