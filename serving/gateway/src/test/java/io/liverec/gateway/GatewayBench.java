package io.liverec.gateway;

import io.liverec.api.v1alpha1.ModelSpec;
import io.liverec.api.v1alpha1.TrainingSpec;
import io.liverec.pipelines.features.ColumnSpec;
import io.liverec.pipelines.features.FeatureColumn;
import io.liverec.pipelines.features.TransformSpec;
import io.liverec.pipelines.ranking.RankerConfig;
import io.liverec.pipelines.ranking.TfRanker;
import io.liverec.pipelines.recall.twotower.TwoTowerConfig;
import io.liverec.pipelines.recall.twotower.TwoTowerModel;
import io.liverec.pipelines.recall.twotower.UserTowerExport;
import io.liverec.serving.TinyModels;
import io.liverec.serving.inference.Tensor;
import io.liverec.serving.onnx.OnnxRuntimeBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The gateway for scripts/bench-gateway.sh: {@code rooms} live rooms, 10 000 users, embedded ONNX
 * models. Models {@code production} (the default): the TrainingRun defaults' ranker (ESMM over
 * DeepFM, the sampler's 22 feature columns through the ranker's own feature transform) and the
 * demo's user tower (32-d output), both exported by the pipelines' own exporters from initialised,
 * untrained weights (inference costs the same); {@code tiny}: the tiny test models of the earlier
 * rows. Prints the model sizes, the index's recall@200 against the exact scan, then the bare model
 * inference of the same requests (user tower + ranker over the recallN candidates the request
 * recalls, tensors built beforehand) in-process, then serves HTTP on {@code port} until {@code
 * seconds} have passed. Arguments: rooms port seconds recallN [production|tiny].
 */
public final class GatewayBench {
  static final int USERS = 10_000;

  /** What the bench serves: the backend, the online features, the index, the ranker inputs. */
  record Setup(
      OnnxRuntimeBackend backend,
      InProcessOnlineFeatures features,
      LiveRoomIndex index,
      RankerInputs rankerInputs,
      List<String> rankerOutputs) {}

