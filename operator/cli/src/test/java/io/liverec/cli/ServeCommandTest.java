package io.liverec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.liverec.serving.TinyModels;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
}
