package io.liverec.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.liverec.serving.inference.InferenceBackend;
import io.liverec.serving.inference.Tensor;
import io.liverec.serving.repository.ModelRepositoryPublisher;
import io.liverec.serving.repository.ServingOptions;
import io.liverec.serving.triton.RetryPolicy;
import io.liverec.serving.triton.TritonClient;
import io.liverec.serving.triton.TritonHttpClient;
import io.liverec.serving.triton.TritonProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway on a real tritonserver of its own, and what a user sees when that server fails: the
 * same recommendations as the embedded backend while it is healthy, and under a frozen server
 * (SIGSTOP: slower than any deadline) or a stopped one, every request still answered with 200 and a
 * counted fallback — ranker slow → recall order; user tower unreachable → popular live rooms.
 */
class GatewayTritonFaultIT {
  static final ObjectMapper JSON = new ObjectMapper();
  static final int REQUESTS = 12;

  @TempDir Path dir;
  Fixture fx;
  TritonProcess triton;
  TritonClient client;
  final List<AutoCloseable> open = new ArrayList<>();
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void setUp() throws Exception {
    fx = new Fixture(dir);
    Path repo = dir.resolve("triton-repo");
    ModelRepositoryPublisher publisher = new ModelRepositoryPublisher(repo);
    ServingOptions python =
        ServingOptions.cpu(ServingOptions.Backend.PYTHON).withInstances(1, false);
    for (ModelRef m : List.of(Fixture.TOWER, Fixture.RANKER_V1)) {
      publisher.publish(
          m.name(),
          m.version(),
          dir.resolve("repo").resolve(m.name()).resolve(m.version() + "/model.onnx"),
          Map.of(),
          python);
    }
    triton = TritonProcess.start(repo, dir.resolve("triton.log"), false);
    try (TritonHttpClient admin = triton.httpClient()) {
      admin.load(Fixture.TOWER.name(), null);
      admin.load(Fixture.RANKER_V1.name(), null);
    }
    // as the gateway is configured in production: short call deadline, one retry at most
    client =
        new TritonClient(
            triton.grpcTarget(),
            Duration.ofMillis(300),
            Duration.ofMinutes(2),
            new RetryPolicy(2, Duration.ofMillis(20), Duration.ofMillis(50)));
  }

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
    client.close();
    triton.close();
    fx.close();
  }

  @Test
  void healthyTritonServesWhatTheEmbeddedBackendServes() throws Exception {
    GatewayServer onTriton = serve(client);
    GatewayServer embedded = serve(fx.onnx);
    awaitReady(onTriton); // as Kubernetes' readiness probe holds traffic until then
    for (int u = 0; u < REQUESTS; u++) {
      JsonNode a = recommend(onTriton, "u" + u);
      JsonNode b = recommend(embedded, "u" + u);
      assertThat(a.get("outcome").asText()).isEqualTo("served");
      assertThat(roomIds(a)).isEqualTo(roomIds(b));
      for (int i = 0; i < a.get("items").size(); i++) {
        double sa = a.get("items").get(i).get("score").asDouble();
        double sb = b.get("items").get(i).get("score").asDouble();
        assertThat(Math.abs(sa - sb)).isLessThanOrEqualTo(1e-5 * Math.max(1, Math.abs(sb)));
      }
    }
  }

  @Test
  void frozenRankerFallsBackToRecallOrderAndRecovers() throws Exception {
    // the user tower embedded in the gateway, the ranker on Triton
    GatewayMetrics metrics = new GatewayMetrics();
    GatewayServer server = serve(new TowerEmbedded(fx.onnx, client), metrics);
    assertThat(recommend(server, "u0").get("outcome").asText()).isEqualTo("served");

    triton.freeze();
    try {
      for (int u = 0; u < REQUESTS; u++) {
        JsonNode r = recommend(server, "u" + u);
        assertThat(r.get("outcome").asText()).isEqualTo(Recommender.RANKER_FALLBACK);
        assertThat(r.get("items")).hasSize(10);
        assertThat(r.get("models").has("userTower")).isTrue();
      }
    } finally {
      triton.thaw();
    }
    assertThat(metrics.outcomeCount(Recommender.RANKER_FALLBACK)).isEqualTo(REQUESTS);
    // a thawed server answers again; the gateway needs no restart
    String outcome = "";
    for (long end = System.nanoTime() + 30_000_000_000L;
        System.nanoTime() < end && !outcome.equals("served");
        Thread.sleep(100)) {
      outcome = recommend(server, "u1").get("outcome").asText();
    }
    assertThat(outcome).isEqualTo("served");
  }

  @Test
  void frozenOrStoppedTritonFallsBackToPopularLiveRooms() throws Exception {
    GatewayMetrics metrics = new GatewayMetrics();
    GatewayServer server = serve(client, metrics);
    triton.freeze();
    try {
      for (int u = 0; u < REQUESTS; u++) {
        assertThat(recommend(server, "u" + u).get("outcome").asText())
            .isEqualTo(Recommender.RECALL_FALLBACK);
      }
    } finally {
      triton.thaw();
    }
    triton.close();
    for (int u = 0; u < REQUESTS; u++) {
      JsonNode r = recommend(server, "u" + u);
      assertThat(r.get("outcome").asText()).isEqualTo(Recommender.RECALL_FALLBACK);
      for (JsonNode item : r.get("items")) {
        assertThat(fx.index.isLive(item.get("roomId").asInt())).isTrue();
      }
    }
    assertThat(metrics.outcomeCount(Recommender.RECALL_FALLBACK)).isEqualTo(2 * REQUESTS);
  }

  private GatewayServer serve(InferenceBackend backend) {
    return serve(backend, new GatewayMetrics());
  }

  private GatewayServer serve(InferenceBackend backend, GatewayMetrics metrics) {
    Recommender rec =
        new Recommender(
            GatewayConfig.defaults(Fixture.TOWER).withRankerDeadline(Duration.ofMillis(200)),
            fx.features,
            fx.index,
            backend,
            () -> TrafficSplit.single(Fixture.RANKER_V1),
            metrics);
    GatewayServer server = new GatewayServer(rec, "127.0.0.1", 0, 2);
    open.add(server);
    open.add(rec);
    return server;
  }

  /** Polls {@code /health/ready} until it answers 200 (at most 30 s). */
  private void awaitReady(GatewayServer server) throws Exception {
    HttpRequest probe =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/health/ready"))
            .build();
    long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    int status;
    do {
      status = http.send(probe, HttpResponse.BodyHandlers.ofString()).statusCode();
      if (status != 200) {
        Thread.sleep(100);
      }
    } while (status != 200 && System.nanoTime() < until);
    assertThat(status).as("gateway ready on Triton").isEqualTo(200);
  }

  /** POSTs one request; anything but 200 fails the test (0 failed requests). */
  private JsonNode recommend(GatewayServer server, String user) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.port() + "/v1/recommend"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"userId\":\"" + user + "\",\"k\":10}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private static List<Integer> roomIds(JsonNode response) {
    List<Integer> ids = new ArrayList<>();
    response.get("items").forEach(i -> ids.add(i.get("roomId").asInt()));
    return ids;
  }

  /** The user tower in process, everything else on Triton (a two-backend deployment). */
  private record TowerEmbedded(InferenceBackend tower, InferenceBackend rest)
      implements InferenceBackend {
    @Override
    public Map<String, Tensor> infer(
        String model, int version, List<Tensor> inputs, List<String> outputs) {
      return (model.equals(Fixture.TOWER.name()) ? tower : rest)
          .infer(model, version, inputs, outputs);
    }
  }
}
