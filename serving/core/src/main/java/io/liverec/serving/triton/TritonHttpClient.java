package io.liverec.serving.triton;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.liverec.serving.inference.BackendUnavailableException;
import io.liverec.serving.inference.DataType;
import io.liverec.serving.inference.DeadlineExceededException;
import io.liverec.serving.inference.InferenceFailedException;
import io.liverec.serving.inference.Tensor;
import io.liverec.serving.repository.TritonModelConfig;
import io.liverec.serving.triton.proto.ModelConfig;
import io.liverec.serving.triton.proto.ModelMetadataResponse;
import io.liverec.serving.triton.proto.ModelStatistics;
import io.liverec.serving.triton.proto.ModelStatisticsResponse;
import io.liverec.serving.triton.proto.RepositoryIndexResponse;
import io.liverec.serving.triton.proto.ServerMetadataResponse;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The same calls as {@link TritonClient} over Triton's HTTP/JSON endpoint (JDK {@link HttpClient},
 * one client and its connection pool reused): health for probes and scripts, the repository
 * extension, and JSON inference (tensors as JSON number arrays; exact for FP32 and integers). JSON
 * answers are read into the protocol's messages, so both clients return the same types. "Not ready"
 * is Triton's 400 answer to a readiness call.
 */
public final class TritonHttpClient implements TritonApi {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI base;
  private final HttpClient http;
  private final Duration callDeadline;
  private final Duration loadDeadline;
  private final RetryPolicy retry;

  /**
   * @param base e.g. {@code http://127.0.0.1:8000}
   */
  public TritonHttpClient(
      URI base, Duration callDeadline, Duration loadDeadline, RetryPolicy retry) {
    this.base = base;
    this.http = HttpClient.newBuilder().connectTimeout(callDeadline).build();
    this.callDeadline = callDeadline;
    this.loadDeadline = loadDeadline;
    this.retry = retry;
  }

  public static TritonHttpClient connect(URI base) {
    return new TritonHttpClient(
        base, Duration.ofSeconds(10), Duration.ofMinutes(5), RetryPolicy.defaults());
  }

  @Override
  public boolean serverLive() {
    return status("GET", "/v2/health/live") == 200;
  }

  @Override
  public boolean serverReady() {
    return status("GET", "/v2/health/ready") == 200;
  }

  @Override
  public boolean modelReady(String model, int version) {
    return status("GET", modelPath(model, version) + "/ready") == 200;
  }

  @Override
  public ServerMetadataResponse serverMetadata() {
    return parse(get("/v2"), ServerMetadataResponse.newBuilder()).build();
  }

  @Override
  public ModelMetadataResponse modelMetadata(String model, int version) {
    return parse(get(modelPath(model, version)), ModelMetadataResponse.newBuilder()).build();
  }

  @Override
  public ModelConfig modelConfig(String model, int version) {
    return TritonModelConfig.fromJson(get(modelPath(model, version) + "/config"));
  }

  @Override
  public List<RepositoryIndexResponse.ModelIndex> repositoryIndex(boolean readyOnly) {
    String body =
        send("POST", "/v2/repository/index", "{\"ready\":" + readyOnly + "}", callDeadline, false);
    return parse("{\"models\":" + body + "}", RepositoryIndexResponse.newBuilder()).getModelsList();
  }

  @Override
  public void load(String model, ModelConfig configOverride) {
    ObjectNode body = JSON.createObjectNode();
    if (configOverride != null) {
      body.putObject("parameters").put("config", TritonModelConfig.toJson(configOverride));
    }
    send("POST", "/v2/repository/models/" + model + "/load", body.toString(), loadDeadline, true);
  }

  @Override
  public void unload(String model, boolean unloadDependents) {
    ObjectNode body = JSON.createObjectNode();
    body.putObject("parameters").put("unload_dependents", unloadDependents);
    send(
        "POST", "/v2/repository/models/" + model + "/unload", body.toString(), loadDeadline, false);
  }

  @Override
  public List<ModelStatistics> statistics(String model, int version) {
    return parse(get(modelPath(model, version) + "/stats"), ModelStatisticsResponse.newBuilder())
        .getModelStatsList();
  }

