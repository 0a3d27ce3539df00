package io.liverec.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.liverec.api.errors.LiverecException;
import io.liverec.gateway.FeastOnlineFeatures;
import io.liverec.gateway.GatewayConfig;
import io.liverec.gateway.GatewayMetrics;
import io.liverec.gateway.GatewayServer;
import io.liverec.gateway.InProcessOnlineFeatures;
import io.liverec.gateway.LiveRoomIndex;
import io.liverec.gateway.ModelRef;
import io.liverec.gateway.OnlineFeatures;
import io.liverec.gateway.RankerInputs;
import io.liverec.gateway.Recommender;
import io.liverec.gateway.RoomFeatures;
import io.liverec.gateway.TrafficSplit;
import io.liverec.gateway.TransformedRankerInputs;
import io.liverec.gateway.UserFeatures;
import io.liverec.gateway.VersionedRankerInputs;
import io.liverec.pipelines.features.TransformSpec;
import io.liverec.serving.inference.InferenceBackend;
import io.liverec.serving.onnx.OnnxRuntimeBackend;
import java.io.BufferedReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code liverec serve}: the recommendation gateway, embedded (ONNX Runtime), on a serving bundle:
 * {@code repository/} (Triton layout), {@code gateway.json}, {@code rooms.jsonl}, {@code
 * users.jsonl}. With a feature server ({@code --feature-server}, else {@code
 * LIVEREC_FEATURES_ENDPOINT}) the user and room features come from that Feast ServingService
 * instead; rooms.jsonl then only feeds the live-room index and popularity, and users.jsonl is not
 * read.
 *
 * <p>Size: the command is the gateway's whole assembly from a bundle (config, rooms, users, models,
 * feature source, split); the bundle's file readers are its seams (small static helpers here, each
 * with one caller), and the cluster's status-routed split lives in {@link StatusRoutedSplit}.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Start the recommendation gateway embedded (ONNX Runtime) on a serving bundle:",
      "  repository/   models in Triton's layout (<name>/<version>/model.onnx)",
      "  gateway.json  {userTower:{name,version}, rankers:[{name,version,basisPoints}], salt,",
      "                taskWeights:{ctr:1.0,...}, recallN, maxPerHost, rankerDeadlineMs,",
      "                rankerTransform: path of the ranker's transform.json (optional)}",
      "  rooms.jsonl   {roomId, hostId, embedding[], popularity, sparse[], dense[] | attributes{}}",
      "  users.jsonl   {userId, sparse[], seq[], attributes{}} per line (tower inputs + raw columns)",
      "`liverec demo` writes one (<out>/serving) from its ranker and recall runs.",
      "With --feature-server, user and room features come from that Feast ServingService",
      "(views user_features, room_features); rooms.jsonl then needs no sparse/dense and",
      "users.jsonl is not read.",
      "Endpoints: POST /v1/recommend, POST /v1/feedback, GET /health, /metrics, /openapi.json"
    })
