package io.liverec.pipelines.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/** Reads MLflow state back over the plain REST API, independently of the code under test. */
final class MlflowTestSupport {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();

  private MlflowTestSupport() {}

  static JsonNode get(String uri, String pathAndQuery) {
    try {
      HttpResponse<String> r =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(uri + "/api/2.0/mlflow/" + pathAndQuery))
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return JSON.readTree(r.body());
    } catch (IOException e) {
      throw new AssertionError("MLflow REST call failed: " + pathAndQuery, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  static JsonNode post(String uri, String path, String body) {
    try {
      HttpResponse<String> r =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(uri + "/api/2.0/mlflow/" + path))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return JSON.readTree(r.body());
    } catch (IOException e) {
      throw new AssertionError("MLflow REST call failed: " + path, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** Runs (active only) of an experiment, by name. */
  static JsonNode runsOf(String uri, String experiment) {
    JsonNode exp = get(uri, "experiments/get-by-name?experiment_name=" + enc(experiment));
    String id = exp.at("/experiment/experiment_id").asText();
    return post(
            uri,
            "runs/search",
            "{\"experiment_ids\":[\""
                + id
                + "\"],\"max_results\":100,\"run_view_type\":\"ACTIVE_ONLY\"}")
        .path("runs");
  }

  static JsonNode versionsOf(String uri, String model) {
    return get(uri, "model-versions/search?filter=" + enc("name='" + model + "'"))
        .path("model_versions");
  }
}