  public static void main(String[] args) throws Exception {
    int rooms = Integer.parseInt(args[0]);
    int port = Integer.parseInt(args[1]);
    int seconds = Integer.parseInt(args[2]);
    int recallN = Integer.parseInt(args[3]);
    String models = args.length > 4 ? args[4] : "production";
    Path dir = Files.createTempDirectory("liverec-bench-gateway");
    Path repo = dir.resolve("repo");
    Files.createDirectories(repo.resolve("user_tower/1"));
    Files.createDirectories(repo.resolve("ranker/1"));
    long t0 = System.nanoTime();
    Setup s =
        switch (models) {
          case "tiny" -> tiny(repo, rooms);
          case "production" -> production(repo, rooms);
          default ->
              throw new IllegalArgumentException("models: production or tiny, got " + models);
        };
    System.out.printf(
        "index built: %d rooms, %d-d, in %.1f s (setup incl. model export)%n",
        rooms, s.index().dimension(), (System.nanoTime() - t0) / 1e9);
    GatewayConfig config =
        new GatewayConfig(
            new ModelRef("user_tower", 1),
            recallN,
            Map.of("ctr", 1.0, "cvr", 0.5),
            2,
            java.time.Duration.ofMillis(50),
            100);

    // recall@recallN of the graph search against the exact scan, over the users' own vectors
    int queries = 200;
    float[][] userVectors = new float[queries][];
    for (int i = 0; i < queries; i++) {
      userVectors[i] = userVector(s, "u" + (i * 7919) % USERS);
    }
    StringBuilder recall = new StringBuilder();
    for (int ef : new int[] {200, 400, 800}) {
      double hit = 0;
      for (float[] q : userVectors) {
        Set<Integer> exact = new HashSet<>();
        s.index().searchExact(q, recallN).forEach(h -> exact.add(h.roomId()));
        for (LiveRoomIndex.Hit h : s.index().search(q, recallN, ef)) {
          hit += exact.contains(h.roomId()) ? 1 : 0;
        }
      }
      recall.append(
          String.format(
              "  ef %d%s %.3f",
              ef,
              ef == LiveRoomIndex.SERVING_EF_SEARCH ? " (serving)" : "",
              hit / (queries * recallN)));
    }
    System.out.printf("recall@%d vs exact (%d user vectors):%s%n", recallN, queries, recall);

    // The anchor: the same two model calls per request, in-process, no recall, no HTTP; the
    // ranker's tensors for the candidates that request recalls are built before the clock starts.
    int n = 2000;
    int warm = 300;
    long[] took = new long[n];
    for (int i = -warm; i < n; i++) {
      String userId = "u" + Math.floorMod(i * 7919, USERS);
      UserFeatures uf = s.features().user(userId).orElseThrow();
      List<Tensor> towerIn = towerInputs(uf);
      List<LiveRoomIndex.Hit> cands = s.index().search(userVector(s, userId), recallN);
      List<RoomFeatures> rows = new ArrayList<>();
      for (LiveRoomIndex.Hit h : cands) {
        rows.add(s.features().room(h.roomId()).orElseThrow());
      }
      List<Tensor> rankerIn =
          s.rankerInputs()
              .forRanker(new ModelRef("ranker", 1))
              .encode(new RecommendRequest(userId, "home", Map.of(), 20), uf, rows);
      long t = System.nanoTime();
      s.backend().infer("user_tower", 1, towerIn, List.of("user_vector"));
      s.backend().infer("ranker", 1, rankerIn, s.rankerOutputs());
      if (i >= 0) {
        took[i] = System.nanoTime() - t;
      }
    }
    Arrays.sort(took);
    System.out.printf(
        "bare inference (user tower + ranker x %d): p50 %.3f ms  p99 %.3f ms%n",
        recallN, took[n / 2] / 1e6, took[(int) (n * 0.99)] / 1e6);

    Recommender rec =
        new Recommender(
            config,
            s.features(),
            s.index(),
            s.backend(),
            () -> TrafficSplit.single(new ModelRef("ranker", 1)),
            new GatewayMetrics(),
            s.rankerInputs());
    GatewayServer server = new GatewayServer(rec, "127.0.0.1", port, 4);
    System.out.println("READY " + server.port());
    System.out.flush();
    Thread.sleep(seconds * 1000L);
    var m = rec.metrics();
    System.out.printf(
        "outcomes: served %.0f, ranker_fallback %.0f, recall_fallback %.0f, cold_start %.0f%n",
        m.outcomeCount(Recommender.SERVED),
        m.outcomeCount(Recommender.RANKER_FALLBACK),
        m.outcomeCount(Recommender.RECALL_FALLBACK),
        m.outcomeCount(Recommender.COLD_START));
    server.close();
    rec.close();
    s.index().close();
    s.backend().close();
  }

  static List<Tensor> towerInputs(UserFeatures uf) {
    return List.of(
        Tensor.ofLongs("user_sparse", new long[] {1, uf.sparse().length}, uf.sparse()),
        Tensor.ofLongs("seq", new long[] {1, uf.sequence().length}, uf.sequence()));
  }

  static float[] userVector(Setup s, String userId) {
    UserFeatures uf = s.features().user(userId).orElseThrow();
    return s.backend()
        .infer("user_tower", 1, towerInputs(uf), List.of("user_vector"))
        .get("user_vector")
        .floats();
  }

