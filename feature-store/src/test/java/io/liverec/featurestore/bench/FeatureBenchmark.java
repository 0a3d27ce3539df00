package io.liverec.featurestore.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.feast.FeastClient;
import dev.feast.Row;
import io.liverec.api.v1alpha1.FeatureViewSpec;
import io.liverec.api.v1alpha1.FeatureViewSpec.Field;
import io.liverec.api.v1alpha1.FeatureViewSpec.ValueType;
import io.liverec.featurestore.FeastPython;
import io.liverec.featurestore.feast.FeastFeatureRegistry;
import io.liverec.featurestore.feast.FeastRepo;
import io.liverec.featurestore.feast.Materializer;
import io.liverec.featurestore.feast.OnlineStoreConfig;
import io.liverec.featurestore.feast.OnlineStores;
import io.liverec.featurestore.offline.DuckDbPointInTimeJoin;
import io.liverec.featurestore.offline.FeatureRefs;
import io.liverec.featurestore.online.OnlineStore;
import io.liverec.featurestore.server.FeatureServer;
import io.liverec.testenv.TestEnv;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/bench-features.sh}: GetOnlineFeatures latency for 200 entities × 20 features on
 * Redis, LiveRec's server through FeastClient against Feast Python's own get_online_features on the
 * same store, and point-in-time join rows/s, LiveRec on DuckDB against Feast's
 * get_historical_features on the same data. Not part of the test suite (no Test/IT suffix).
 */
class FeatureBenchmark {
  private static final int USERS = Integer.getInteger("bench.users", 20_000);
  private static final int SOURCE_ROWS = Integer.getInteger("bench.sourceRows", 100_000);
  private static final int SAMPLES = Integer.getInteger("bench.samples", 200_000);
  private static final int ENTITIES = 200;
  private static final int FEATURES = 20;
  private static final int ITERATIONS = Integer.getInteger("bench.iterations", 1_000);
  private static final int ROUNDS = Integer.getInteger("bench.rounds", 10);

  private static double percentile(List<Double> ms, double q) {
    List<Double> sorted = new ArrayList<>(ms);
    java.util.Collections.sort(sorted);
    return sorted.get(Math.min(sorted.size() - 1, (int) (sorted.size() * q)));
  }

  @TempDir Path dir;

  @Test
  void bench() throws Exception {
    Path source = dir.resolve("user_features.parquet");
    Path samples = dir.resolve("samples.parquet");
    StringBuilder f = new StringBuilder();
    for (int i = 0; i < FEATURES; i++) {
      f.append(", random() AS f").append(i);
    }
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement()) {
      st.execute("SELECT setseed(0.42)");
      st.execute(
          "COPY (SELECT CAST(i % "
              + USERS
              + " AS BIGINT) AS user_id,"
              + " TIMESTAMP '2026-01-01' + to_seconds(CAST((i * 7919) % 259200 AS BIGINT)) AS event_ts"
              + f
              + " FROM range("
              + SOURCE_ROWS
              + ") t(i)) TO '"
              + source
              + "' (FORMAT parquet)");
      st.execute(
          "COPY (SELECT CAST((i * 31) % "
              + USERS
              + " AS BIGINT) AS user_id,"
              + " TIMESTAMP '2026-01-01' + to_seconds(CAST((i * 104729) % 345600 AS BIGINT)) AS event_timestamp"
              + " FROM range("
              + SAMPLES
              + ") t(i)) TO '"
              + samples
              + "' (FORMAT parquet)");
    }
    FeatureViewSpec spec = new FeatureViewSpec();
    spec.entities = new ArrayList<>(List.of(new Field("user_id", ValueType.INT64)));
    spec.features = new ArrayList<>();
    List<String> refs = new ArrayList<>();
    for (int i = 0; i < FEATURES; i++) {
      spec.features.add(new Field("f" + i, ValueType.DOUBLE));
      refs.add("user_features:f" + i);
    }
    spec.source.uri = source.toString();
    spec.source.timestampField = "event_ts";
    spec.ttl = "1d";
    Path repo = dir.resolve("repo");
    String project = "bench_" + Long.toHexString(System.nanoTime());
    FeastFeatureRegistry registry =
        new FeastFeatureRegistry(
            new FeastRepo(
                repo,
                project,
                OnlineStoreConfig.parse(
                    "redis://" + TestEnv.require("LIVEREC_IT_REDIS", "Redis"), repo)));
    registry.register("liverec", "user_features", spec);
    try (OnlineStore store = OnlineStores.open(registry.repo().online())) {
      new Materializer(registry, store)
          .materialize(
              "user_features",
              Instant.parse("2026-01-01T00:00:00Z"),
              Instant.parse("2026-01-05T00:00:00Z"));
    }

