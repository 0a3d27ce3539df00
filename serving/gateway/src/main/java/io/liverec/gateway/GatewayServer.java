package io.liverec.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The gateway's HTTP API on the JDK's built-in server: {@code POST /v1/recommend}, {@code POST
 * /v1/feedback}, {@code GET /v1/canary/outcomes} (a canary's outcomes for the operator's analysis),
 * {@code GET /health}, {@code GET /metrics} (Prometheus), {@code GET /openapi.json}. Bad input is a
 * 4xx whose message names the field; nothing a client sends is a 5xx.
 */
public final class GatewayServer implements AutoCloseable {
  /** Request bodies larger than this are refused with 413. */
  public static final int MAX_BODY_BYTES = 64 * 1024;

  static final Set<String> FEEDBACK_EVENTS =
      Set.of("impression", "click", "conversion", "watch", "gift");
  private static final ObjectMapper JSON = new ObjectMapper();

  static {
    // The JDK server writes headers and body separately; with Nagle on, every small response
    // waits for the client's delayed ACK (~40 ms). Read once, when the first server is created.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private final Recommender recommender;
  private final HttpServer server;
  private final ExecutorService workers;
  private final byte[] openapi;

  /** Binds {@code host:port} (port 0 = any free port) and starts serving. */
  public GatewayServer(Recommender recommender, String host, int port, int threads) {
    this.recommender = recommender;
    try (InputStream in = GatewayServer.class.getResourceAsStream("openapi.json")) {
      this.openapi = in.readAllBytes();
      this.server = HttpServer.create(new InetSocketAddress(host, port), 256);
    } catch (IOException e) {
      throw new UncheckedIOException("starting the gateway on " + host + ":" + port, e);
    }
    this.workers =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, "liverec-gateway-http");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(workers);
    server.createContext("/", this::handle);
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** A 4xx answer naming the field at fault. */
  static final class BadRequest extends RuntimeException {
    final int status;
    final String field;

    BadRequest(int status, String field, String message) {
      super(field + ": " + message);
      this.status = status;
      this.field = field;
    }
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getPath();
      String method = ex.getRequestMethod();
      try {
        switch (path) {
          case "/v1/recommend" -> {
            requirePost(method);
            RecommendRequest req = parseRecommend(readJson(ex));
            send(ex, 200, JSON.writeValueAsBytes(recommender.recommend(req)), "application/json");
          }
          case "/v1/feedback" -> {
            requirePost(method);
            feedback(readJson(ex));
            send(
                ex,
                202,
                "{\"accepted\":true}".getBytes(StandardCharsets.UTF_8),
                "application/json");
          }
          case "/health", "/health/live" -> {
            Map<String, Object> h = new LinkedHashMap<>();
            h.put("status", "UP");
            h.put("liveRooms", recommender.index().liveCount());
            send(ex, 200, JSON.writeValueAsBytes(h), "application/json");
          }
          case "/health/ready" -> {
            // traffic only once every model a request may need can be served (Kubernetes'
            // readiness probe); fallbacks keep answering either way
            List<String> notReady = recommender.notReady();
            Map<String, Object> h = new LinkedHashMap<>();
            h.put("status", notReady.isEmpty() ? "UP" : "DOWN");
            h.put("liveRooms", recommender.index().liveCount());
            if (!notReady.isEmpty()) {
              h.put("notReady", notReady);
            }
            send(ex, notReady.isEmpty() ? 200 : 503, JSON.writeValueAsBytes(h), "application/json");
          }
          case "/v1/canary/outcomes" -> {
            if (!"GET".equals(method)) {
              throw new BadRequest(405, "method", "use GET, not " + method);
            }
            send(
                ex,
                200,
                JSON.writeValueAsBytes(
                    CanaryOutcomes.report(recommender, ex.getRequestURI().getRawQuery())),
                "application/json");
          }
          case "/metrics" ->
              send(
                  ex,
                  200,
                  recommender.metrics().scrape().getBytes(StandardCharsets.UTF_8),
                  "text/plain; version=0.0.4");
          case "/openapi.json", "/q/openapi" -> send(ex, 200, openapi, "application/json");
          default -> throw new BadRequest(404, "path", "no such endpoint " + path);
        }
      } catch (BadRequest e) {
        recommender.metrics().badRequest(e.field);
        Map<String, String> err = Map.of("error", e.getMessage(), "field", e.field);
        send(ex, e.status, JSON.writeValueAsBytes(err), "application/json");
      } catch (RuntimeException e) {
        Map<String, String> err = Map.of("error", "internal: " + e);
        send(ex, 500, JSON.writeValueAsBytes(err), "application/json");
      }
    }
  }

