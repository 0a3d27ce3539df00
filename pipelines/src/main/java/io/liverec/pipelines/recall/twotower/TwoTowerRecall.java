package io.liverec.pipelines.recall.twotower;

import io.liverec.pipelines.recall.Retriever;
import io.liverec.pipelines.recall.Shuffle;
import io.liverec.pipelines.recall.data.Interaction;
import io.liverec.pipelines.recall.data.LiveRooms;
import io.liverec.pipelines.recall.data.RecallDataset;
import io.liverec.pipelines.recall.index.IndexKind;
import io.liverec.pipelines.recall.index.IndexParams;
import io.liverec.pipelines.recall.index.Neighbors;
import io.liverec.pipelines.recall.index.VectorIndex;
import io.liverec.pipelines.recall.index.Vectors;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Two-tower u2i recall: trains {@link TwoTowerModel} on the training clicks (in-batch softmax, logQ
 * from {@link FrequencyEstimator}), embeds every room as of the cutoff into an ANN index and
 * answers a request with one index search for the user vector, the live filter applied inside the
 * search. Cold rooms are indexed too: their vector comes from content, category and language.
 *
 * <p>Size: one class because it owns the trained model, its features and the room index as one
 * retriever: fit builds all three, and retrieval (with the re-visit term, an exact re-score of the
 * index hits and the recent rooms, about 40 lines) and the user/day vectors read them. The seam is
 * sizing a config from a dataset ({@code configFor}, about 90 lines), which could move to
 * TwoTowerConfig; it stays because tests and two callers use it as {@code
 * TwoTowerRecall.configFor}.
 */
public final class TwoTowerRecall implements Retriever, AutoCloseable {
  /** Frequency estimator: hash arrays, buckets per array (× rooms), moving-average rate. */
  static final int ESTIMATOR_HASHES = 2;

  static final int ESTIMATOR_BUCKET_FACTOR = 4;
  static final double ESTIMATOR_ALPHA = 0.05;

  private final TwoTowerModel model;
  private final TwoTowerFeatures features;
  private final VectorIndex index;
  private final List<Double> epochLoss;
  private final String name;
  private final float[][] roomVectors;
  private final Scores scores;

  /**
   * What the exact re-score of {@link #retrieve} needs when the model has a re-visit term: unit
   * room vectors, room priors (zeros without a prior) and the learned β.
   */
  private record Scores(float[][] unitRooms, float[] prior, float beta) {}

  private TwoTowerRecall(
      String name,
      TwoTowerModel model,
      TwoTowerFeatures features,
      VectorIndex index,
      List<Double> epochLoss,
      float[][] roomVectors,
      Scores scores) {
    this.roomVectors = roomVectors;
    this.scores = scores;
    this.name = name;
    this.model = model;
    this.features = features;
    this.index = index;
    this.epochLoss = epochLoss;
  }

  /** A config sized for {@code train} with the given model settings (content after the MLP). */
  public static TwoTowerConfig configFor(
      RecallDataset train,
      boolean multimodal,
      boolean logQ,
      double temperature,
      int outputDim,
      int embeddingDim,
      List<Integer> hidden,
      int epochs,
      long seed) {
    return configFor(
        train, multimodal, false, logQ, temperature, outputDim, embeddingDim, hidden, epochs, seed);
  }

  /**
   * A config sized for {@code train}. The content input is off when {@code multimodal} is false or
   * fewer than two rooms have a content vector (documented default: nothing to learn from).
   *
   * @param contentThroughMlp raw content as an MLP field (the first design) instead of its
   *     principal-axis coordinates after the MLP ({@link TwoTowerConfig#contentThroughMlp()})
   */
  public static TwoTowerConfig configFor(
      RecallDataset train,
      boolean multimodal,
      boolean contentThroughMlp,
      boolean logQ,
      double temperature,
      int outputDim,
      int embeddingDim,
      List<Integer> hidden,
      int epochs,
      long seed) {
    var rooms = train.rooms();
    int cats = 1;
    int langs = 1;
    int tags = 1;
    for (int r = 0; r < rooms.size(); r++) {
      cats = Math.max(cats, rooms.category(r) + 1);
      langs = Math.max(langs, rooms.language(r) + 1);
      for (int t : rooms.tags(r)) {
        tags = Math.max(tags, t + 1);
      }
    }
    for (int l : train.userLanguage()) {
      langs = Math.max(langs, l + 1);
    }
    // profile fields: cardinality = largest value + 1; none when no user has a known value
    int fields = RecallDataset.PROFILE_FIELDS.size();
    int[] sizes = new int[fields];
    boolean anyProfile = false;
    for (int[] p : train.userProfile()) {
      for (int i = 0; i < fields; i++) {
        sizes[i] = Math.max(sizes[i], p[i] + 1);
        anyProfile |= p[i] >= 0;
      }
    }
    int contentDim = 0;
    if (multimodal && ContentProjection.canFit(rooms)) {
      contentDim = contentThroughMlp ? rooms.contentDim() : ContentProjection.fit(rooms, 0).dim();
    }
    List<Integer> profileSizes =
        anyProfile
            ? java.util.Arrays.stream(sizes).map(x -> Math.max(1, x)).boxed().toList()
            : List.of();
    return new TwoTowerConfig(
        train.numUsers(),
        rooms.size(),
        cats,
        langs,
        tags,
        profileSizes,
        20,
        contentDim,
        contentThroughMlp,
        embeddingDim,
        hidden,
        outputDim,
        temperature,
        logQ,
        false,
        false,
        0,
        0.003,
        512,
        epochs,
        seed);
  }

