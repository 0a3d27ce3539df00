package io.liverec.featurestore.online;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.feast.FeastClient;
import dev.feast.Row;
import feast.proto.serving.ServingAPIProto.FieldStatus;
import feast.proto.types.ValueProto;
import feast.proto.types.ValueProto.Value;
import io.liverec.featurestore.FeastPython;
import io.liverec.featurestore.UserStats;
import io.liverec.featurestore.feast.FeastFeatureRegistry;
import io.liverec.featurestore.feast.FeastRepo;
import io.liverec.featurestore.feast.Materializer;
import io.liverec.featurestore.feast.OnlineStoreConfig;
import io.liverec.featurestore.feast.OnlineStores;
import io.liverec.featurestore.server.FeatureServer;
import io.liverec.testenv.TestEnv;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Values cross between LiveRec and the real Feast Python SDK in both directions, on Feast's SQLite
 * and Redis online stores: what LiveRec materializes, Feast's get_online_features reads back
 * identically; what Feast materializes, LiveRec's ServingService serves identically to FeastClient.
 */
class OnlineRoundTripIT {
  static final ObjectMapper JSON = new ObjectMapper();
  static final List<String> FEATURES = List.of("age", "score", "ratio", "city", "vip", "recent");
  static final Instant START = UserStats.T0;
  static final Instant END = UserStats.T0.plus(Duration.ofHours(40));

  @TempDir Path dir;

  static OnlineStoreConfig store(String kind, Path repo) {
    return kind.equals("redis")
        ? OnlineStoreConfig.parse("redis://" + TestEnv.require("LIVEREC_IT_REDIS", "Redis"), repo)
        : OnlineStoreConfig.parse("sqlite", repo);
  }

  /** A project of its own per test, so runs never see each other's keys in the shared Redis. */
  static String project() {
    return "it_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
  }

  /** What the source row should become in the online store. */
  static Map<String, Value> expected(UserStats.Row r) {
    Map<String, Value> m = new LinkedHashMap<>();
    m.put("age", Value.newBuilder().setInt32Val(r.age()).build());
    m.put(
        "score",
        r.score() == null
            ? Value.getDefaultInstance()
            : Value.newBuilder().setDoubleVal(r.score()).build());
    m.put("ratio", Value.newBuilder().setFloatVal(r.ratio()).build());
    m.put("city", Value.newBuilder().setStringVal(r.city()).build());
    m.put("vip", Value.newBuilder().setBoolVal(r.vip()).build());
    m.put(
        "recent",
        Value.newBuilder()
            .setInt64ListVal(ValueProto.Int64List.newBuilder().addAllVal(r.recent()))
            .build());
    return m;
  }

  static List<Long> users() {
    List<Long> u = new ArrayList<>();
    for (long i = 1; i <= 30; i++) {
      u.add(i);
    }
    u.add(999L); // never had a row
    return u;
  }

  /** Feast Python's get_online_features: feature name → one Value per user. */
  static Map<String, List<Value>> feastReads(Path repo, String view, List<Long> users)
      throws Exception {
    Map<String, Object> req = new LinkedHashMap<>();
    req.put("features", FEATURES.stream().map(f -> view + ":" + f).toList());
    req.put("entities", Map.of("user_id", users));
    Path file = Files.createTempFile(repo, "request", ".json");
    JSON.writeValue(file.toFile(), req);
    JsonNode out = JSON.readTree(FeastPython.tool("online", repo.toString(), file.toString()));
    Map<String, List<Value>> m = new LinkedHashMap<>();
    List<String> names = new ArrayList<>();
    out.get("names").forEach(n -> names.add(n.asText()));
    for (int i = 0; i < names.size(); i++) {
      List<Value> vals = new ArrayList<>();
      for (JsonNode v : out.get("results").get(i).get("values")) {
        vals.add(Value.parseFrom(Base64.getDecoder().decode(v.asText())));
      }
      m.put(names.get(i), vals);
    }
    return m;
  }

  /** LiveRec's server through the Feast Java SDK. */
  static List<Row> liveRecServes(Path repo, String view, List<Long> users) throws Exception {
    try (FeatureServer server = FeatureServer.start(repo, "127.0.0.1", 0)) {
      FeastClient client = FeastClient.create("127.0.0.1", server.port());
      try {
        List<Row> rows = new ArrayList<>();
        for (long u : users) {
          rows.add(Row.create().set("user_id", u));
        }
        return client.getOnlineFeatures(FEATURES.stream().map(f -> view + ":" + f).toList(), rows);
      } finally {
        client.close();
      }
    }
  }

