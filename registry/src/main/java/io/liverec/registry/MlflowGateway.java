package io.liverec.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mlflow.api.proto.ModelRegistry.ModelVersion;
import org.mlflow.api.proto.Service.CreateRun;
import org.mlflow.api.proto.Service.Metric;
import org.mlflow.api.proto.Service.Param;
import org.mlflow.api.proto.Service.RunInfo;
import org.mlflow.api.proto.Service.RunStatus;
import org.mlflow.api.proto.Service.RunTag;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.MlflowHttpException;

/**
 * Everything LiveRec asks of an MLflow server, each call retried with backoff. Uses {@code
 * org.mlflow:mlflow-client} where it has the call; the model-registry calls it lacks (create,
 * aliases, tags) go through its raw REST helpers, and artifacts through the server's artifact proxy
 * ({@code mlflow-artifacts:} URIs, i.e. a server started with {@code --serve-artifacts}).
 *
 * <p>Size: one class because it is the single adapter to one server: every call shares the tracking
 * URI, the retry policy and the HTTP client, and its callers (run tracking, sync, promotion,
 * serving's model sources) hold one object. The sections below (tracking, artifacts, model
 * registry) are the seams; they stay together because a split would hand the same three
 * collaborators to three classes without separating any logic (the artifact and registry sections
 * also share {@code send}).
 */