  /** The tiny test models: 8-d user tower, a ranker over 3 pre-encoded ids and 4 floats. */
  static Setup tiny(Path repo, int rooms) {
    TinyModels.userTower(repo.resolve("user_tower/1/model.onnx"), TinyModels.towerWeights(1));
    TinyModels.ranker(repo.resolve("ranker/1/model.onnx"), TinyModels.rankerWeights(2));
    System.out.println("models: tiny test user tower (8-d) and ranker (3 ids + 4 floats per row)");
    Random r = new Random(5);
    InProcessOnlineFeatures features = new InProcessOnlineFeatures();
    LiveRoomIndex index = new LiveRoomIndex(8, LiveRoomIndex.SERVING_PARAMS, Integer.MAX_VALUE);
    for (int i = 0; i < rooms; i++) {
      index.roomUp(i, "h" + (i % (rooms / 4 + 1)), gaussian(r, 8), r.nextDouble());
      float[] dense = {(float) r.nextGaussian(), (float) r.nextGaussian(), 0.1f, 0.2f};
      features.putRoom(
          i, new RoomFeatures(new long[] {i % 10, (i / 10) % 10, r.nextInt(10)}, dense));
    }
    index.rebuildNow();
    for (int u = 0; u < USERS; u++) {
      long[] seq = new long[5];
      for (int i = 0; i < 5; i++) {
        seq[i] = r.nextInt(10);
      }
      features.putUser("u" + u, new UserFeatures(new long[] {r.nextInt(10), r.nextInt(10)}, seq));
    }
    return new Setup(
        new OnnxRuntimeBackend(repo, 1),
        features,
        index,
        RankerInputs.PRE_ENCODED,
        List.of("ctr", "cvr"));
  }

  // the sampler's categorical value sets (cardinalities of the simulated world, rounded)
  static final int CITIES = 1000;
  static final int CATEGORIES = 256;
  static final int LANGUAGES = 30;

