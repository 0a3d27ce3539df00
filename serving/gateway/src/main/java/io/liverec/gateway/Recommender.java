package io.liverec.gateway;

import io.liverec.serving.inference.InferenceBackend;
import io.liverec.serving.inference.Tensor;
import io.liverec.serving.rollout.ArmOutcomes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The request path: online features → user tower → ANN over live rooms → ranker over the top N in
 * one batched call → fusion (Π task_i^a_i, dedupe, host diversity) → top k. Every failure has a
 * fallback that still answers, and each is counted: ranker slow or down → recall order; user tower
 * or recall down → popular live rooms; unknown user → popular live rooms (cold start); feature
 * store down or slow → popular live rooms (user features) or recall order (room features).
 *
 * <p>Size: it is the one request path, and the fallback ladder above is the contract that holds it
 * together: each stage (features, user tower, ANN, ranker, fusion) decides which fallback answers,
 * with the same request's models map, k and metrics. Natural seams are the two model calls ({@code
 * userVector}, {@code rank} with its deadline and executor) and the fusion/diversity step; they are
 * not cut yet because each is a single private method whose only caller is {@code doRecommend}.
 */
public final class Recommender implements AutoCloseable {
  public static final String SERVED = "served";
  public static final String COLD_START = "cold_start";
  public static final String RANKER_FALLBACK = "ranker_fallback";
  public static final String RECALL_FALLBACK = "recall_fallback";
  public static final String FEATURE_FALLBACK = "feature_fallback";

