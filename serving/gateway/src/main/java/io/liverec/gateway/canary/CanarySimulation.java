package io.liverec.gateway.canary;

import io.liverec.api.v1alpha1.ModelVersionSpec;
import io.liverec.api.v1alpha1.ModelVersionStatus;
import io.liverec.gateway.ModelRef;
import io.liverec.gateway.RecommendRequest;
import io.liverec.gateway.RecommendResponse;
import io.liverec.gateway.Recommender;
import io.liverec.gateway.SplitRouter;
import io.liverec.pipelines.sim.Audience;
import io.liverec.serving.rollout.InProcessModelRepository;
import io.liverec.serving.rollout.InferenceServerControl;
import io.liverec.serving.rollout.OutcomeAnalysis;
import io.liverec.serving.rollout.Rollout;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A whole canary rollout in a closed loop, embedded: the simulator's users ({@link Audience}) ask
 * the gateway ({@link Recommender}) for rooms and answer what it shows with clicks, conversions and
 * gifts drawn from their planted preferences; the feedback goes back through the gateway's feedback
 * path, where the canary and its control slice are counted; the {@link Rollout} walks the
 * ModelVersion's steps on a virtual clock, writing each step's weight to the gateway's split
 * ({@link SplitRouter}), and judges every interval with the {@link OutcomeAnalysis} (mSPRT per
 * weight epoch, sample-ratio check, technical SLOs from the gateway's own meters). So a better
 * model earns more clicks for real, and a worse one loses them.
 *
 * <p>Time: requests arrive at {@code requestsPerMinute} of virtual time, one at a time; the live
 * rooms follow the audience's hour (rooms go up and down in the gateway's index without a restart).
 * Deterministic for a seed, apart from measured latencies.
 */
public final class CanarySimulation {

  /**
   * @param requestsPerMinute virtual traffic
   * @param start virtual start time (its UTC hour picks the live rooms)
   * @param timeout virtual time after which the run stops undecided
   * @param alpha false-positive rate of each sequential test
   * @param tau mixture scale of the sequential test: about the smallest absolute rate change worth
   *     catching
   * @param burnIn events (both arms) before any verdict
   */
  public record Settings(
      int requestsPerMinute,
      Instant start,
      Duration timeout,
      double alpha,
      double tau,
      long burnIn,
      long seed) {
    public static Settings defaults(Instant start, long seed) {
      return new Settings(600, start, Duration.ofHours(6), 0.05, 0.01, 200, seed);
    }
  }

  /** Traffic served by one ranker version during the run. */
  public record ArmTotals(long requests, long impressions, long clicks, long conversions) {
    public double ctr() {
      return impressions == 0 ? Double.NaN : (double) clicks / impressions;
    }
  }

  /** How the run ended. */
  public record Result(
      Instant start,
      ModelVersionStatus status,
      List<Rollout.Transition> transitions,
      List<ModelVersionStatus.AnalysisRun> analyses,
      Map<String, ArmTotals> byRanker,
      long requests,
      Duration simulated,
      boolean timedOut) {}

  private final Recommender recommender;
  private final SplitRouter router;
  private final Audience audience;
  private final Settings settings;
  private final InferenceServerControl server;
  private final Map<String, long[]> totals = new LinkedHashMap<>();

  /**
   * @param server loads and unloads versions in the backend the recommender serves from
   */
  public CanarySimulation(
      Recommender recommender,
      SplitRouter router,
      InferenceServerControl server,
      Audience audience,
      Settings settings) {
    this.server = server;
    this.recommender = recommender;
    this.router = router;
    this.audience = audience;
    this.settings = settings;
  }

