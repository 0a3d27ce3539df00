package io.liverec.pipelines.sim;

import io.liverec.pipelines.events.EventSchema;
import java.util.SplittableRandom;

/**
 * The simulated population: users and rooms with their observable fields and their hidden latent
 * tastes, plus the fixed random tables of the planted interactions. Everything is drawn from one
 * seeded generator, so a seed gives the same world.
 *
 * <p>Ids: user ids are {@code 1..users}, room ids {@code 1..rooms} (0 is free as a padding id),
 * host ids {@code 1_000_000 + room id}. Arrays are indexed by id − 1.
 */
public final class World {
  static final int GENDERS = 3;
  static final int AGE_BUCKETS = 7;
  static final int CITIES = 50;
  static final int DEVICES = 4;
  static final int LANGUAGES = 5;
  static final int SPENDER_LEVELS = 5;
  static final int CATEGORIES = 20;
  static final int COVER_STYLES = 4;
  static final int HOUR_BUCKETS = 6;
  static final long HOST_ID_BASE = 1_000_000L;

  final SimulatorConfig cfg;
  final int k;

  // users
  final int[] gender;
  final int[] ageBucket;
  final int[] city;
  final int[] device;
  final int[] userLanguage;
  final int[] spender;
  final double[] activity;
  final double[][] userTaste;

  // rooms
  final int[] category;
  final int[] roomLanguage;
  final int[] coverStyle;
  final double[] popularity;
  final double[] logPopZ;
  final double[] quality;
  final int[] followers;
  final int[] liveStart;
  final int[] liveHours;
  final int[] firstDay;
  final double[][] roomTaste;

  /**
   * Hidden click-bait score per room (N(0,1), {@link SimulatorConfig#roomBait}), from its own
   * generator so that the rest of the world does not depend on it.
   */
  final double[] bait;

  /** audio, visual, text vectors concatenated: {@code 3 × MODALITY_DIM} floats per room. */
  final float[][] content;

  final PlantedEffects effects;