public final class ServeCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WARM_UP = Duration.ofSeconds(5);

  @Option(names = "--bundle", required = true, description = "The serving bundle directory.")
  Path bundle;

  @Option(
      names = "--host",
      defaultValue = "127.0.0.1",
      description = "Address to bind (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(
      names = "--port",
      defaultValue = "8080",
      description = "Port (0 = any free port; default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--threads",
      defaultValue = "4",
      description = "HTTP worker threads (default: ${DEFAULT-VALUE}).")
  int threads;

  @Option(
      names = "--feature-server",
      paramLabel = "HOST:PORT",
      description = {
        "Read online features from this Feast ServingService (LiveRec's feature server)",
        "instead of the bundle's files (default: $" + FeastOnlineFeatures.ENV + ").",
        "A call past $" + FeastOnlineFeatures.DEADLINE_ENV + " ms (default 100) or to a server",
        "that is down is answered by a fallback, counted as outcome feature_fallback."
      })
  String featureServer;

  /** Environment variable naming the namespace whose ModelVersions drive the canary split. */
  static final String WATCH_ENV = "LIVEREC_GATEWAY_WATCH_NAMESPACE";

  @Option(
      names = "--watch-namespace",
      paramLabel = "NAMESPACE",
      description = {
        "Route the bundle's ranker by the status of the ModelVersions in this namespace",
        "(stable = the version promoted last, canary = the one in phase Canary at its",
        "status.trafficWeight), watched through the Kubernetes API (in-cluster or kubeconfig;",
        "default: $" + WATCH_ENV + "). Without it the bundle's split is served as is."
      })
  String watchNamespace;

  @Override
  public Integer call() throws Exception {
    Optional<String> endpoint =
        featureServer != null && !featureServer.isBlank()
            ? Optional.of(featureServer.trim())
            : FeastOnlineFeatures.configuredEndpoint();
    Optional<String> namespace =
        Optional.ofNullable(
                watchNamespace != null && !watchNamespace.isBlank()
                    ? watchNamespace
                    : System.getenv(WATCH_ENV))
            .map(String::trim)
            .filter(n -> !n.isEmpty());
    FeastOnlineFeatures remote = endpoint.map(ServeCommand::connect).orElse(null);
    List<AutoCloseable> watches = new ArrayList<>();
    Function<TrafficSplit, Supplier<TrafficSplit>> routing =
        namespace
            .<Function<TrafficSplit, Supplier<TrafficSplit>>>map(
                ns -> split -> StatusRoutedSplit.watched(split, ns, watches))
            .orElse(split -> () -> split);
    try (Running r = start(bundle, host, port, threads, remote, routing, b -> b)) {
      System.out.println("gateway listening on http://" + host + ":" + r.server().port());
      endpoint.ifPresent(e -> System.out.println("online features from the feature server " + e));
      namespace.ifPresent(
          ns -> System.out.println("canary split from the ModelVersions' status in " + ns));
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    watches.forEach(StatusRoutedSplit::closeQuietly);
                    r.close();
                  }));
      new CountDownLatch(1).await();
    } catch (Exception | Error e) {
      watches.forEach(StatusRoutedSplit::closeQuietly);
      if (remote != null) {
        remote.close();
      }
      throw e;
    }
    return 0;
  }

  /** A started gateway and what it owns. */
  public record Running(
      GatewayServer server,
      Recommender recommender,
      OnnxRuntimeBackend backend,
      LiveRoomIndex index,
      OnlineFeatures features)
      implements AutoCloseable {
    @Override
    public void close() {
      server.close();
      recommender.close();
      index.close();
      backend.close();
      if (features instanceof FeastOnlineFeatures feast) {
        feast.close();
      }
    }
  }

  /** A gateway on the bundle's own features (rooms.jsonl, users.jsonl). */
  public static Running start(Path bundle, String host, int port, int threads) throws Exception {
    return start(bundle, host, port, threads, Optional.empty());
  }

  /**
   * A gateway reading online features from the feature server at {@code featureServer} ({@code
   * host:port}) when given, else from the bundle.
   */
  public static Running start(
      Path bundle, String host, int port, int threads, Optional<String> featureServer)
      throws Exception {
    FeastOnlineFeatures remote = featureServer.map(ServeCommand::connect).orElse(null);
    try {
      return start(bundle, host, port, threads, remote);
    } catch (Exception | Error e) {
      if (remote != null) {
        remote.close();
      }
      throw e;
    }
  }

  private static Running start(
      Path bundle, String host, int port, int threads, FeastOnlineFeatures remote)
      throws Exception {
    return start(bundle, host, port, threads, remote, split -> () -> split, b -> b);
  }

  /**
   * A gateway on the bundle's own features whose ranker split comes from {@code routing} (given the
   * bundle's split) and whose inference goes through {@code faults} (given the ONNX Runtime
   * backend): the canary drill's hooks.
   */
  static Running start(
      Path bundle,
      String host,
      int port,
      int threads,
      FeastOnlineFeatures remote,
      Function<TrafficSplit, Supplier<TrafficSplit>> routing,
      UnaryOperator<InferenceBackend> faults)
      throws Exception {
    JsonNode cfg = JSON.readTree(bundle.resolve("gateway.json").toFile());
    ModelRef tower = ref(cfg.get("userTower"));
    List<TrafficSplit.Arm> arms = new ArrayList<>();
    for (JsonNode a : cfg.get("rankers")) {
      arms.add(new TrafficSplit.Arm(ref(a), a.path("basisPoints").asInt(TrafficSplit.BUCKETS)));
    }
    TrafficSplit split = new TrafficSplit(cfg.path("salt").asText(""), arms);
    Map<String, Double> weights = new LinkedHashMap<>();
    cfg.path("taskWeights")
        .fields()
        .forEachRemaining(e -> weights.put(e.getKey(), e.getValue().asDouble()));
    GatewayConfig config =
        new GatewayConfig(
            tower,
            cfg.path("recallN").asInt(200),
            weights.isEmpty() ? Map.of("ctr", 1.0) : weights,
            cfg.path("maxPerHost").asInt(2),
            Duration.ofMillis(cfg.path("rankerDeadlineMs").asLong(50)),
            cfg.path("maxK").asInt(100));

    if (remote != null && cfg.has(ServingBundle.ONLINE_FEATURES)) {
      // the bundle names the features its models read: the tower's inputs, the ranker's raw columns
      remote =
          remote.reading(
              ServingBundle.onlineFeatures(cfg, "user", List.of()),
              ServingBundle.onlineFeatures(cfg, "room", List.of()),
              ServingBundle.numericUserIds(cfg));
    }
    InProcessOnlineFeatures bundled = remote == null ? new InProcessOnlineFeatures() : null;
    LiveRoomIndex index = null;
    try (BufferedReader in = Files.newBufferedReader(bundle.resolve("rooms.jsonl"))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode room = JSON.readTree(line);
        float[] e = floats(room.get("embedding"));
        if (index == null) {
          index = new LiveRoomIndex(e.length, LiveRoomIndex.SERVING_PARAMS, 256);
        }
        int id = room.get("roomId").asInt();
        index.roomUp(
            id, room.path("hostId").asText("host-" + id), e, room.path("popularity").asDouble());
        if (bundled != null) {
          bundled.putRoom(
              id,
              new RoomFeatures(
                  longs(room.get("sparse")), floats(room.get("dense")), attributes(room)));
        }
      }
    }
    if (index == null) {
      throw new IllegalArgumentException(bundle.resolve("rooms.jsonl") + ": no rooms");
    }
    index.rebuildNow();
    OnlineFeatures features = remote;
    if (bundled != null) {
      readUsers(bundle.resolve("users.jsonl"), bundled);
      features = bundled;
    }
    OnnxRuntimeBackend backend = new OnnxRuntimeBackend(bundle.resolve("repository"), 1);
    RankerInputs configured =
        cfg.hasNonNull("rankerTransform")
            ? new TransformedRankerInputs(
                TransformSpec.load(bundle.resolve(cfg.get("rankerTransform").asText())))
            : RankerInputs.PRE_ENCODED;
    RankerInputs rankerInputs = new VersionedRankerInputs(bundle.resolve("repository"), configured);
    Recommender rec =
        new Recommender(
            config,
            features,
            index,
            faults.apply(backend),
            routing.apply(split),
            new GatewayMetrics(),
            rankerInputs);
    return new Running(new GatewayServer(rec, host, port, threads), rec, backend, index, features);
  }

  /**
   * Connects and warms the channel up for a few seconds; a feature server that does not answer only
   * makes requests fall back (counted), it does not stop the gateway from starting.
   */
  private static FeastOnlineFeatures connect(String endpoint) {
    FeastOnlineFeatures f;
    try {
      f = FeastOnlineFeatures.connect(endpoint, FeastOnlineFeatures.configuredDeadline());
    } catch (LiverecException e) {
      throw LiverecException.badInput(
          "--feature-server: expected host:port, got '" + endpoint + "'");
    } catch (NumberFormatException e) {
      throw LiverecException.badInput(
          FeastOnlineFeatures.DEADLINE_ENV + ": expected milliseconds, got " + e.getMessage());
    }
    if (!f.warmUp(WARM_UP)) {
      System.err.println(
          "feature server "
              + endpoint
              + " did not answer within "
              + WARM_UP.toSeconds()
              + " s: requests fall back (outcome feature_fallback) until it does");
    }
    return f;
  }

  private static void readUsers(Path file, InProcessOnlineFeatures features) throws Exception {
    try (BufferedReader in = Files.newBufferedReader(file)) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (!line.isBlank()) {
          JsonNode u = JSON.readTree(line);
          features.putUser(
              u.get("userId").asText(),
              new UserFeatures(longs(u.get("sparse")), longs(u.get("seq")), attributes(u)));
        }
      }
    }
  }

  private static ModelRef ref(JsonNode n) {
    return new ModelRef(n.get("name").asText(), n.get("version").asInt());
  }

  /** Raw attributes by training column name, for a ranker that ships its transform. */
  private static Map<String, Object> attributes(JsonNode n) {
    JsonNode a = n.get("attributes");
    if (a == null || a.isNull()) {
      return Map.of();
    }
    Map<String, Object> out = new LinkedHashMap<>();
    a.fields()
        .forEachRemaining(e -> out.put(e.getKey(), JSON.convertValue(e.getValue(), Object.class)));
    return out;
  }

  private static float[] floats(JsonNode a) {
    if (a == null || a.isNull()) {
      return new float[0];
    }
    float[] v = new float[a.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) a.get(i).asDouble();
    }
    return v;
  }

  private static long[] longs(JsonNode a) {
    if (a == null || a.isNull()) {
      return new long[0];
    }
    long[] v = new long[a.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = a.get(i).asLong();
    }
    return v;
  }
}