  public static TwoTowerRecall fit(
      String name, RecallDataset train, TwoTowerConfig config, IndexKind kind, IndexParams params) {
    TwoTowerModel model = new TwoTowerModel(config);
    TwoTowerFeatures f = new TwoTowerFeatures(train, config);
    List<Interaction> clicks = train.clicks();
    long[][] seqAt = f.sequencesAtClicks();
    int n = clicks.size();
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    SplittableRandom rnd = new SplittableRandom(config.seed());
    FrequencyEstimator freq =
        new FrequencyEstimator(
            ESTIMATOR_HASHES,
            ESTIMATOR_BUCKET_FACTOR * Math.max(1, config.numRooms()),
            ESTIMATOR_ALPHA);
    List<Double> epochLoss = new ArrayList<>();
    long seen = 0;
    int numRoomsTotal = train.rooms().size();
    int[] trainClicks = train.roomClickCounts();
    for (int epoch = 0; epoch < config.epochs(); epoch++) {
      Shuffle.inPlace(order, rnd);
      double sum = 0;
      int batches = 0;
      for (int start = 0; start + 1 < n; start += config.batchSize()) {
        int b = Math.min(config.batchSize(), n - start);
        if (b < 2) {
          break;
        }
        int extra = config.mixedNegatives();
        long[][] us = new long[b][];
        long[][] sq = new long[b][];
        long[][] rs = new long[b + extra][];
        float[][] rd = new float[b + extra][];
        float[][] mm = new float[b + extra][];
        int[] rooms = new int[b + extra];
        for (int i = 0; i < b; i++) {
          Interaction c = clicks.get(order[start + i]);
          us[i] = f.userSparse(c.user(), TwoTowerFeatures.hourOf(c.timestamp()));
          sq[i] = seqAt[order[start + i]];
          boolean keepId = rnd.nextDouble() >= TwoTowerFeatures.ROOM_ID_DROPOUT;
          rs[i] = f.roomSparse(c.room(), keepId);
          rd[i] = f.roomDense(c.room(), TwoTowerFeatures.day(c.timestamp()));
          if (!keepId) {
            f.asCold(rd[i]);
          }
          mm[i] = f.multimodal(c.room());
          rooms[i] = c.room();
        }
        long batchDay = TwoTowerFeatures.day(clicks.get(order[start]).timestamp());
        for (int j = b; j < b + extra; j++) {
          int room = rnd.nextInt(numRoomsTotal);
          rs[j] = f.roomSparse(room, trainClicks[room] > 0);
          rd[j] = f.roomDense(room, batchDay);
          mm[j] = f.multimodal(room);
          rooms[j] = room;
        }
        float[] logQ = new float[b + extra];
        // Positions count in examples, not steps: a room clicked 20 times in one batch appears
        // 20 times among every row's negatives, so its q is the per-example probability.
        for (int i = 0; i < b; i++) {
          freq.update(rooms[i], seen + i);
        }
        seen += b;
        if (config.logQ()) {
          for (int i = 0; i < b; i++) {
            logQ[i] = (float) Math.log(freq.probability(rooms[i]));
          }
          // a uniform negative sits in a batch extra/N times per example slot of the B positives
          float uniform = (float) Math.log((double) extra / ((double) numRoomsTotal * b));
          for (int j = b; j < b + extra; j++) {
            logQ[j] = uniform;
          }
        }
        sum += model.trainStep(new TowerBatch(us, sq, rs, rd, mm, rooms), logQ);
        batches++;
      }
      epochLoss.add(batches == 0 ? Double.NaN : sum / batches);
    }
    // Room vectors as of the cutoff: stats of the whole training window, id known iff clicked.
    long cutoffDay = clicks.isEmpty() ? 0 : TwoTowerFeatures.day(clicks.get(n - 1).timestamp()) + 1;
    int[] clickCount = train.roomClickCounts();
    int numRooms = train.rooms().size();
    long[][] rs = new long[numRooms][];
    float[][] rd = new float[numRooms][];
    float[][] mm = new float[numRooms][];
    int[] ids = new int[numRooms];
    for (int r = 0; r < numRooms; r++) {
      rs[r] = f.roomSparse(r, clickCount[r] > 0);
      rd[r] = f.roomDense(r, cutoffDay);
      mm[r] = f.multimodal(r);
      ids[r] = r;
    }
    TowerBatch all = new TowerBatch(null, null, rs, rd, mm, ids);
    float[][] unit = model.roomVectors(all);
    float[] prior = model.roomPrior(all);
    float[][] roomVectors =
        config.roomPrior() ? PriorVectors.rooms(unit, prior, config.temperature()) : unit;
    VectorIndex index = kind.build(roomVectors, ids, params);
    Scores scores = config.revisit() ? new Scores(unit, prior, model.revisitBonus()) : null;
    return new TwoTowerRecall(name, model, f, index, epochLoss, roomVectors, scores);
  }

