package io.liverec.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The demo's serving step: starts the gateway on a serving bundle, sends a few {@code POST
 * /v1/recommend} requests over HTTP as a client would (three users with a history, one unknown
 * user), prints what came back, and stops the gateway.
 */
final class DemoRequests {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final int K = 5;

  private DemoRequests() {}

  /**
   * @return the responses, in request order
   */
  static List<JsonNode> print(Path bundle, PrintStream p) throws Exception {
    return print(bundle, p, Optional.empty());
  }

  /**
   * @param featureServer a Feast ServingService ({@code host:port}) the gateway reads its online
   *     features from; empty: the bundle's files
   * @return the responses, in request order
   */
  static List<JsonNode> print(Path bundle, PrintStream p, Optional<String> featureServer)
      throws Exception {
    List<String> users = new ArrayList<>();
    try (var lines = Files.lines(bundle.resolve("users.jsonl"))) {
      for (String line : (Iterable<String>) lines::iterator) {
        JsonNode u = JSON.readTree(line);
        if (u.path("attributes").path("recent_rooms").size() >= 3) {
          users.add(u.get("userId").asText());
        }
        if (users.size() == 3) {
          break;
        }
      }
    }
    users.add("new-user-without-history");
    List<JsonNode> responses = new ArrayList<>();
    try (ServeCommand.Running gw = ServeCommand.start(bundle, "127.0.0.1", 0, 2, featureServer)) {
      HttpClient http = HttpClient.newHttpClient();
      String base = "http://127.0.0.1:" + gw.server().port();
      p.println(
          "Serving    gateway "
              + base
              + " on "
              + bundle.toAbsolutePath()
              + featureServer
                  .map(f -> ", online features from the feature server " + f)
                  .orElse(""));
      for (String user : users) {
        String body =
            JSON.createObjectNode()
                .put("userId", user)
                .put("surface", "feed")
                .put("k", K)
                .toString();
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(URI.create(base + "/v1/recommend"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
          throw new IllegalStateException(
              "the gateway answered " + r.statusCode() + " for " + user + ": " + r.body());
        }
        JsonNode res = JSON.readTree(r.body());
        responses.add(res);
        StringBuilder rooms = new StringBuilder();
        for (JsonNode item : res.get("items")) {
          rooms.append(
              String.format(
                  Locale.ROOT,
                  " %d(%.3f)",
                  item.get("roomId").asInt(),
                  item.get("score").asDouble()));
        }
        p.printf(
            Locale.ROOT,
            "           user %-26s %-15s models %s%n             rooms(score):%s%n",
            user,
            res.get("outcome").asText(),
            res.get("models"),
            rooms);
      }
    }
    p.println(
        "           serve it yourself: bin/liverec serve --bundle "
            + bundle.toAbsolutePath()
            + (featureServer.isPresent() ? " [--feature-server host:port]" : ""));
    return responses;
  }
}