  /**
   * The production-sized models: the ranker of the TrainingRun defaults (ModelSpec: ESMM over
   * DeepFM, embeddingDim 16, hidden [64, 32], fm) on {@link ColumnSpec#defaults()} with a fitted
   * transform whose vocabularies have the world's sizes, and the demo's user tower (two-tower,
   * embeddingDim 16, hidden [64], outputDim 32, 20-room sequence, 4 profile fields).
   */
  static Setup production(Path repo, int rooms) throws Exception {
    ColumnSpec columns = ColumnSpec.defaults();
    List<TransformSpec.Fitted> fitted = new ArrayList<>();
    for (FeatureColumn c : columns.features()) {
      fitted.add(
          switch (c.kind()) {
            case VOCAB ->
                new TransformSpec.Fitted(c.name(), vocab(c.name(), rooms), null, null, null);
            case BUCKET ->
                new TransformSpec.Fitted(
                    c.name(),
                    null,
                    new double[] {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000},
                    null,
                    null);
            case DENSE -> new TransformSpec.Fitted(c.name(), null, null, 150.0, 400.0);
            case HASH, SEQUENCE, VECTOR ->
                new TransformSpec.Fitted(c.name(), null, null, null, null);
          });
    }
    TransformSpec spec = new TransformSpec(columns, fitted, "synthetic (GatewayBench)", 0);
    ModelSpec rankerModel = new ModelSpec(); // the TrainingRun defaults
    RankerConfig rankerConfig = RankerConfig.of(rankerModel, new TrainingSpec(), spec.schema());
    try (TfRanker ranker = new TfRanker(rankerConfig)) {
      ranker.exportOnnx(repo.resolve("ranker/1/model.onnx"));
    }
    spec.save(repo.resolve("ranker/1").resolve(TransformSpec.FILE_NAME));
    TwoTowerConfig tower =
        new TwoTowerConfig(
            USERS,
            rooms,
            CATEGORIES,
            LANGUAGES,
            64,
            List.of(3, 8, CITIES, 8),
            20,
            0,
            false,
            16,
            List.of(64),
            32,
            0.2,
            true,
            false,
            false,
            0,
            0.003,
            512,
            1,
            7L);
    try (TwoTowerModel model = new TwoTowerModel(tower)) {
      UserTowerExport.export(
          tower, model.variableValues(), repo.resolve("user_tower/1/model.onnx"));
    }
    long rankerBytes = Files.size(repo.resolve("ranker/1/model.onnx"));
    long towerBytes = Files.size(repo.resolve("user_tower/1/model.onnx"));
    System.out.printf(
        "models: production-sized, untrained weights. ranker: ESMM over DeepFM (ModelSpec defaults:"
            + " embeddingDim %d, hidden %s, interactions %s, tasks ctr+cvr), %d sparse fields"
            + " (vocab sizes up to %d), %d dense, a %d-room sequence, %d multimodal floats per"
            + " row, ONNX %.1f MB; user tower: embeddingDim 16, hidden [64], output 32-d, %d users,"
            + " ONNX %.1f MB%n",
        rankerModel.embeddingDim,
        rankerModel.hiddenUnits,
        rankerModel.interactions,
        spec.schema().numSparse(),
        Math.max(USERS, rooms) + 1,
        spec.schema().denseDim(),
        spec.schema().seqLength(),
        spec.schema().multimodalDim(),
        rankerBytes / 1e6,
        USERS,
        towerBytes / 1e6);

    Random r = new Random(5);
    InProcessOnlineFeatures features = new InProcessOnlineFeatures();
    LiveRoomIndex index = new LiveRoomIndex(32, LiveRoomIndex.SERVING_PARAMS, Integer.MAX_VALUE);
    for (int i = 0; i < rooms; i++) {
      String host = "h" + (i % (rooms / 4 + 1));
      index.roomUp(i, host, gaussian(r, 32), r.nextDouble());
      Map<String, Object> a = new HashMap<>();
      a.put("room_id", i);
      a.put("host_id", host);
      a.put("category", "cat" + r.nextInt(CATEGORIES));
      a.put("room_language", "l" + r.nextInt(LANGUAGES));
      a.put("cover_style", "s" + r.nextInt(8));
      a.put("room_viewers", r.nextInt(2000));
      a.put("followers", r.nextInt(20000));
      a.put("audio_vec", gaussian(r, 32));
      a.put("visual_vec", gaussian(r, 32));
      a.put("text_vec", gaussian(r, 32));
      features.putRoom(i, new RoomFeatures(new long[0], new float[0], a));
    }
    index.rebuildNow();
    for (int u = 0; u < USERS; u++) {
      int lang = r.nextInt(LANGUAGES);
      long[] profile = {r.nextInt(3), r.nextInt(8), r.nextInt(CITIES), r.nextInt(8)};
      long[] sparse = {u, lang, r.nextInt(24), profile[0], profile[1], profile[2], profile[3]};
      long[] seq = new long[20];
      List<Integer> recent = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        seq[i] = r.nextInt(rooms);
        recent.add((int) seq[i]);
      }
      Map<String, Object> a = new HashMap<>();
      a.put("gender", "g" + profile[0]);
      a.put("age_bucket", "a" + profile[1]);
      a.put("city", "c" + profile[2]);
      a.put("device", "d" + profile[3]);
      a.put("user_language", "l" + lang);
      a.put("spender_level", "p" + r.nextInt(5));
      a.put("recent_rooms", recent);
      features.putUser("u" + u, new UserFeatures(sparse, seq, a));
    }
    return new Setup(
        new OnnxRuntimeBackend(repo, 1),
        features,
        index,
        new TransformedRankerInputs(spec),
        List.of("ctr", "cvr"));
  }

  /** A vocabulary with the world's values of one categorical column, as the bench fills them. */
  static List<String> vocab(String column, int rooms) {
    List<String> v = new ArrayList<>();
    switch (column) {
      case "user_id" -> range(v, "u", USERS);
      case "room_id" -> range(v, "", rooms);
      case "host_id" -> range(v, "h", rooms / 4 + 1);
      case "surface" -> v.addAll(List.of("home", "feed", "explore", "follow"));
      case "position" -> range(v, "", 64);
      case "hour" -> range(v, "", 24);
      case "gender" -> range(v, "g", 3);
      case "age_bucket", "device", "cover_style" ->
          range(v, column.equals("age_bucket") ? "a" : column.equals("device") ? "d" : "s", 8);
      case "city" -> range(v, "c", CITIES);
      case "user_language", "room_language" -> range(v, "l", LANGUAGES);
      case "spender_level" -> range(v, "p", 5);
      case "category" -> range(v, "cat", CATEGORIES);
      default -> throw new IllegalArgumentException("no bench vocabulary for " + column);
    }
    return v;
  }

  static void range(List<String> v, String prefix, int n) {
    for (int i = 0; i < n; i++) {
      v.add(prefix + i);
    }
  }

  static float[] gaussian(Random r, int dim) {
    float[] e = new float[dim];
    for (int d = 0; d < dim; d++) {
      e[d] = (float) r.nextGaussian();
    }
    return e;
  }
}
