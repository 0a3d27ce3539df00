package io.liverec.pipelines.sim;

import io.liverec.pipelines.events.EventSchema;
import java.util.SplittableRandom;

/**
 * The planted structure: how the true click and conversion probabilities depend on user, room and
 * context. Each component is scaled to about unit standard deviation over random user-room pairs,
 * so a {@link SimulatorConfig} strength is its standard deviation in logit units. The formulas are
 * documented in docs/DATA.md ("Planted structure").
 */
final class PlantedEffects {
  /** Unit-pairs of the concatenated multimodal vector that interact (BitInt). */
  static final int MULTIMODAL_PAIRS = 8;

  private final SimulatorConfig cfg;
  private final World w;

  // click: pairwise field tables
  private final double[][] ageCategory;
  private final double[][] genderCategory;
  private final double[][] deviceSurface;
  private final double[][] hourCategory;
  // click: pure third-order tables
  private final double[][][] genderHourCategory;
  private final double[][][] ageSurfaceCover;
  // click: multimodal unit pairs
  private final int[] unitA = new int[MULTIMODAL_PAIRS];
  private final int[] unitB = new int[MULTIMODAL_PAIRS];
  private final double[] unitSign = new double[MULTIMODAL_PAIRS];
  // the multimodal vectors the unit pairs read: the rooms' own, or the current day's sessions
  private float[][] content;
  // conversion tables
  private final double[][] spenderCategory;
  private final double[][] hourSurface;
  private final double[] cvrTasteWeights;
  private final double cvrTasteNorm;

  /** Cover style effect, unit variance over the 4 styles: click-bait grows with the style id. */
  private static final double[] COVER = {-1.342, -0.447, 0.447, 1.342};

  PlantedEffects(SimulatorConfig cfg, World w, SplittableRandom rng) {
    this.cfg = cfg;
    this.w = w;
    this.content = w.content;
    int surfaces = Surface.values().length;
    ageCategory = EffectTables.table(rng, World.AGE_BUCKETS, World.CATEGORIES);
    genderCategory = EffectTables.table(rng, World.GENDERS, World.CATEGORIES);
    deviceSurface = EffectTables.table(rng, World.DEVICES, surfaces);
    hourCategory = EffectTables.table(rng, World.HOUR_BUCKETS, World.CATEGORIES);
    genderHourCategory =
        EffectTables.threeWay(
            rng, cfg.thirdOrderRank, World.GENDERS, World.HOUR_BUCKETS, World.CATEGORIES);
    ageSurfaceCover =
        EffectTables.threeWay(
            rng, cfg.thirdOrderRank, World.AGE_BUCKETS, surfaces, World.COVER_STYLES);
    int width = 3 * EventSchema.MODALITY_DIM;
    for (int p = 0; p < MULTIMODAL_PAIRS; p++) {
      // a unit of one modality with a unit of the next modality (audio×visual, visual×text, …)
      int mod = p % 3;
      unitA[p] = mod * EventSchema.MODALITY_DIM + rng.nextInt(EventSchema.MODALITY_DIM);
      unitB[p] = ((mod + 1) % 3) * EventSchema.MODALITY_DIM + rng.nextInt(EventSchema.MODALITY_DIM);
      unitSign[p] = rng.nextBoolean() ? 1 : -1;
      assert unitA[p] < width && unitB[p] < width;
    }
    spenderCategory = EffectTables.table(rng, World.SPENDER_LEVELS, World.CATEGORIES);
    hourSurface = EffectTables.table(rng, World.HOUR_BUCKETS, surfaces);
    int k = cfg.latentDim;
    cvrTasteWeights = new double[k];
    double sq = 0;
    for (int d = 0; d < k; d++) {
      cvrTasteWeights[d] = d < k / 2 ? 1.0 : cfg.tasteSeesaw ? -1.0 : 0.3;
      sq += cvrTasteWeights[d] * cvrTasteWeights[d];
    }
    cvrTasteNorm = Math.sqrt(sq / k);
  }

  double tasteDot(int u, int r) {
    double[] a = w.userTaste[u];
    double[] b = w.roomTaste[r];
    double s = 0;
    for (int d = 0; d < a.length; d++) {
      s += a[d] * b[d];
    }
    return s;
  }