  World(SimulatorConfig cfg) {
    this.cfg = cfg;
    this.k = cfg.latentDim;
    SplittableRandom rng = new SplittableRandom(cfg.seed);
    int n = cfg.users;
    gender = new int[n];
    ageBucket = new int[n];
    city = new int[n];
    device = new int[n];
    userLanguage = new int[n];
    spender = new int[n];
    activity = new double[n];
    userTaste = new double[n][k];
    double userScale = 1.0 / Math.sqrt(k);
    for (int u = 0; u < n; u++) {
      double g = rng.nextDouble();
      gender[u] = g < 0.47 ? 0 : g < 0.94 ? 1 : 2;
      ageBucket[u] = Math.min(AGE_BUCKETS - 1, (int) Math.abs(2.5 + 1.6 * gaussian(rng)));
      city[u] = (int) Math.min(CITIES - 1, Math.floor(CITIES * Math.pow(rng.nextDouble(), 2)));
      device[u] = rng.nextInt(DEVICES);
      userLanguage[u] = rng.nextDouble() < 0.7 ? 0 : 1 + rng.nextInt(LANGUAGES - 1);
      spender[u] = (int) Math.min(SPENDER_LEVELS - 1, Math.floor(-Math.log(rng.nextDouble())));
      activity[u] = Math.exp(0.6 * gaussian(rng) - 0.18);
      for (int d = 0; d < k; d++) {
        userTaste[u][d] = userScale * gaussian(rng);
      }
    }

    int m = cfg.rooms;
    category = new int[m];
    roomLanguage = new int[m];
    coverStyle = new int[m];
    popularity = new double[m];
    logPopZ = new double[m];
    quality = new double[m];
    followers = new int[m];
    liveStart = new int[m];
    liveHours = new int[m];
    firstDay = new int[m];
    roomTaste = new double[m][k];
    content = new float[m][3 * EventSchema.MODALITY_DIM];
    double[][][] projection = new double[3][EventSchema.MODALITY_DIM][k];
    for (double[][] p : projection) {
      for (double[] row : p) {
        for (int d = 0; d < k; d++) {
          row[d] = gaussian(rng);
        }
      }
    }
    double sig = Math.sqrt(cfg.multimodalSignal);
    double noise = Math.sqrt(1 - cfg.multimodalSignal);
    double sumLog = 0;
    double sumLog2 = 0;
    for (int r = 0; r < m; r++) {
      category[r] =
          (int) Math.min(CATEGORIES - 1, Math.floor(CATEGORIES * Math.pow(rng.nextDouble(), 1.5)));
      roomLanguage[r] = rng.nextDouble() < 0.65 ? 0 : 1 + rng.nextInt(LANGUAGES - 1);
      coverStyle[r] = rng.nextInt(COVER_STYLES);
      popularity[r] = Math.pow(1 - rng.nextDouble(), -1.0 / cfg.popularityShape);
      double lp = Math.log(popularity[r]);
      sumLog += lp;
      sumLog2 += lp * lp;
      quality[r] = gaussian(rng);
      followers[r] =
          (int)
              Math.min(
                  Integer.MAX_VALUE / 2,
                  Math.round(50 * popularity[r] * Math.exp(0.5 * gaussian(rng))));
      if (rng.nextDouble() < cfg.alwaysOnFraction) {
        liveStart[r] = 0;
        liveHours[r] = 24;
      } else {
        liveStart[r] = sampleStartHour(rng);
        liveHours[r] = 2 + rng.nextInt(7);
      }
      firstDay[r] = rng.nextDouble() < cfg.coldRoomFraction ? Math.max(0, cfg.days - 1) : 0;
      for (int d = 0; d < k; d++) {
        roomTaste[r][d] = gaussian(rng);
      }
      for (int mod = 0; mod < 3; mod++) {
        for (int j = 0; j < EventSchema.MODALITY_DIM; j++) {
          double dot = 0;
          for (int d = 0; d < k; d++) {
            dot += projection[mod][j][d] * roomTaste[r][d];
          }
          double x = sig * dot / Math.sqrt(k) + noise * gaussian(rng);
          content[r][mod * EventSchema.MODALITY_DIM + j] = (float) x;
        }
      }
    }
    double meanLog = sumLog / m;
    double sdLog = Math.sqrt(Math.max(1e-12, sumLog2 / m - meanLog * meanLog));
    for (int r = 0; r < m; r++) {
      logPopZ[r] = (Math.log(popularity[r]) - meanLog) / sdLog;
    }
    bait = new double[m];
    SplittableRandom baitRng = new SplittableRandom(cfg.seed * 0x2545F4914F6CDD1DL + 0xB417L);
    for (int r = 0; r < m; r++) {
      bait[r] = gaussian(baitRng);
    }
    effects = new PlantedEffects(cfg, this, rng);
  }

  /**
   * The multimodal vectors of every room on day index {@code day} (see {@link
   * SimulatorConfig#sessionContent}); the rooms' fixed vectors when that share is 0.
   */
  float[][] sessionContent(int day) {
    double s = cfg.sessionContent;
    if (s <= 0) {
      return content;
    }
    double keep = Math.sqrt(1 - s);
    double fresh = Math.sqrt(s);
    SplittableRandom r =
        new SplittableRandom((cfg.seed * 0x9E3779B97F4A7C15L) ^ (0x5E55101L + 31L * day));
    float[][] c = new float[content.length][];
    for (int room = 0; room < content.length; room++) {
      c[room] = new float[content[room].length];
      for (int j = 0; j < c[room].length; j++) {
        c[room][j] = (float) (keep * content[room][j] + fresh * gaussian(r));
      }
    }
    return c;
  }

  /** Live-start hours favour the evening, like real streamers. */
  private static int sampleStartHour(SplittableRandom rng) {
    if (rng.nextDouble() < 0.6) {
      return Math.floorMod(17 + rng.nextInt(6), 24);
    }
    return rng.nextInt(24);
  }

  /** Whether room index r is live on day index day at hour h. */
  boolean isLive(int r, int day, int h) {
    if (day < firstDay[r]) {
      return false;
    }
    int offset = Math.floorMod(h - liveStart[r], 24);
    return offset < liveHours[r];
  }

  static int hourBucket(int hour) {
    return hour / 4;
  }

  static double gaussian(SplittableRandom rng) {
    // Box-Muller, one value per call (simple and deterministic).
    double u1 = 1.0 - rng.nextDouble();
    double u2 = rng.nextDouble();
    return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  public int users() {
    return cfg.users;
  }

  public int rooms() {
    return cfg.rooms;
  }
}