  /** Mean training loss per epoch. */
  public List<Double> epochLoss() {
    return List.copyOf(epochLoss);
  }

  /**
   * The indexed (unit) vector of a room, as of the training cutoff; with a room prior the {@link
   * PriorVectors} form (two coordinates wider than the user tower's output).
   */
  public float[] roomVector(int room) {
    return roomVectors[room].clone();
  }

  public VectorIndex index() {
    return index;
  }

  public TwoTowerModel model() {
    return model;
  }

  public TwoTowerFeatures features() {
    return features;
  }

  @Override
  public String name() {
    return name;
  }

  /** The user vector for a request (user, recent rooms newest first, hour of day). */
  public float[] userVector(int user, int[] recentRooms, int hour) {
    long[][] us = {features.userSparse(user, hour)};
    long[][] sq = {features.pad(recentRooms)};
    return model.userVectors(new TowerBatch(us, sq, null, null, null, null))[0];
  }

  /**
   * The query for a request that covers a whole day (the ablation's protocol: one request per user
   * for the test day): the mean of the user's vectors at each hour, weighted by their training
   * clicks per hour ({@link TwoTowerFeatures#hourWeights}), i.e. the expected score over the hours
   * they use the app. A serving request at one instant uses {@link #userVector} at its own hour.
   */
  public float[] dayVector(int user, int[] recentRooms) {
    double[] w = features.hourWeights(user);
    int rows = 0;
    for (double x : w) {
      rows += x > 0 ? 1 : 0;
    }
    long[][] us = new long[rows][];
    long[][] sq = new long[rows][];
    double[] weight = new double[rows];
    long[] seq = features.pad(recentRooms);
    int i = 0;
    for (int h = 0; h < w.length; h++) {
      if (w[h] > 0) {
        us[i] = features.userSparse(user, h);
        sq[i] = seq;
        weight[i++] = w[h];
      }
    }
    float[][] v = model.userVectors(new TowerBatch(us, sq, null, null, null, null));
    float[] out = new float[v[0].length];
    for (int r = 0; r < rows; r++) {
      for (int d = 0; d < out.length; d++) {
        out[d] += (float) (weight[r] * v[r][d]);
      }
    }
    return out;
  }

  /** The learned re-visit logit β (0 without the re-visit term). */
  public float revisitBonus() {
    return scores == null ? 0 : scores.beta();
  }

  /**
   * The top {@code k} live rooms for a whole-day request. With the re-visit term the score is ⟨u,
   * r⟩/τ + b_r + β·[r recent]: the index returns the top k by the first two terms (the order of its
   * scores), the user's live recent rooms join them, every candidate is scored exactly and the best
   * k kept — exact, because a room outside both sets cannot outscore the index's k-th hit.
   */
  @Override
  public int[] retrieve(int user, int[] recentRooms, LiveRooms live, int k) {
    float[] day = dayVector(user, recentRooms);
    float[] u = model.config().roomPrior() ? PriorVectors.query(day) : Vectors.normalized(day);
    Neighbors nb = index.search(u, k, live::isLive);
    if (scores == null || recentRooms.length == 0) {
      return nb.ids();
    }
    java.util.Set<Integer> recent = new java.util.HashSet<>();
    for (int r : recentRooms) {
      if (r >= 0 && r < scores.unitRooms().length && live.isLive(r)) {
        recent.add(r);
      }
    }
    java.util.Map<Integer, Double> cand = new java.util.HashMap<>();
    double invTau = 1.0 / model.config().temperature();
    java.util.function.IntConsumer score =
        r -> {
          double dot = 0;
          float[] v = scores.unitRooms()[r];
          for (int d = 0; d < v.length; d++) {
            dot += (double) day[d] * v[d];
          }
          cand.put(r, dot * invTau + scores.prior()[r] + (recent.contains(r) ? scores.beta() : 0));
        };
    for (int r : nb.ids()) {
      score.accept(r);
    }
    for (int r : recent) {
      if (!cand.containsKey(r)) {
        score.accept(r);
      }
    }
    return io.liverec.pipelines.recall.TopK.of(cand, k);
  }

  @Override
  public void close() {
    model.close();
  }
}
