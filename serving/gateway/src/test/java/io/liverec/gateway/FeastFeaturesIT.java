package io.liverec.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.liverec.api.v1alpha1.FeatureViewSpec;
import io.liverec.api.v1alpha1.FeatureViewSpec.Field;
import io.liverec.api.v1alpha1.FeatureViewSpec.ValueType;
import io.liverec.featurestore.FeastPython;
import io.liverec.featurestore.feast.FeastFeatureRegistry;
import io.liverec.featurestore.feast.FeastRepo;
import io.liverec.featurestore.feast.OnlineStoreConfig;
import io.liverec.featurestore.server.FeatureServer;
import io.liverec.testenv.TestEnv;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway reading its online features from a Feast ServingService, end to end on real parts:
 * the fixture's user and room features are written as Parquet tables (DuckDB), registered as Feast
 * feature views in a Feast repository with a Redis online store, materialized by the real Feast
 * Python SDK, and served by LiveRec's feature server; the gateway asks it through the Feast Java
 * SDK ({@link FeastOnlineFeatures}). Each entity also has an older row with other values, and some
 * users and rooms have no row at all, so serving the wrong row or inventing one changes the answer.
 */
class FeastFeaturesIT {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Instant OLD = Instant.parse("2026-03-01T00:00:00Z");
  static final Instant LATEST = OLD.plus(Duration.ofHours(1));
  static final int K = 10;

  @TempDir static Path dir;
  static Fixture fx;
  static Path repo;

  /** The same values as the Parquet tables' latest rows, in memory. */
  static final InProcessOnlineFeatures inProcess = new InProcessOnlineFeatures();

  static boolean userHasRow(int u) {
    return u % 20 != 7;
  }

  static boolean roomHasRow(int room) {
    return room % 10 != 3;
  }

  @BeforeAll
  static void materializeTheFixturesFeaturesWithFeast() throws Exception {
    fx = new Fixture(dir.resolve("models"));
    repo = dir.resolve("feast");
    Path users = dir.resolve("user_features.parquet");
    Path rooms = dir.resolve("room_features.parquet");
    writeTables(users, rooms);
    String project =
        "gw_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
    OnlineStoreConfig redis =
        OnlineStoreConfig.parse("redis://" + TestEnv.require("LIVEREC_IT_REDIS", "Redis"), repo);
    FeastFeatureRegistry registry = new FeastFeatureRegistry(new FeastRepo(repo, project, redis));
    registry.register(
        "liverec",
        FeastOnlineFeatures.USER_VIEW,
        spec(
            users,
            new Field("user_id", ValueType.STRING),
            new Field("sparse", ValueType.INT64_LIST),
            new Field("seq", ValueType.INT64_LIST)));
    registry.register(
        "liverec",
        FeastOnlineFeatures.ROOM_VIEW,
        spec(
            rooms,
            new Field("room_id", ValueType.INT64),
            new Field("sparse", ValueType.INT64_LIST),
            new Field("dense", ValueType.FLOAT_LIST)));
    FeastPython.tool(
        "materialize",
        repo.toString(),
        OLD.minus(Duration.ofDays(1)).toString(),
        LATEST.plus(Duration.ofHours(1)).toString());
  }

  @AfterAll
  static void closeFixture() {
    if (fx != null) {
      fx.close();
    }
  }

  static FeatureViewSpec spec(Path table, Field entity, Field... features) {
    FeatureViewSpec s = new FeatureViewSpec();
    s.entities = new ArrayList<>(List.of(entity));
    s.features = new ArrayList<>(List.of(features));
    s.source.uri = "file://" + table.toAbsolutePath();
    s.source.timestampField = "event_ts";
    s.ttl = "0s";
    return s;
  }