  /** Runs the rollout of {@code spec} (a valid ModelVersion spec) to its end or the timeout. */
  public Result run(ModelVersionSpec spec) {
    OutcomeAnalysis analysis =
        new OutcomeAnalysis(
            recommender.outcomes(),
            router,
            (m, v) -> recommender.metrics().technical(new ModelRef(m, v)),
            settings.alpha(),
            settings.tau(),
            settings.burnIn());
    Rollout rollout = new Rollout(new InProcessModelRepository(), server, router, analysis);
    ModelVersionStatus st = new ModelVersionStatus();
    List<Rollout.Transition> transitions = new ArrayList<>();
    List<ModelVersionStatus.AnalysisRun> analyses = new ArrayList<>();
    SplittableRandom rng = new SplittableRandom(settings.seed());
    Instant now = settings.start();
    Instant end = now.plus(settings.timeout());
    double perMs = settings.requestsPerMinute() / 60_000.0;
    double owed = 0;
    long requests = 0;
    int hour = -1;
    boolean timedOut = false;
    while (true) {
      ModelVersionStatus.AnalysisRun before = last(st);
      Rollout.Outcome o = rollout.reconcile(spec, st, 1, now);
      transitions.addAll(o.transitions());
      if (last(st) != before) {
        analyses.add(last(st));
      }
      Optional<Duration> wait = o.requeueAfter();
      if (wait.isEmpty()) {
        break; // finished, or held until the spec changes (a pause control)
      }
      if (!now.isBefore(end)) {
        timedOut = true;
        break;
      }
      Instant next = now.plus(wait.get());
      if (next.isAfter(end)) {
        next = end;
      }
      owed += Duration.between(now, next).toMillis() * perMs;
      long n = (long) owed;
      owed -= n;
      long span = Duration.between(now, next).toMillis();
      for (long i = 0; i < n; i++) {
        Instant t = now.plusMillis(span * i / Math.max(1, n));
        int h = t.atZone(ZoneOffset.UTC).getHour();
        if (h != hour) {
          hour = h;
          refreshLiveRooms(hour);
        }
        serveOne(hour, rng);
        requests++;
      }
      now = next;
    }
    Map<String, ArmTotals> byRanker = new LinkedHashMap<>();
    totals.forEach((k, v) -> byRanker.put(k, new ArmTotals(v[0], v[1], v[2], v[3])));
    return new Result(
        settings.start(),
        st,
        transitions,
        analyses,
        byRanker,
        requests,
        Duration.between(settings.start(), now),
        timedOut);
  }

  private static ModelVersionStatus.AnalysisRun last(ModelVersionStatus st) {
    return st.analysisRuns.isEmpty() ? null : st.analysisRuns.get(st.analysisRuns.size() - 1);
  }

  private void serveOne(int hour, SplittableRandom rng) {
    Audience.Visit v = audience.nextVisit(hour, rng);
    String user = Long.toString(v.userId());
    RecommendResponse r =
        recommender.recommend(
            new RecommendRequest(
                user, v.surface(), Map.of("hour", Integer.toString(hour)), v.listLength()));
    long[] shown = r.items().stream().mapToLong(RecommendResponse.Item::roomId).toArray();
    long[] t =
        totals.computeIfAbsent(r.models().getOrDefault("ranker", r.outcome()), k -> new long[4]);
    t[0]++;
    for (Audience.Reaction a : audience.react(v, shown, rng)) {
      int room = (int) a.roomId();
      recommender.feedback(user, room, "impression", 1);
      t[1]++;
      if (a.click()) {
        recommender.feedback(user, room, "click", 1);
        t[2]++;
      }
      if (a.conversion()) {
        recommender.feedback(user, room, "conversion", 1);
        t[3]++;
      }
      if (a.gift()) {
        recommender.feedback(user, room, "gift", 1);
      }
    }
  }

  /** The rooms live at this hour go up in the gateway's index, the others down. */
  private void refreshLiveRooms(int hour) {
    Set<Integer> live = new HashSet<>();
    for (long id : audience.liveRooms(hour)) {
      live.add((int) id);
    }
    var index = recommender.index();
    for (int id : live) {
      index.roomBackUp(id);
    }
    for (int id = 1; id <= audience.rooms(); id++) {
      if (!live.contains(id)) {
        index.roomDown(id);
      }
    }
  }
}