  private static void requirePost(String method) {
    if (!"POST".equals(method)) {
      throw new BadRequest(405, "method", "use POST, not " + method);
    }
  }

  private static JsonNode readJson(HttpExchange ex) throws IOException {
    byte[] body = ex.getRequestBody().readNBytes(MAX_BODY_BYTES + 1);
    if (body.length > MAX_BODY_BYTES) {
      throw new BadRequest(413, "body", "larger than " + MAX_BODY_BYTES + " bytes");
    }
    JsonNode node;
    try {
      node = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw new BadRequest(400, "body", "malformed JSON: " + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) {
      throw new BadRequest(400, "body", "must be a JSON object");
    }
    return node;
  }

  RecommendRequest parseRecommend(JsonNode body) {
    String userId = requiredString(body, "userId", 256);
    String surface = optionalString(body, "surface", 64, "home");
    Map<String, String> context = new HashMap<>();
    JsonNode ctx = body.get("context");
    if (ctx != null && !ctx.isNull()) {
      if (!ctx.isObject()) {
        throw new BadRequest(400, "context", "must be an object of strings");
      }
      if (ctx.size() > 32) {
        throw new BadRequest(400, "context", "at most 32 entries");
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = ctx.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!e.getValue().isValueNode() || e.getValue().isNull()) {
          throw new BadRequest(400, "context." + e.getKey(), "must be a string, number or boolean");
        }
        context.put(e.getKey(), e.getValue().asText());
      }
    }
    int maxK = recommender.config().maxK();
    JsonNode kNode = body.get("k");
    int k = 10;
    if (kNode != null && !kNode.isNull()) {
      if (!kNode.isIntegralNumber() || !kNode.canConvertToInt()) {
        throw new BadRequest(400, "k", "must be an integer in 1.." + maxK);
      }
      k = kNode.intValue();
    }
    if (k < 1 || k > maxK) {
      throw new BadRequest(400, "k", "must be in 1.." + maxK + ", was " + k);
    }
    return new RecommendRequest(userId, surface, context, k);
  }

  private void feedback(JsonNode body) {
    String userId = requiredString(body, "userId", 256);
    String event = requiredString(body, "event", 32);
    if (!FEEDBACK_EVENTS.contains(event)) {
      throw new BadRequest(400, "event", "must be one of " + FEEDBACK_EVENTS + ", was " + event);
    }
    JsonNode room = body.get("roomId");
    if (room == null
        || !room.isIntegralNumber()
        || !room.canConvertToInt()
        || room.intValue() < 0) {
      throw new BadRequest(400, "roomId", "must be a non-negative integer");
    }
    double value = 1;
    JsonNode v = body.get("value");
    if (v != null && !v.isNull()) {
      if (!v.isNumber() || !Double.isFinite(v.doubleValue()) || v.doubleValue() < 0) {
        throw new BadRequest(400, "value", "must be a finite number ≥ 0");
      }
      value = Math.min(v.doubleValue(), 1e6);
    }
    recommender.feedback(userId, room.intValue(), event, value);
  }

  private static String requiredString(JsonNode body, String field, int maxLen) {
    JsonNode n = body.get(field);
    if (n == null || n.isNull()) {
      throw new BadRequest(400, field, "is required");
    }
    if (!n.isTextual() || n.asText().isBlank()) {
      throw new BadRequest(400, field, "must be a non-empty string");
    }
    if (n.asText().length() > maxLen) {
      throw new BadRequest(400, field, "longer than " + maxLen + " characters");
    }
    return n.asText();
  }

  private static String optionalString(JsonNode body, String field, int maxLen, String dflt) {
    JsonNode n = body.get(field);
    if (n == null || n.isNull()) {
      return dflt;
    }
    if (!n.isTextual() || n.asText().length() > maxLen) {
      throw new BadRequest(400, field, "must be a string of at most " + maxLen + " characters");
    }
    return n.asText();
  }

  private static void send(HttpExchange ex, int status, byte[] body, String type)
      throws IOException {
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(status, body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    workers.shutdownNow();
  }
}