  private final GatewayConfig config;
  private final OnlineFeatures features;
  private final LiveRoomIndex index;
  private final InferenceBackend backend;
  private final Supplier<TrafficSplit> split;
  private final GatewayMetrics metrics;
  private final RankerInputs rankerInputs;
  private final ArmOutcomes outcomes = new ArmOutcomes();
  private final ExecutorService rankerCalls =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "liverec-ranker-call");
            t.setDaemon(true);
            return t;
          });

  /**
   * @param split read on every request, so a watcher may swap the weights while serving
   */
  public Recommender(
      GatewayConfig config,
      OnlineFeatures features,
      LiveRoomIndex index,
      InferenceBackend backend,
      Supplier<TrafficSplit> split,
      GatewayMetrics metrics) {
    this(config, features, index, backend, split, metrics, RankerInputs.PRE_ENCODED);
  }

  /**
   * @param rankerInputs how the ranker's rows are built: {@link RankerInputs#PRE_ENCODED}, or the
   *     ranker's own feature transform ({@link TransformedRankerInputs})
   */
  public Recommender(
      GatewayConfig config,
      OnlineFeatures features,
      LiveRoomIndex index,
      InferenceBackend backend,
      Supplier<TrafficSplit> split,
      GatewayMetrics metrics,
      RankerInputs rankerInputs) {
    this.rankerInputs = rankerInputs;
    this.config = config;
    this.features = features;
    this.index = index;
    this.backend = backend;
    this.split = split;
    this.metrics = metrics;
  }

  public GatewayConfig config() {
    return config;
  }

  public LiveRoomIndex index() {
    return index;
  }

  public GatewayMetrics metrics() {
    return metrics;
  }

  /**
   * The models this gateway would call that its backend cannot serve yet (the user tower, every
   * ranker arm of the current split); empty = ready for traffic.
   */
  public List<String> notReady() {
    List<ModelRef> models = new ArrayList<>();
    models.add(config.userTower());
    split.get().arms().forEach(a -> models.add(a.ranker()));
    return models.stream()
        .distinct()
        .filter(m -> !backend.ready(m.name(), m.version()))
        .map(ModelRef::toString)
        .toList();
  }

  /** The ranker arm a user is on now. */
  public ModelRef rankerFor(String userId) {
    return split.get().armFor(userId).ranker();
  }

  /** The split requests are routed by right now. */
  public TrafficSplit split() {
    return split.get();
  }

  /** Impressions and outcome events of the canary and its control slice, for the analysis. */
  public ArmOutcomes outcomes() {
    return outcomes;
  }

  /**
   * One feedback event from a user about a room, as {@code POST /v1/feedback} takes it: clicks,
   * watch time ({@code value} seconds) and gifts ({@code value}) raise the room's popularity; the
   * event is counted per ranker version and toward the canary's comparison.
   */
  public void feedback(String userId, int roomId, String event, double value) {
    double bump =
        switch (event) {
          case "click" -> 1;
          case "watch" -> value / 60.0;
          case "gift" -> 5 * value;
          default -> 0;
        };
    if (bump > 0) {
      index.bump(roomId, bump);
    }
    metrics.feedback(event, rankerFor(userId));
    countOutcome(userId, event);
  }

  /**
   * Counts one feedback event toward the canary's comparison when the user is on the canary or in
   * its control slice ({@code impression}, {@code click}, {@code conversion}, {@code gift}).
   */
  public void countOutcome(String userId, String event) {
    TrafficSplit s = split.get();
    s.comparisonArm(userId)
        .ifPresent(
            arm -> {
              ModelRef canary = s.arms().get(0).ranker();
              if (event.equals("impression")) {
                outcomes.impression(
                    canary.name(), canary.version(), arm, userId, s.arms().get(0).basisPoints());
              } else {
                outcomes.event(
                    canary.name(),
                    canary.version(),
                    arm,
                    userId,
                    event,
                    s.arms().get(0).basisPoints());
              }
            });
  }

  public RecommendResponse recommend(RecommendRequest req) {
    long start = System.nanoTime();
    try {
      return doRecommend(req);
    } finally {
      metrics.request(Duration.ofNanos(System.nanoTime() - start));
    }
  }

  private RecommendResponse doRecommend(RecommendRequest req) {
    int k = req.k();
    ModelRef ranker = rankerFor(req.userId());
    Map<String, String> models = new LinkedHashMap<>();
    Optional<UserFeatures> user;
    try {
      user = features.user(req.userId());
    } catch (OnlineFeatures.FeaturesUnavailableException e) {
      return popular(
          req.userId(), k, models, FEATURE_FALLBACK, "features unavailable: popular live room");
    }
    if (user.isEmpty()) {
      return popular(req.userId(), k, models, COLD_START, "cold-start: popular live room");
    }
    List<LiveRoomIndex.Hit> candidates;
    try {
      float[] userVector = userVector(user.get());
      models.put("userTower", config.userTower().toString());
      candidates = dedupe(index.search(userVector, config.recallN()));
    } catch (RuntimeException e) {
      return popular(
          req.userId(), k, models, RECALL_FALLBACK, "recall unavailable: popular live room");
    }
    if (candidates.isEmpty()) {
      return popular(req.userId(), k, models, RECALL_FALLBACK, "recall empty: popular live room");
    }
    Map<Integer, RoomFeatures> found;
    try {
      found = features.rooms(candidates.stream().map(LiveRoomIndex.Hit::roomId).toList());
    } catch (OnlineFeatures.FeaturesUnavailableException e) {
      return recallOrder(
          req.userId(), ranker, candidates, k, models, FEATURE_FALLBACK, "features unavailable");
    }
    List<LiveRoomIndex.Hit> rankable = new ArrayList<>();
    List<RoomFeatures> rows = new ArrayList<>();
    for (LiveRoomIndex.Hit h : candidates) {
      RoomFeatures f = found.get(h.roomId());
      if (f != null) {
        rankable.add(h);
        rows.add(f);
      }
    }
    Map<String, float[]> tasks = rankable.isEmpty() ? null : rank(ranker, req, user.get(), rows);
    if (tasks == null) {
      return recallOrder(
          req.userId(), ranker, candidates, k, models, RANKER_FALLBACK, "ranker unavailable");
    }
    models.put("ranker", ranker.toString());
    List<RecommendResponse.Item> items = new ArrayList<>();
    Map<Integer, Integer> row = new HashMap<>();
    for (int i = 0; i < rankable.size(); i++) {
      LiveRoomIndex.Hit h = rankable.get(i);
      double score = 1.0;
      for (Map.Entry<String, Double> w : config.taskWeights().entrySet()) {
        score *= Math.pow(Math.max(tasks.get(w.getKey())[i], 1e-12), w.getValue());
      }
      row.put(h.roomId(), i);
      items.add(new RecommendResponse.Item(h.roomId(), h.hostId(), score, List.of()));
    }
    items.sort((a, b) -> Double.compare(b.score(), a.score()));
    // the reasons only for the k rooms returned (formatting them for every candidate cost more
    // than the fusion itself)
    List<RecommendResponse.Item> top = new ArrayList<>();
    for (RecommendResponse.Item it : diversify(items, k)) {
      int i = row.get(it.roomId());
      List<String> reasons = new ArrayList<>();
      reasons.add(String.format("recall similarity %.4f", rankable.get(i).score()));
      for (Map.Entry<String, Double> w : config.taskWeights().entrySet()) {
        double p = Math.max(tasks.get(w.getKey())[i], 1e-12);
        reasons.add(String.format("%s %.4f^%.2f", w.getKey(), p, w.getValue()));
      }
      top.add(new RecommendResponse.Item(it.roomId(), it.hostId(), it.score(), reasons));
    }
    metrics.outcome(SERVED, ranker);
    return new RecommendResponse(req.userId(), top, models, SERVED);
  }

  /** The recall candidates in recall order, counted as {@code outcome} of {@code ranker}. */
  private RecommendResponse recallOrder(
      String userId,
      ModelRef ranker,
      List<LiveRoomIndex.Hit> candidates,
      int k,
      Map<String, String> models,
      String outcome,
      String why) {
    metrics.outcome(outcome, ranker);
    List<RecommendResponse.Item> items = new ArrayList<>();
    for (LiveRoomIndex.Hit h : candidates) {
      items.add(new RecommendResponse.Item(h.roomId(), h.hostId(), h.score(), List.of()));
    }
    List<RecommendResponse.Item> top = new ArrayList<>();
    for (RecommendResponse.Item it : diversify(items, k)) {
      top.add(
          new RecommendResponse.Item(
              it.roomId(),
              it.hostId(),
              it.score(),
              List.of(
                  String.format("recall similarity %.4f", it.score()), why + ": recall order")));
    }
    return new RecommendResponse(userId, top, models, outcome);
  }

  private float[] userVector(UserFeatures u) {
    ModelRef m = config.userTower();
    long start = System.nanoTime();
    boolean ok = false;
    try {
      Map<String, Tensor> out =
          backend.infer(
              m.name(),
              m.version(),
              List.of(
                  Tensor.ofLongs("user_sparse", new long[] {1, u.sparse().length}, u.sparse()),
                  Tensor.ofLongs("seq", new long[] {1, u.sequence().length}, u.sequence())),
              List.of("user_vector"));
      float[] v = out.get("user_vector").floats();
      ok = true;
      return v;
    } finally {
      metrics.inference(m, Duration.ofNanos(System.nanoTime() - start), ok);
    }
  }

  /** The ranker's task outputs for all rows in one call, or null when it failed or was too slow. */
  private Map<String, float[]> rank(
      ModelRef m, RecommendRequest req, UserFeatures user, List<RoomFeatures> rows) {
    int n = rows.size();
    List<Tensor> inputs;
    try {
      inputs = rankerInputs.forRanker(m).encode(req, user, rows);
    } catch (RuntimeException e) {
      return null; // rows the ranker cannot take: recall order, counted as a ranker fallback
    }
    List<String> outputs = new ArrayList<>(config.taskWeights().keySet());
    long start = System.nanoTime();
    Future<Map<String, Tensor>> call =
        rankerCalls.submit(() -> backend.infer(m.name(), m.version(), inputs, outputs));
    boolean ok = false;
    try {
      Map<String, Tensor> out = call.get(config.rankerDeadline().toNanos(), TimeUnit.NANOSECONDS);
      Map<String, float[]> tasks = new HashMap<>();
      for (String o : outputs) {
        float[] v = out.get(o).floats();
        if (v.length != n) {
          return null;
        }
        tasks.put(o, v);
      }
      ok = true;
      return tasks;
    } catch (TimeoutException e) {
      call.cancel(true);
      return null;
    } catch (ExecutionException | RuntimeException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } finally {
      metrics.inference(m, Duration.ofNanos(System.nanoTime() - start), ok);
    }
  }

  /** The most popular live rooms, counted as {@code outcome} without a ranker. */
  private RecommendResponse popular(
      String userId, int k, Map<String, String> models, String outcome, String reason) {
    metrics.outcome(outcome, null);
    List<RecommendResponse.Item> items = new ArrayList<>();
    for (LiveRoomIndex.Hit h : index.popularLive(Math.max(k * config.maxPerHost() * 4, k))) {
      items.add(
          new RecommendResponse.Item(
              h.roomId(),
              h.hostId(),
              h.score(),
              List.of(reason, String.format("popularity %.2f", h.score()))));
    }
    return new RecommendResponse(userId, diversify(items, k), models, outcome);
  }

  private static List<LiveRoomIndex.Hit> dedupe(List<LiveRoomIndex.Hit> hits) {
    Set<Integer> seen = new HashSet<>();
    List<LiveRoomIndex.Hit> out = new ArrayList<>();
    for (LiveRoomIndex.Hit h : hits) {
      if (seen.add(h.roomId())) {
        out.add(h);
      }
    }
    return out;
  }

  /** Best first, each room once, at most maxPerHost rooms per host, at most k; only live rooms. */
  private List<RecommendResponse.Item> diversify(List<RecommendResponse.Item> ranked, int k) {
    Map<String, Integer> perHost = new HashMap<>();
    Set<Integer> seen = new HashSet<>();
    List<RecommendResponse.Item> out = new ArrayList<>();
    for (RecommendResponse.Item it : ranked) {
      if (out.size() == k) {
        break;
      }
      if (!index.isLive(it.roomId()) || !seen.add(it.roomId())) {
        continue;
      }
      int c = perHost.merge(String.valueOf(it.hostId()), 1, Integer::sum);
      if (c <= config.maxPerHost()) {
        out.add(it);
      }
    }
    return out;
  }

  @Override
  public void close() {
    rankerCalls.shutdownNow();
  }
}