    // online: 200 entities x 20 features
    List<Long> users = new ArrayList<>();
    for (int i = 0; i < ENTITIES; i++) {
      users.add((long) ((i * 97) % USERS));
    }
    Map<String, Object> req = new LinkedHashMap<>();
    req.put("features", refs);
    req.put("entities", Map.of("user_id", users));
    Path reqFile = dir.resolve("request.json");
    new ObjectMapper().writeValue(reqFile.toFile(), req);
    // Feast Python as a long-lived process answering rounds, interleaved with LiveRec's rounds so
    // both are measured under the same machine load (this machine is shared)
    Process py =
        new ProcessBuilder(
                FeastPython.python().toString(),
                FeastPython.script().toString(),
                "bench-rounds",
                repo.toString(),
                reqFile.toString())
            .redirectError(dir.resolve("bench-rounds.err").toFile())
            .start();
    var pyIn =
        new java.io.BufferedReader(
            new java.io.InputStreamReader(
                py.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
    var pyOut =
        new java.io.PrintWriter(
            new java.io.OutputStreamWriter(
                py.getOutputStream(), java.nio.charset.StandardCharsets.UTF_8),
            true);
    if (!"ready".equals(pyIn.readLine())) {
      throw new IllegalStateException(
          "feast_tool bench-rounds did not start: "
              + Files.readString(dir.resolve("bench-rounds.err")));
    }
    int per = Math.max(1, ITERATIONS / ROUNDS);
    int pyPer = Math.max(10, per / 3);
    List<Double> liverecMs = new ArrayList<>();
    List<Double> rawMs = new ArrayList<>();
    List<Double> redisMs = new ArrayList<>();
    List<Double> pyMs = new ArrayList<>();
    try (FeatureServer server = FeatureServer.start(repo, "127.0.0.1", 0);
        OnlineStore redisStore = OnlineStores.open(registry.repo().online())) {
      FeastClient client = FeastClient.create("127.0.0.1", server.port());
      List<Row> rows = new ArrayList<>();
      users.forEach(u -> rows.add(Row.create().set("user_id", u)));
      // breakdown: the raw gRPC stub (no SDK row building) and the Redis read alone
      var channel =
          io.grpc.ManagedChannelBuilder.forAddress("127.0.0.1", server.port())
              .usePlaintext()
              .build();
      var stub = feast.proto.serving.ServingServiceGrpc.newBlockingStub(channel);
      var rv = feast.proto.types.ValueProto.RepeatedValue.newBuilder();
      users.forEach(u -> rv.addVal(feast.proto.types.ValueProto.Value.newBuilder().setInt64Val(u)));
      var request =
          feast.proto.serving.ServingAPIProto.GetOnlineFeaturesRequest.newBuilder()
              .setFeatures(
                  feast.proto.serving.ServingAPIProto.FeatureList.newBuilder().addAllVal(refs))
              .putEntities("user_id", rv.build())
              .build();
      List<byte[]> keys = new ArrayList<>();
      users.forEach(
          u ->
              keys.add(
                  io.liverec.featurestore.online.EntityKeys.serialize(
                      List.of("user_id"),
                      List.of(
                          feast.proto.types.ValueProto.Value.newBuilder()
                              .setInt64Val(u)
                              .build()))));
      List<String> names = spec.features.stream().map(x -> x.name).toList();
      for (int i = 0; i < 200; i++) {
        client.getOnlineFeatures(refs, rows);
        stub.getOnlineFeatures(request);
        redisStore.read(project, "user_features", keys, names);
      }
      for (int round = 0; round < ROUNDS; round++) {
        for (int i = 0; i < per; i++) {
          long t0 = System.nanoTime();
          client.getOnlineFeatures(refs, rows);
          liverecMs.add((System.nanoTime() - t0) / 1e6);
        }
        pyOut.println(pyPer);
        for (JsonNode x : new ObjectMapper().readTree(pyIn.readLine())) {
          pyMs.add(x.asDouble());
        }
        for (int i = 0; i < per; i++) {
          long t0 = System.nanoTime();
          stub.getOnlineFeatures(request);
          rawMs.add((System.nanoTime() - t0) / 1e6);
        }
        for (int i = 0; i < per; i++) {
          long t0 = System.nanoTime();
          redisStore.read(project, "user_features", keys, names);
          redisMs.add((System.nanoTime() - t0) / 1e6);
        }
      }
      client.close();
      channel.shutdownNow();
    } finally {
      pyOut.close();
      py.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
      py.destroy();
    }
    double[] liverec = {percentile(liverecMs, 0.5), percentile(liverecMs, 0.99)};
    double pyP50 = percentile(pyMs, 0.5);
    double pyP99 = percentile(pyMs, 0.99);
    String breakdown =
        String.format(
            "breakdown p50: FeastClient %.2f ms, raw gRPC stub %.2f ms, Redis read alone %.2f ms;"
                + " %d interleaved rounds (LiveRec %d calls, Feast Python %d calls)%n",
            liverec[0],
            percentile(rawMs, 0.5),
            percentile(redisMs, 0.5),
            ROUNDS,
            liverecMs.size(),
            pyMs.size());

    // offline: point-in-time join of SAMPLES entity rows
    long t0 = System.nanoTime();
    long n =
        DuckDbPointInTimeJoin.toParquet(
            "read_parquet('" + samples + "')",
            "event_timestamp",
            FeatureRefs.resolve(registry, "liverec", refs),
            false,
            dir.resolve("joined.parquet"));
    double liverecSeconds = (System.nanoTime() - t0) / 1e9;
    JsonNode hist =
        new ObjectMapper()
            .readTree(
                FeastPython.tool(
                    "historical",
                    repo.toString(),
                    samples.toString(),
                    String.join(",", refs),
                    dir.resolve("feast.parquet").toString()));
    double feastSeconds = hist.get("seconds").asDouble();

    String date = LocalDate.now().toString();
    String md =
        String.format(
            "| GetOnlineFeatures, 200 entities × 20 features, Redis on loopback: LiveRec's ServingService"
                + " through FeastClient, p50 / p99 (%d calls) | Feast Python get_online_features on the same"
                + " store, same run, in interleaved rounds: p50 %.2f ms, p99 %.2f ms | %.1f× (p50), %.1f× (p99) | p50 %.2f ms, p99"
                + " %.2f ms | `scripts/bench-features.sh` | %s |%n"
                + "| point-in-time join, %d entity rows × 20 features from %d source rows (ttl 1 d): LiveRec on"
                + " DuckDB embedded | Feast get_historical_features (DuckDB offline store), same data: %.0f"
                + " rows/s (%.2f s) | %.1f× | %.0f rows/s (%.2f s) | `scripts/bench-features.sh` | %s |%n",
            liverecMs.size(),
            pyP50,
            pyP99,
            pyP50 / liverec[0],
            pyP99 / liverec[1],
            liverec[0],
            liverec[1],
            date,
            n,
            SOURCE_ROWS,
            n / feastSeconds,
            feastSeconds,
            feastSeconds / liverecSeconds,
            n / liverecSeconds,
            liverecSeconds,
            date);
    Path out = TestEnv.repoRoot().resolve("feature-store/target/bench-features.md");
    Files.createDirectories(out.getParent());
    Files.writeString(out, md);
    System.out.print("benchmark rows:\n" + md + breakdown);
  }
}
