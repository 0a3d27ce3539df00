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
import io.liverec.serving.TinyModels;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ServeCommandTest {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  /** A bundle with the tiny ONNX user tower and ranker, 50 rooms, 5 users. */
  static Path bundle(Path dir) throws Exception {
    Path repo = dir.resolve("repository");
    Files.createDirectories(repo.resolve("user_tower/1"));
    Files.createDirectories(repo.resolve("ranker/1"));
    TinyModels.userTower(repo.resolve("user_tower/1/model.onnx"), TinyModels.towerWeights(1));
    TinyModels.ranker(repo.resolve("ranker/1/model.onnx"), TinyModels.rankerWeights(2));
    Files.writeString(
        dir.resolve("gateway.json"),
        "{\"userTower\":{\"name\":\"user_tower\",\"version\":1},"
            + "\"rankers\":[{\"name\":\"ranker\",\"version\":1,\"basisPoints\":10000}],"
            + "\"salt\":\"r1\",\"taskWeights\":{\"ctr\":1.0,\"cvr\":0.5}}");
    Random r = new Random(1);
    List<String> rooms = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      StringBuilder e = new StringBuilder();
      for (int d = 0; d < 8; d++) {
        e.append(d == 0 ? "" : ",").append(r.nextGaussian());
      }
      rooms.add(
          String.format(
              "{\"roomId\":%d,\"hostId\":\"h%d\",\"embedding\":[%s],\"sparse\":[%d,%d,%d],"
                  + "\"dense\":[0.1,0.2,0.3,0.4],\"popularity\":%d}",
              i, i % 20, e, i % 10, (i / 10) % 10, 3, i));
    }
    Files.write(dir.resolve("rooms.jsonl"), rooms);
    List<String> users = new ArrayList<>();
    for (int u = 0; u < 5; u++) {
      users.add("{\"userId\":\"u" + u + "\",\"sparse\":[" + u + ",1],\"seq\":[1,2,3,4," + u + "]}");
    }
    Files.write(dir.resolve("users.jsonl"), users);
    return dir;
  }

  @Test
  void servesRecommendationsFromABundle() throws Exception {
    try (ServeCommand.Running g = ServeCommand.start(bundle(dir), "127.0.0.1", 0, 2)) {
      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + g.server().port() + "/v1/recommend"))
                      .POST(HttpRequest.BodyPublishers.ofString("{\"userId\":\"u2\",\"k\":5}"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      JsonNode body = JSON.readTree(r.body());
      assertThat(body.get("items")).hasSize(5);
      assertThat(body.get("outcome").asText()).isEqualTo("served");
      assertThat(body.get("models").get("ranker").asText()).isEqualTo("ranker/1");
    }
  }

  @Test
  void serveIsACommandOfTheCli() {
    assertThat(Main.commandLine().getSubcommands()).containsKey("serve");
  }

  /**
   * The bundle's users.jsonl and rooms.jsonl features as the Feast views user_features and
   * room_features (Parquet), materialized into SQLite (the demo's features stage).
   */
  static Path feastRepo(Path dir, Path bundle) throws Exception {
    BundleFeatures.Result r =
        BundleFeatures.materialize(
            bundle, dir.resolve("feast"), Instant.parse("2026-01-01T12:00:00Z"));
    assertThat(r.users()).isEqualTo(5);
    assertThat(r.rooms()).isEqualTo(50);
    return r.repo();
  }

  @Test
  void withAFeatureServerFeaturesComeFromItAndRankAsTheBundlesOwn() throws Exception {
    Path bundle = bundle(dir.resolve("bundle"));
    Path repo = feastRepo(dir, bundle);
    List<RecommendResponse> own = new ArrayList<>();
    try (ServeCommand.Running g = ServeCommand.start(bundle, "127.0.0.1", 0, 2)) {
      for (int u = 0; u < 5; u++) {
        own.add(g.recommender().recommend(new RecommendRequest("u" + u, "home", Map.of(), 5)));
      }
    }
    // users.jsonl is not read with a feature server
    Files.delete(bundle.resolve("users.jsonl"));
    FeatureServer fs = FeatureServer.start(repo, "127.0.0.1", 0);
    // serve warms the channel up; the longer deadline only keeps a loaded test machine from flaking
    System.setProperty(FeastOnlineFeatures.DEADLINE_PROPERTY, "5000");
    try (ServeCommand.Running g =
        ServeCommand.start(bundle, "127.0.0.1", 0, 2, Optional.of("127.0.0.1:" + fs.port()))) {
      for (int u = 0; u < 5; u++) {
        RecommendResponse got =
            g.recommender().recommend(new RecommendRequest("u" + u, "home", Map.of(), 5));
        RecommendResponse want = own.get(u);
        assertThat(got.outcome()).as("u%d", u).isEqualTo(Recommender.SERVED);
        assertThat(got.items()).hasSize(5);
        for (int i = 0; i < 5; i++) {
          assertThat(got.items().get(i).roomId()).isEqualTo(want.items().get(i).roomId());
          assertThat(got.items().get(i).score())
              .isCloseTo(want.items().get(i).score(), within(1e-6));
        }
      }
      assertThat(
              g.recommender()
                  .recommend(new RecommendRequest("nobody", "home", Map.of(), 5))
                  .outcome())
          .isEqualTo(Recommender.COLD_START);
      fs.close();
      assertThat(
              g.recommender().recommend(new RecommendRequest("u1", "home", Map.of(), 5)).outcome())
          .isEqualTo(Recommender.FEATURE_FALLBACK);
      assertThat(g.recommender().metrics().outcomeCount(Recommender.FEATURE_FALLBACK))
          .isEqualTo(1.0);
    } finally {
      System.clearProperty(FeastOnlineFeatures.DEADLINE_PROPERTY);
      fs.close();
    }
  }

  @Test
  void aFeatureServerThatIsNotHostPortIsBadInputNamingTheOption() throws Exception {
    Path bundle = bundle(dir);
    CommandLine cli = Main.commandLine();
    StringWriter err = new StringWriter();
    cli.setErr(new PrintWriter(err));
    int code = cli.execute("serve", "--bundle", bundle.toString(), "--feature-server", "nohost");
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("--feature-server").contains("nohost");
  }
}