  /** From now on the unit pairs read these vectors (one per room: the day's live sessions). */
  void useContent(float[][] dayContent) {
    this.content = dayContent;
  }

  /** BitInt signal: products of multimodal units, half of them flipped by the user's gender. */
  double multimodalTerm(int u, int r) {
    float[] x = content[r];
    double genderSign = w.gender[u] == 0 ? 1 : w.gender[u] == 1 ? -1 : 0;
    double s = 0;
    for (int p = 0; p < MULTIMODAL_PAIRS; p++) {
      double prod = unitSign[p] * x[unitA[p]] * x[unitB[p]];
      s += (p % 2 == 0) ? prod : genderSign * prod;
    }
    return s / Math.sqrt(MULTIMODAL_PAIRS);
  }

  /** The true click logit of showing room r to user u in a context. */
  double clickLogit(int u, int r, int hour, int surface, int position, boolean recent) {
    int hb = World.hourBucket(hour);
    int cat = w.category[r];
    double l = cfg.ctrBias;
    if (cfg.positionBias) {
      l -= cfg.positionStrength * Math.log1p(position);
    }
    if (cfg.taste) {
      l += cfg.tasteStrength * tasteDot(u, r);
    }
    if (cfg.pairwise) {
      double p =
          ageCategory[w.ageBucket[u]][cat]
              + genderCategory[w.gender[u]][cat]
              + deviceSurface[w.device[u]][surface]
              + hourCategory[hb][cat];
      double lang = w.userLanguage[u] == w.roomLanguage[r] ? 1.0 : -0.5;
      l += cfg.pairwiseStrength * (p / 2 + 0.5 * lang);
    }
    if (cfg.thirdOrder) {
      double t =
          genderHourCategory[w.gender[u]][hb][cat]
              + ageSurfaceCover[w.ageBucket[u]][surface][w.coverStyle[r]];
      l += cfg.thirdOrderStrength * t / Math.sqrt(2);
    }
    if (cfg.multimodal) {
      l += cfg.multimodalStrength * multimodalTerm(u, r);
    }
    if (cfg.recency && recent) {
      l += cfg.recencyStrength;
    }
    if (cfg.popularity) {
      l += cfg.popularityStrength * w.logPopZ[r];
    }
    if (cfg.conflict) {
      l += cfg.conflictStrength * COVER[w.coverStyle[r]];
    }
    if (cfg.roomBait) {
      l += cfg.roomBaitStrength * w.bait[r];
    }
    return l;
  }

  /** The true logit of conversion (effective watch) given a click. */
  double conversionLogit(int u, int r, int hour, int surface) {
    double[] a = w.userTaste[u];
    double[] b = w.roomTaste[r];
    double taste = 0;
    for (int d = 0; d < a.length; d++) {
      taste += cvrTasteWeights[d] * a[d] * b[d];
    }
    taste /= cvrTasteNorm;
    double pair =
        (spenderCategory[w.spender[u]][w.category[r]]
                + hourSurface[World.hourBucket(hour)][surface])
            / Math.sqrt(2);
    double l =
        cfg.cvrBias
            + cfg.cvrTasteStrength * taste
            + cfg.qualityStrength * w.quality[r]
            + cfg.cvrPairwiseStrength * pair;
    if (cfg.conflict) {
      l -= cfg.conflictStrength * cfg.conflictCvrRatio * COVER[w.coverStyle[r]];
    }
    if (cfg.roomBait) {
      l -= cfg.roomBaitStrength * cfg.roomBaitCvrRatio * w.bait[r];
    }
    return l;
  }

  double giftLogit(int u, int r) {
    return cfg.giftBias + 0.7 * (w.spender[u] - 1) + 0.5 * tasteDot(u, r) + 0.4 * w.quality[r];
  }

  double flowerLogit(int u, int r) {
    return cfg.flowerBias + 0.5 * tasteDot(u, r) + 0.3 * w.quality[r];
  }

  double followLogit(int u, int r) {
    return cfg.followBias + 0.6 * tasteDot(u, r) + 0.4 * w.quality[r];
  }

  double asyncViewLogit(int u, int r) {
    return cfg.asyncViewBias + 0.3 * tasteDot(u, r) + 0.5 * w.quality[r];
  }

  static double sigmoid(double x) {
    return 1.0 / (1.0 + Math.exp(-x));
  }
}