public final class MlflowGateway implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int METRICS_PER_BATCH = 1000;
  private static final int PARAMS_PER_BATCH = 100;

  private final String trackingUri;
  private final MlflowClient client;
  private final Retry retry;
  private final HttpClient http;

  public MlflowGateway(String trackingUri, Retry retry) {
    this.trackingUri = stripSlash(trackingUri);
    this.client = new MlflowClient(this.trackingUri);
    this.retry = retry;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  public String trackingUri() {
    return trackingUri;
  }

  /** Cheap reachability probe ({@code GET /health}); no retry. */
  public boolean reachable() {
    try {
      HttpResponse<Void> r =
          http.send(
              HttpRequest.newBuilder(URI.create(trackingUri + "/health"))
                  .timeout(Duration.ofSeconds(3))
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      return r.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  // ---- tracking -------------------------------------------------------------------------------

  public String ensureExperiment(String name) {
    return retry.call(
        "get or create experiment " + name,
        () -> {
          // search, not get-by-name: the Java client retries get-by-name's 404 with backoff
          String filter = "name = '" + name.replace("'", "\\'") + "'";
          return client.searchExperiments(filter).getItems().stream()
              .filter(e -> e.getName().equals(name))
              .map(e -> e.getExperimentId())
              .findFirst()
              .orElseGet(() -> client.createExperiment(name));
        });
  }

  /** The (non-deleted) run in the experiment carrying tag {@code key = value}, if any. */
  public Optional<RunInfo> findRunByTag(String experimentId, String key, String value) {
    String filter = "tags.`" + key + "` = '" + value.replace("'", "") + "'";
    return retry.call(
        "search runs", () -> client.searchRuns(List.of(experimentId), filter).stream().findFirst());
  }

  public RunInfo createRun(
      String experimentId, String runName, long startTime, Map<String, String> tags) {
    CreateRun.Builder request =
        CreateRun.newBuilder()
            .setExperimentId(experimentId)
            .setRunName(runName)
            .setStartTime(startTime);
    tags.forEach((k, v) -> request.addTags(RunTag.newBuilder().setKey(k).setValue(v)));
    return retry.call("create run", () -> client.createRun(request.build()));
  }

  public RunInfo getRunInfo(String runId) {
    return retry.call("get run " + runId, () -> client.getRun(runId).getInfo());
  }

  /** Latest value of every metric of a run. */
  public Map<String, Double> runMetrics(String runId) {
    Map<String, Double> out = new LinkedHashMap<>();
    retry
        .call("get run " + runId, () -> client.getRun(runId))
        .getData()
        .getMetricsList()
        .forEach(m -> out.put(m.getKey(), m.getValue()));
    return out;
  }

  /**
   * Logs params, tags and metric points in batches. Replaying identical points is harmless: the
   * server keeps one row per (key, timestamp, step, value).
   */
  public void logBatch(
      String runId,
      List<MetricPoint> metrics,
      Map<String, String> params,
      Map<String, String> tags) {
    List<Param> ps = new ArrayList<>();
    params.forEach((k, v) -> ps.add(Param.newBuilder().setKey(k).setValue(v).build()));
    List<RunTag> ts = new ArrayList<>();
    tags.forEach((k, v) -> ts.add(RunTag.newBuilder().setKey(k).setValue(v).build()));
    for (int i = 0; i < ps.size(); i += PARAMS_PER_BATCH) {
      List<Param> chunk = ps.subList(i, Math.min(ps.size(), i + PARAMS_PER_BATCH));
      retry.run("log params", () -> client.logBatch(runId, List.of(), chunk, List.of()));
    }
    if (!ts.isEmpty()) {
      retry.run("log tags", () -> client.logBatch(runId, List.of(), List.of(), ts));
    }
    List<Metric> ms = new ArrayList<>();
    for (MetricPoint p : metrics) {
      ms.add(
          Metric.newBuilder()
              .setKey(metricKey(p.key()))
              .setValue(p.value())
              .setTimestamp(p.timestamp())
              .setStep(p.step())
              .build());
    }
    for (int i = 0; i < ms.size(); i += METRICS_PER_BATCH) {
      List<Metric> chunk = ms.subList(i, Math.min(ms.size(), i + METRICS_PER_BATCH));
      retry.run("log metrics", () -> client.logBatch(runId, chunk, List.of(), List.of()));
    }
  }

  /**
   * A metric name MLflow accepts (alphanumerics, {@code _ - . / :} and spaces): {@code @} becomes
   * {@code _at_} ({@code recall@100} → {@code recall_at_100}), anything else not allowed {@code _}.
   */
  public static String metricKey(String name) {
    return name.replace("@", "_at_").replaceAll("[^A-Za-z0-9_\\-./: ]", "_");
  }

  public void setTerminated(String runId, String status, long endTime) {
    RunStatus s = RunStatus.valueOf(status);
    retry.run("terminate run", () -> client.setTerminated(runId, s, endTime));
  }

  // ---- artifacts (through the tracking server's artifact proxy) -------------------------------

  /** Uploads {@code file} to {@code <artifactUri>/<artifactDir>/<file name>}. */
  public void uploadArtifact(String artifactUri, String artifactDir, Path file) {
    String target = join(join(proxyPath(artifactUri), artifactDir), file.getFileName().toString());
    retry.run(
        "upload artifact " + target,
        () -> {
          HttpResponse<String> r;
          try {
            r =
                send(
                    HttpRequest.newBuilder(
                            URI.create(artifactsEndpoint() + "/" + encodePath(target)))
                        .timeout(Duration.ofMinutes(5))
                        .PUT(HttpRequest.BodyPublishers.ofFile(file))
                        .build());
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          if (r.statusCode() / 100 != 2) {
            throw new Retry.HttpStatusException(r.statusCode(), r.body());
          }
        });
  }

  /**
   * Sends {@code request} and reads the body as a string; an interrupt is kept on the thread and
   * surfaces as {@link IllegalStateException}, an I/O failure as {@link UncheckedIOException}.
   */
  private HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Downloads one artifact file of a run to {@code dest}. */
  public Path downloadArtifact(String artifactUri, String relativePath, Path dest) {
    String source = join(proxyPath(artifactUri), relativePath);
    return retry.call(
        "download artifact " + source,
        () -> {
          try {
            Files.createDirectories(dest.toAbsolutePath().getParent());
            HttpResponse<Path> r =
                http.send(
                    HttpRequest.newBuilder(
                            URI.create(artifactsEndpoint() + "/" + encodePath(source)))
                        .GET()
                        .build(),
                    HttpResponse.BodyHandlers.ofFile(dest));
            if (r.statusCode() / 100 != 2) {
              throw new Retry.HttpStatusException(r.statusCode(), Files.readString(dest));
            }
            return dest;
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
          }
        });
  }

  private String artifactsEndpoint() {
    return trackingUri + "/api/2.0/mlflow-artifacts/artifacts";
  }

  static String proxyPath(String artifactUri) {
    if (!artifactUri.startsWith("mlflow-artifacts:")) {
      throw new IllegalStateException(
          "the MLflow server stores artifacts at "
              + artifactUri
              + ", which LiveRec cannot write to over HTTP; start it with --serve-artifacts"
              + " (the default of `mlflow server`) so runs get mlflow-artifacts:/ URIs");
    }
    String rest = artifactUri.substring("mlflow-artifacts:".length());
    if (rest.startsWith("//")) { // mlflow-artifacts://host:port/path
      int slash = rest.indexOf('/', 2);
      rest = slash < 0 ? "" : rest.substring(slash);
    }
    return rest.replaceAll("^/+", "");
  }

  private static String join(String a, String b) {
    if (b == null || b.isEmpty()) {
      return a;
    }
    return a.isEmpty() ? b : stripSlash(a) + "/" + b.replaceAll("^/+", "");
  }

  private static String encodePath(String path) {
    StringBuilder sb = new StringBuilder();
    for (String part : path.split("/")) {
      if (sb.length() > 0) {
        sb.append('/');
      }
      sb.append(URLEncoder.encode(part, StandardCharsets.UTF_8).replace("+", "%20"));
    }
    return sb.toString();
  }

  private static String stripSlash(String s) {
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }

  // ---- model registry (REST: the Java client has no helpers for these) -------------------------

  public void ensureRegisteredModel(String name) {
    ObjectNode body = JSON.createObjectNode().put("name", name);
    retry.run(
        "create registered model " + name,
        () -> {
          try {
            client.sendPost("registered-models/create", body.toString());
          } catch (MlflowHttpException e) {
            if (!errorCode(e).equals("RESOURCE_ALREADY_EXISTS")) {
              throw e;
            }
          }
        });
  }

  /** The version of {@code model} created from {@code runId}, if any. */
  public Optional<String> findVersionByRun(String model, String runId) {
    String filter = "name='" + model.replace("'", "") + "' and run_id='" + runId + "'";
    return retry.call(
        "search model versions",
        () ->
            client.searchModelVersions(filter).getItems().stream()
                .map(ModelVersion::getVersion)
                .findFirst());
  }

  public String createModelVersion(
      String model, String source, String runId, Map<String, String> tags) {
    ObjectNode body =
        JSON.createObjectNode().put("name", model).put("source", source).put("run_id", runId);
    ArrayNode tagArray = body.putArray("tags");
    tags.forEach((k, v) -> tagArray.addObject().put("key", k).put("value", v));
    String response =
        retry.call(
            "create model version of " + model,
            () -> client.sendPost("model-versions/create", body.toString()));
    return read(response).at("/model_version/version").asText();
  }

  public void setAlias(String model, String alias, String version) {
    ObjectNode body =
        JSON.createObjectNode().put("name", model).put("alias", alias).put("version", version);
    retry.run(
        "set alias " + alias + " of " + model,
        () -> client.sendPost("registered-models/alias", body.toString()));
  }

  /** The version an alias points at, or empty when the alias (or the model) does not exist. */
  public Optional<VersionInfo> versionByAlias(String model, String alias) {
    String path =
        "registered-models/alias?name="
            + URLEncoder.encode(model, StandardCharsets.UTF_8)
            + "&alias="
            + URLEncoder.encode(alias, StandardCharsets.UTF_8);
    return retry.call(
        "get alias " + alias + " of " + model,
        () -> {
          try {
            JsonNode mv = read(client.sendGet(path)).get("model_version");
            return Optional.of(VersionInfo.of(mv));
          } catch (MlflowHttpException e) {
            if (isNotFound(e)) {
              return Optional.empty();
            }
            throw e;
          }
        });
  }

  public VersionInfo getVersion(String model, String version) {
    String path =
        "model-versions/get?name="
            + URLEncoder.encode(model, StandardCharsets.UTF_8)
            + "&version="
            + URLEncoder.encode(version, StandardCharsets.UTF_8);
    return retry.call(
        "get version " + version + " of " + model,
        () -> VersionInfo.of(read(client.sendGet(path)).get("model_version")));
  }

  public void setVersionTag(String model, String version, String key, String value) {
    ObjectNode body =
        JSON.createObjectNode()
            .put("name", model)
            .put("version", version)
            .put("key", key)
            .put("value", value);
    retry.run("tag version", () -> client.sendPost("model-versions/set-tag", body.toString()));
  }

  /** Tags of one registered model version. */
  public Map<String, String> versionTags(String model, String version) {
    String path =
        "model-versions/get?name="
            + URLEncoder.encode(model, StandardCharsets.UTF_8)
            + "&version="
            + URLEncoder.encode(version, StandardCharsets.UTF_8);
    JsonNode mv =
        retry
            .call("get version " + version + " of " + model, () -> read(client.sendGet(path)))
            .path("model_version");
    Map<String, String> tags = new LinkedHashMap<>();
    mv.path("tags").forEach(t -> tags.put(t.path("key").asText(), t.path("value").asText()));
    return tags;
  }

  /** Removes an alias; a missing alias is not an error. MLflow reads DELETE params from a body. */
  public void deleteAlias(String model, String alias) {
    String body = JSON.createObjectNode().put("name", model).put("alias", alias).toString();
    retry.run(
        "delete alias " + alias + " of " + model,
        () -> {
          HttpResponse<String> r =
              send(
                  HttpRequest.newBuilder(
                          URI.create(trackingUri + "/api/2.0/mlflow/registered-models/alias"))
                      .header("Content-Type", "application/json")
                      .method("DELETE", HttpRequest.BodyPublishers.ofString(body))
                      .build());
          if (r.statusCode() / 100 != 2 && r.statusCode() != 404) {
            throw new Retry.HttpStatusException(r.statusCode(), r.body());
          }
        });
  }

  /** Tags of a registered model. */
  public Map<String, String> modelTags(String model) {
    String path = "registered-models/get?name=" + URLEncoder.encode(model, StandardCharsets.UTF_8);
    JsonNode rm =
        retry.call("get model " + model, () -> read(client.sendGet(path))).get("registered_model");
    Map<String, String> tags = new LinkedHashMap<>();
    if (rm != null) {
      rm.path("tags").forEach(t -> tags.put(t.path("key").asText(), t.path("value").asText()));
    }
    return tags;
  }

  public void setModelTag(String model, String key, String value) {
    ObjectNode body =
        JSON.createObjectNode().put("name", model).put("key", key).put("value", value);
    retry.run("tag model", () -> client.sendPost("registered-models/set-tag", body.toString()));
  }

  /** A registered model version: its number, the run it came from and its source URI. */
  public record VersionInfo(String version, String runId, String source, List<String> aliases) {
    static VersionInfo of(JsonNode mv) {
      List<String> aliases = new ArrayList<>();
      mv.path("aliases").forEach(a -> aliases.add(a.asText()));
      return new VersionInfo(
          mv.path("version").asText(),
          mv.path("run_id").asText(),
          mv.path("source").asText(),
          aliases);
    }
  }

  /**
   * MLflow answers a missing alias with 404, RESOURCE_DOES_NOT_EXIST or (3.x) a 400 "not found".
   */
  private static boolean isNotFound(MlflowHttpException e) {
    String code = errorCode(e);
    return e.getStatusCode() == 404
        || code.equals("RESOURCE_DOES_NOT_EXIST")
        || (code.equals("INVALID_PARAMETER_VALUE")
            && String.valueOf(e.getBodyMessage()).contains("not found"));
  }

  private static String errorCode(MlflowHttpException e) {
    try {
      return read(e.getBodyMessage()).path("error_code").asText("");
    } catch (RuntimeException parse) {
      return "";
    }
  }

  private static JsonNode read(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    client.close();
  }
}