  @Override
  public Map<String, Tensor> infer(
      String model, int version, List<Tensor> inputs, List<String> outputs) {
    if (version <= 0) {
      throw new IllegalArgumentException("version: must be > 0 to infer, got " + version);
    }
    ObjectNode req = JSON.createObjectNode();
    ArrayNode in = req.putArray("inputs");
    for (Tensor t : inputs) {
      ObjectNode n = in.addObject().put("name", t.name()).put("datatype", t.type().kserveName());
      ArrayNode shape = n.putArray("shape");
      for (long d : t.shape()) {
        shape.add(d);
      }
      ArrayNode data = n.putArray("data");
      ByteBuffer b = t.data();
      for (int i = 0; i < t.elementCount(); i++) {
        switch (t.type()) {
          case FP32 -> data.add(b.getFloat(i * 4));
          case FP64 -> data.add(b.getDouble(i * 8));
          case INT64 -> data.add(b.getLong(i * 8));
          case INT32 -> data.add(b.getInt(i * 4));
          case BOOL -> data.add(b.get(i) != 0);
        }
      }
    }
    if (!outputs.isEmpty()) {
      ArrayNode out = req.putArray("outputs");
      outputs.forEach(o -> out.addObject().put("name", o));
    }
    String what = "infer " + model + "/" + version;
    JsonNode resp =
        tree(
            send("POST", modelPath(model, version) + "/infer", req.toString(), callDeadline, false),
            what);
    Map<String, Tensor> result = new LinkedHashMap<>();
    for (JsonNode o : resp.path("outputs")) {
      String name = o.path("name").asText();
      long[] shape = new long[o.path("shape").size()];
      for (int i = 0; i < shape.length; i++) {
        shape[i] = o.path("shape").get(i).asLong();
      }
      result.put(
          name, tensor(name, DataType.parse(o.path("datatype").asText()), shape, o.path("data")));
    }
    return result;
  }

  private static Tensor tensor(String name, DataType type, long[] shape, JsonNode data) {
    int n = data.size();
    return switch (type) {
      case FP32 -> {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
          v[i] = (float) data.get(i).asDouble();
        }
        yield Tensor.ofFloats(name, shape, v);
      }
      case FP64 -> {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
          v[i] = data.get(i).asDouble();
        }
        yield Tensor.ofDoubles(name, shape, v);
      }
      case INT64 -> {
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
          v[i] = data.get(i).asLong();
        }
        yield Tensor.ofLongs(name, shape, v);
      }
      case INT32 -> {
        int[] v = new int[n];
        for (int i = 0; i < n; i++) {
          v[i] = data.get(i).asInt();
        }
        yield Tensor.ofInts(name, shape, v);
      }
      case BOOL -> {
        byte[] v = new byte[n];
        for (int i = 0; i < n; i++) {
          v[i] = (byte) (data.get(i).asBoolean() ? 1 : 0);
        }
        yield Tensor.ofRaw(name, type, shape, v);
      }
    };
  }

  private static String modelPath(String model, int version) {
    return "/v2/models/" + model + (version > 0 ? "/versions/" + version : "");
  }

  private String get(String path) {
    return send("GET", path, null, callDeadline, false);
  }

  /** The status of a health call; 200 ready, 400 not ready (no exception for either). */
  private int status(String method, String path) {
    return retry.run(() -> exchange(method, path, null, callDeadline).statusCode());
  }

  private String send(String method, String path, String body, Duration deadline, boolean load) {
    String call = method + " " + base + path;
    return retry.run(
        () -> {
          HttpResponse<String> r = exchange(method, path, body, deadline);
          if (r.statusCode() / 100 == 2) {
            return r.body();
          }
          throw TritonErrors.fromHttp(call, r.statusCode(), errorText(r), load);
        });
  }

  private HttpResponse<String> exchange(
      String method, String path, String body, Duration deadline) {
    String call = method + " " + base + path;
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(deadline);
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    try {
      return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (HttpConnectTimeoutException | ConnectException e) {
      throw new BackendUnavailableException(call, "cannot connect: " + e, e);
    } catch (HttpTimeoutException e) {
      throw new DeadlineExceededException(call, "no answer within " + deadline, e);
    } catch (IOException e) {
      throw new BackendUnavailableException(call, e.toString(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BackendUnavailableException(call, "interrupted", e);
    }
  }

  private static String errorText(HttpResponse<String> r) {
    try {
      JsonNode n = JSON.readTree(r.body());
      if (n.hasNonNull("error")) {
        return n.get("error").asText();
      }
    } catch (IOException e) {
      // not JSON: use the body as it is
    }
    return "HTTP " + r.statusCode() + " " + r.body();
  }

  private static JsonNode tree(String body, String what) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new InferenceFailedException(what, "answer is not JSON: " + e.getMessage(), e);
    }
  }

  private static <B extends Message.Builder> B parse(String json, B builder) {
    try {
      JsonFormat.parser().ignoringUnknownFields().merge(json, builder);
      return builder;
    } catch (InvalidProtocolBufferException e) {
      throw new InferenceFailedException("parse Triton answer", e.getMessage(), e);
    }
  }
}