  /**
   * Latest rows: the fixture's features (also put in {@link #inProcess}); older rows: other values
   * that must never be served.
   */
  static void writeTables(Path users, Path rooms) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement()) {
      st.execute(
          "CREATE TABLE u (user_id VARCHAR, sparse BIGINT[], seq BIGINT[], event_ts TIMESTAMP)");
      st.execute(
          "CREATE TABLE r (room_id BIGINT, sparse BIGINT[], dense FLOAT[], event_ts TIMESTAMP)");
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO u VALUES (?, CAST(? AS BIGINT[]), CAST(? AS BIGINT[]), ?)")) {
        for (int u = 0; u < Fixture.USERS; u++) {
          if (!userHasRow(u)) {
            continue;
          }
          String id = "u" + u;
          UserFeatures f = fx.features.user(id).orElseThrow();
          inProcess.putUser(id, f);
          long[] oldSeq = f.sequence().clone();
          oldSeq[0] = (oldSeq[0] + 1) % io.liverec.serving.TinyModels.VOCAB;
          addRow(ps, id, json(f.sparse()), json(oldSeq), OLD);
          addRow(ps, id, json(f.sparse()), json(f.sequence()), LATEST);
        }
        ps.executeBatch();
      }
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO r VALUES (?, CAST(? AS BIGINT[]), CAST(? AS FLOAT[]), ?)")) {
        for (int room = 0; room < Fixture.ROOMS; room++) {
          if (!roomHasRow(room)) {
            continue;
          }
          RoomFeatures f = fx.features.room(room).orElseThrow();
          inProcess.putRoom(room, f);
          float[] oldDense = f.dense().clone();
          oldDense[0] += 0.5f;
          addRow(ps, (long) room, json(f.sparse()), json(oldDense), OLD);
          addRow(ps, (long) room, json(f.sparse()), json(f.dense()), LATEST);
        }
        ps.executeBatch();
      }
      st.execute("COPY (SELECT * FROM u ORDER BY event_ts) TO '" + users + "' (FORMAT parquet)");
      st.execute("COPY (SELECT * FROM r ORDER BY event_ts) TO '" + rooms + "' (FORMAT parquet)");
    }
  }

  private static void addRow(PreparedStatement ps, Object id, String a, String b, Instant ts)
      throws Exception {
    ps.setObject(1, id);
    ps.setString(2, a);
    ps.setString(3, b);
    ps.setObject(4, LocalDateTime.ofInstant(ts, ZoneOffset.UTC));
    ps.addBatch();
  }

  private static String json(long[] v) {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < v.length; i++) {
      b.append(i == 0 ? "" : ",").append(v[i]);
    }
    return b.append(']').toString();
  }

  /** Float.toString is the shortest text that reads back as the same float: exact. */
  private static String json(float[] v) {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < v.length; i++) {
      b.append(i == 0 ? "" : ",").append(Float.toString(v[i]));
    }
    return b.append(']').toString();
  }

  static Recommender recommender(OnlineFeatures features, GatewayMetrics metrics) {
    return new Recommender(
        Fixture.config(),
        features,
        fx.index,
        fx.backend,
        () -> TrafficSplit.single(Fixture.RANKER_V1),
        metrics);
  }

  @Test
  void featuresServedThroughFeastRankEveryUserExactlyAsTheInProcessStore() throws Exception {
    GatewayMetrics viaFeast = new GatewayMetrics();
    GatewayMetrics local = new GatewayMetrics();
    try (FeatureServer server = FeatureServer.start(repo, "127.0.0.1", 0);
        FeastOnlineFeatures feast =
            FeastOnlineFeatures.connect("127.0.0.1:" + server.port(), Duration.ofSeconds(5));
        Recommender a = recommender(inProcess, local);
        Recommender b = recommender(feast, viaFeast)) {
      int served = 0;
      int cold = 0;
      for (int u = 0; u < Fixture.USERS; u++) {
        RecommendRequest req = new RecommendRequest("u" + u, "home", Map.of(), K);
        RecommendResponse want = a.recommend(req);
        RecommendResponse got = b.recommend(req);
        String expectedOutcome = userHasRow(u) ? Recommender.SERVED : Recommender.COLD_START;
        assertThat(want.outcome()).as("in-process, u%d", u).isEqualTo(expectedOutcome);
        assertThat(got.outcome()).as("via Feast, u%d", u).isEqualTo(expectedOutcome);
        assertThat(got.items()).as("u%d", u).hasSize(K);
        assertThat(got.items().stream().map(RecommendResponse.Item::roomId).toList())
            .as("rooms of u%d", u)
            .isEqualTo(want.items().stream().map(RecommendResponse.Item::roomId).toList());
        for (int i = 0; i < K; i++) {
          assertThat(got.items().get(i).score())
              .as("u%d, item %d", u, i)
              .isCloseTo(want.items().get(i).score(), within(1e-6));
          if (expectedOutcome.equals(Recommender.SERVED)) {
            assertThat(roomHasRow(got.items().get(i).roomId())).isTrue();
          }
        }
        if (expectedOutcome.equals(Recommender.SERVED)) {
          served++;
        } else {
          cold++;
        }
      }
      assertThat(served).isEqualTo(95);
      assertThat(cold).isEqualTo(5);
      assertThat(viaFeast.outcomeCount(Recommender.SERVED)).isEqualTo(served);
      assertThat(viaFeast.outcomeCount(Recommender.FEATURE_FALLBACK)).isZero();
      assertThat(server.corruptValues()).isZero();
    }
  }

  @Test
  void featureServerStoppedMidWayEveryRequestAnswersAndEachOneIsAFeatureFallback()
      throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    GatewayMetrics metrics = new GatewayMetrics();
    FeatureServer server = FeatureServer.start(repo, "127.0.0.1", 0);
    int port = server.port();
    try (FeastOnlineFeatures feast =
            FeastOnlineFeatures.connect("127.0.0.1:" + port, Duration.ofSeconds(2));
        Recommender rec = recommender(feast, metrics);
        GatewayServer gateway = new GatewayServer(rec, "127.0.0.1", 0, 2)) {
      assertThat(feast.warmUp(Duration.ofSeconds(10))).isTrue();
      URI uri = URI.create("http://127.0.0.1:" + gateway.port() + "/v1/recommend");
      for (int u = 0; u < 10; u++) {
        if (!userHasRow(u)) {
          continue;
        }
        JsonNode body = recommend(http, uri, "u" + u);
        assertThat(body.get("outcome").asText()).as("u%d, server up", u).isEqualTo("served");
      }
      assertThat(metrics.outcomeCount(Recommender.FEATURE_FALLBACK)).isZero();

      server.close();
      long t0 = System.nanoTime();
      assertThat(feast.warmUp(Duration.ofMillis(300)))
          .as("warm-up against a stopped server")
          .isFalse();
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
      int whileDown = 25;
      for (int i = 0; i < whileDown; i++) {
        JsonNode body = recommend(http, uri, "u" + (i % 20));
        assertThat(body.get("outcome").asText())
            .as("request %d, server down", i)
            .isEqualTo(Recommender.FEATURE_FALLBACK);
        assertThat(body.get("items")).hasSize(K);
      }
      assertThat(metrics.outcomeCount(Recommender.FEATURE_FALLBACK)).isEqualTo(whileDown);

      // back on the same port: the gateway recovers by itself, no restart
      server = FeatureServer.start(repo, "127.0.0.1", port);
      long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      String outcome = "";
      int retries = 0;
      while (!outcome.equals("served") && System.nanoTime() < until) {
        Thread.sleep(200);
        outcome = recommend(http, uri, "u0").get("outcome").asText();
        retries++;
      }
      assertThat(outcome).as("served again after the feature server came back").isEqualTo("served");
      double fallbacks = metrics.outcomeCount(Recommender.FEATURE_FALLBACK);
      assertThat(fallbacks).isEqualTo(whileDown + retries - 1);
      for (int u = 10; u < 20; u++) {
        if (!userHasRow(u)) {
          continue;
        }
        assertThat(recommend(http, uri, "u" + u).get("outcome").asText()).isEqualTo("served");
      }
      assertThat(metrics.outcomeCount(Recommender.FEATURE_FALLBACK)).isEqualTo(fallbacks);
    } finally {
      server.close();
    }
  }

  @Test
  void aFeatureServerSlowerThanTheDeadlineIsAFeatureFallbackAndRecoversWhenFastAgain()
      throws Exception {
    GatewayMetrics metrics = new GatewayMetrics();
    try (FeatureServer server = FeatureServer.start(repo, "127.0.0.1", 0);
        DelayingProxy proxy = new DelayingProxy(server.port());
        FeastOnlineFeatures feast =
            FeastOnlineFeatures.connect("127.0.0.1:" + proxy.port(), Duration.ofSeconds(1));
        Recommender rec = recommender(feast, metrics)) {
      RecommendRequest req = new RecommendRequest("u1", "home", Map.of(), K);
      assertThat(rec.recommend(req).outcome()).isEqualTo(Recommender.SERVED);
      proxy.delay = Duration.ofMillis(2_000);
      int slow = 3;
      for (int i = 0; i < slow; i++) {
        long t0 = System.nanoTime();
        RecommendResponse r = rec.recommend(req);
        long ms = Duration.ofNanos(System.nanoTime() - t0).toMillis();
        assertThat(r.outcome()).isEqualTo(Recommender.FEATURE_FALLBACK);
        assertThat(r.items()).hasSize(K);
        assertThat(ms).as("answered at the deadline, not after the slow server").isLessThan(2_000);
      }
      assertThat(metrics.outcomeCount(Recommender.FEATURE_FALLBACK)).isEqualTo(slow);
      proxy.delay = Duration.ZERO;
      Thread.sleep(2 * 2_000); // the replies already held back drain
      assertThat(rec.recommend(req).outcome()).isEqualTo(Recommender.SERVED);
      assertThat(metrics.outcomeCount(Recommender.FEATURE_FALLBACK)).isEqualTo(slow);
    }
  }

  /**
   * A TCP proxy in front of the feature server that holds back each reply chunk by {@link #delay}.
   */
  static final class DelayingProxy implements AutoCloseable {
    volatile Duration delay = Duration.ZERO;
    private final ServerSocket listener = new ServerSocket(0, 50, null);
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    DelayingProxy(int target) throws IOException {
      Thread accept =
          new Thread(
              () -> {
                while (!listener.isClosed()) {
                  try {
                    Socket client = listener.accept();
                    Socket upstream = new Socket("127.0.0.1", target);
                    sockets.add(client);
                    sockets.add(upstream);
                    pump(client, upstream, false);
                    pump(upstream, client, true);
                  } catch (IOException e) {
                    return; // closed
                  }
                }
              },
              "delaying-proxy-accept");
      accept.setDaemon(true);
      accept.start();
    }

    int port() {
      return listener.getLocalPort();
    }

    private void pump(Socket from, Socket to, boolean delayed) {
      Thread t =
          new Thread(
              () -> {
                byte[] buf = new byte[16 * 1024];
                try {
                  for (int n = from.getInputStream().read(buf);
                      n >= 0;
                      n = from.getInputStream().read(buf)) {
                    if (delayed && !delay.isZero()) {
                      Thread.sleep(delay.toMillis());
                    }
                    to.getOutputStream().write(buf, 0, n);
                    to.getOutputStream().flush();
                  }
                } catch (IOException | InterruptedException e) {
                  // a side closed: the proxy closes both below
                }
                close(from);
                close(to);
              },
              "delaying-proxy-pump");
      t.setDaemon(true);
      t.start();
    }

    private static void close(Socket s) {
      try {
        s.close();
      } catch (IOException e) {
        // already closed
      }
    }

    @Override
    public void close() throws IOException {
      listener.close();
      sockets.forEach(DelayingProxy::close);
    }
  }

  /** POST /v1/recommend, which must answer 200. */
  private static JsonNode recommend(HttpClient http, URI uri, String user) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"userId\":\"" + user + "\",\"k\":" + K + "}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as("POST /v1/recommend for %s: %s", user, r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }
}