  private FeastFeatureRegistry registry(String kind, UserStats data, Path repo) {
    FeastFeatureRegistry registry =
        new FeastFeatureRegistry(new FeastRepo(repo, project(), store(kind, repo)));
    registry.register("liverec", "user_stats", data.spec("0s"));
    return registry;
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"sqlite", "redis"})
  void whatLiveRecMaterializesFeastPythonAndLiveRecsServerReadIdentically(String kind)
      throws Exception {
    UserStats data = new UserStats(dir.resolve("user_stats.parquet"), 30, 11);
    Path repo = dir.resolve("repo");
    FeastFeatureRegistry registry = registry(kind, data, repo);
    try (OnlineStore store = OnlineStores.open(registry.repo().online())) {
      Materializer.Result r =
          new Materializer(registry, store).materialize("user_stats", START, END);
      assertThat(r.rows()).isEqualTo(data.latest(START, END).size()).isGreaterThan(15);
    }
    List<Long> users = users();
    Map<String, List<Value>> feast = feastReads(repo, "user_stats", users);
    Map<Long, UserStats.Row> latest = data.latest(START, END);
    for (int i = 0; i < users.size(); i++) {
      UserStats.Row row = latest.get(users.get(i));
      for (String f : FEATURES) {
        Value want = row == null ? Value.getDefaultInstance() : expected(row).get(f);
        assertThat(feast.get(f).get(i))
            .as("Feast Python, user %d, %s", users.get(i), f)
            .isEqualTo(want);
      }
    }
    // LiveRec's own server gives the same values, with statuses and event times
    List<Row> served = liveRecServes(repo, "user_stats", users);
    for (int i = 0; i < users.size(); i++) {
      UserStats.Row row = latest.get(users.get(i));
      for (String f : FEATURES) {
        String ref = "user_stats:" + f;
        assertThat(served.get(i).getFields().get(ref)).isEqualTo(feast.get(f).get(i));
        FieldStatus want =
            row == null
                ? FieldStatus.NOT_FOUND
                : f.equals("score") && row.score() == null
                    ? FieldStatus.NULL_VALUE
                    : FieldStatus.PRESENT;
        assertThat(served.get(i).getStatus(ref)).as("user %d %s", users.get(i), f).isEqualTo(want);
      }
      long ts = served.get(i).getEntityTimestamp().getSeconds();
      assertThat(ts).isEqualTo(row == null ? 0 : row.eventTs().getEpochSecond());
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"sqlite", "redis"})
  void whatFeastPythonMaterializesLiveRecServesIdenticallyToFeastClient(String kind)
      throws Exception {
    UserStats data = new UserStats(dir.resolve("user_stats.parquet"), 30, 12);
    Path repo = dir.resolve("repo");
    registry(kind, data, repo);
    FeastPython.tool("materialize", repo.toString(), START.toString(), END.toString());
    List<Long> users = users();
    Map<String, List<Value>> feast = feastReads(repo, "user_stats", users);
    List<Row> served = liveRecServes(repo, "user_stats", users);
    Map<Long, UserStats.Row> latest = data.latest(START, END);
    int present = 0;
    for (int i = 0; i < users.size(); i++) {
      UserStats.Row row = latest.get(users.get(i));
      for (String f : FEATURES) {
        Value v = served.get(i).getFields().get("user_stats:" + f);
        assertThat(v).as("user %d %s", users.get(i), f).isEqualTo(feast.get(f).get(i));
        assertThat(v).isEqualTo(row == null ? Value.getDefaultInstance() : expected(row).get(f));
      }
      if (row != null) {
        present++;
        assertThat(served.get(i).getStatus("user_stats:age")).isEqualTo(FieldStatus.PRESENT);
        assertThat(served.get(i).getEntityTimestamp().getSeconds())
            .isEqualTo(row.eventTs().getEpochSecond());
      }
    }
    assertThat(present).isGreaterThan(15);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"sqlite"})
  void incrementalRunsContinueFromTheIntervalTheOtherSideRecorded(String kind) throws Exception {
    UserStats data = new UserStats(dir.resolve("user_stats.parquet"), 30, 13);
    Path repo = dir.resolve("repo");
    FeastFeatureRegistry registry = registry(kind, data, repo);
    Instant mid = START.plus(Duration.ofDays(1));
    try (OnlineStore store = OnlineStores.open(registry.repo().online())) {
      Materializer m = new Materializer(registry, store);
      m.materialize("user_stats", START, mid);
      assertThat(m.incrementalStart("user_stats", END)).isEqualTo(mid);
    }
    Instant end = START.plus(Duration.ofDays(3));
    FeastPython.tool("materialize-incremental", repo.toString(), end.toString());
    JsonNode intervals =
        JSON.readTree(FeastPython.tool("list", repo.toString())).get(0).get("intervals");
    assertThat(intervals).hasSize(2);
    assertThat(Instant.parse(intervals.get(1).get(0).asText().replace("+00:00", "Z")))
        .isEqualTo(mid);
    try (OnlineStore store = OnlineStores.open(registry.repo().online())) {
      assertThat(new Materializer(registry, store).incrementalStart("user_stats", end))
          .isEqualTo(end);
    }
  }
}
