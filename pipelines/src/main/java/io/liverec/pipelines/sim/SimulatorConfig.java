package io.liverec.pipelines.sim;

import java.time.LocalDate;

/**
 * Every knob of the simulator, with its default. The planted effects each have an on/off switch and
 * a strength (a multiplier of a component scaled to unit standard deviation over random user-room
 * pairs, in logit units), so ablation runs can turn one effect off and measure what a model loses.
 * docs/DATA.md describes each effect's formula.
 *
 * <p>Mutable on purpose (set fields, then hand to {@link Simulator}); {@link #copy()} before
 * changing a shared instance.
 */
public final class SimulatorConfig implements Cloneable {

  // ---- size and time ----
  public int users = 2000;
  public int rooms = 300;
  public int days = 3;
  public long seed = 7;
  public LocalDate startDay = LocalDate.of(2026, 1, 1);

  /** Mean requests per user per day (per-user activity is log-normal around it). */
  public double requestsPerUserPerDay = 20;

  /** Rows per Parquet file before a new part file is started (bounds the writer's memory). */
  public long chunkRows = 1_000_000;

  // ---- world ----
  /** Width of user and room latent taste vectors. */
  public int latentDim = 8;

  /** Fraction of rooms that first go live on the last day (cold rooms: no history). */
  public double coldRoomFraction = 0.05;

  /** Fraction of rooms live around the clock (the rest follow a daily schedule of 2-8 hours). */
  public double alwaysOnFraction = 0.05;

  /** Pareto shape of room popularity (smaller = longer tail). */
  public double popularityShape = 1.1;

  /**
   * Share of variance of each multimodal vector unit explained by the room's latent taste (the rest
   * is room-specific noise); the vectors are fixed random projections of the latent.
   */
  public double multimodalSignal = 0.7;

  // ---- behaviour policy (the logging policy) ----
  /** Weight of log-popularity in the default popularity policy's score. */
  public double policyPopularityWeight = 1.0;

  /** Scale of the Gumbel noise of the default popularity policy (exploration). */
  public double policyNoise = 1.0;

  // ---- click model ----
  /** Base click logit (sets the overall CTR). */
  public double ctrBias = -2.5;

  public boolean positionBias = true;

  /** Click logit falls by this times ln(1 + position). */
  public double positionStrength = 0.4;

  /** user × room latent taste (matrix factorisation / two-tower signal). */
  public boolean taste = true;

  public double tasteStrength = 0.7;

  /** Pairwise field interactions (FM / KFM): age×category, gender×category, device×surface, … */
  public boolean pairwise = true;

  public double pairwiseStrength = 0.45;

  /** Pure third-order field interactions (Cross / AutoInt): gender×hour×category, … */
  public boolean thirdOrder = true;

  public double thirdOrderStrength = 0.45;

  /**
   * Form of the third-order tables: 0 = a random table with every lower-order marginal removed (the
   * default); r ≥ 1 = a sum of r products a(x)·b(y)·c(z) of zero-mean random vectors, which is just
   * as free of main effects and two-way marginals but has CP rank r, the form a DCN cross layer
   * (x₀·(x_lᵀw_l)) computes from embeddings. Either way scaled to unit standard deviation.
   */
  public int thirdOrderRank = 0;

  /** Interactions between units of the multimodal vectors (BitInt). */
  public boolean multimodal = true;

  public double multimodalStrength = 0.45;

  /** Repeat visits: a room in the user's recent clicked rooms is more likely clicked. */
  public boolean recency = true;

  public double recencyStrength = 0.5;

  /** Room popularity raises CTR (long-tail head rooms are clicked more). */
  public boolean popularity = true;

  public double popularityStrength = 0.25;

  /**
   * A feature with opposite effects on the two tasks (ESMM/MMoE, PCGrad): the room's cover style
   * raises the click logit and lowers the conversion logit ("click-bait").
   */
  public boolean conflict = true;

  public double conflictStrength = 0.4;

  /** The conversion side of the conflict is this many times the click side. */
  public double conflictCvrRatio = 1.5;

  /**
   * Hidden per-room click-bait (PCGrad): every room has a score b ~ N(0, 1) that no feature shows
   * except the room id (not the cover style, not the content vectors) — an eye-catching thumbnail
   * or title over a stream that does not hold viewers. It raises the click logit by s·b and lowers
   * the conversion logit by s·{@link #roomBaitCvrRatio}·b, so the click and the conversion losses
   * pull the one shared room embedding in opposite directions. Off by default; drawn from its own
   * generator, so switching it does not change any other part of the world.
   */
  public boolean roomBait = false;

  public double roomBaitStrength = 1.0;

  /** The conversion side of the room click-bait is this many times the click side. */
  public double roomBaitCvrRatio = 1.5;

  /**
   * Taste seesaw (CGC): the conversion model's taste weights on the second half of the latent
   * dimensions become −1 instead of +0.3 — what draws a user's click in those directions (the topic
   * looks like theirs) makes them leave (the stream is not what they came for). The click model's
   * taste is unchanged, so a representation of ⟨u, v⟩ shared by both tasks helps clicks and
   * misleads conversion. Off by default (conversion weights 1 and 0.3, docs/DATA.md).
   */
  public boolean tasteSeesaw = false;

  /**
   * Live-session content (BitInt): share of each multimodal unit's variance drawn anew for every
   * room and day — what the streamer sings, wears and talks about today — so that x = √(1−s)·(the
   * room's usual content) + √s·(today's noise). 0 (default) = content fixed per room. When above 0,
   * the multimodal unit pairs read the day's vector and the simulator writes the vectors to {@code
   * room_sessions/day=D/} (docs/DATA.md); a room id can then carry only the part of the unit-pair
   * term that its usual content explains. Drawn from a generator of its own: nothing else in the
   * world changes.
   */
  public double sessionContent = 0;

  // ---- conversion (effective watch) given click ----
  /** Base conversion-given-click logit. */
  public double cvrBias = -0.5;

  /** Taste in the conversion model: half the latent dimensions shared with click, half not. */
  public double cvrTasteStrength = 0.8;

  /** Room content quality: drives conversion (and gifts), hardly clicks. */
  public double qualityStrength = 0.6;

  /** Pairwise interactions specific to conversion: spender×category, hour×surface. */
  public double cvrPairwiseStrength = 0.5;

  /** Watch seconds at or above this make an effective watch (the conversion). */
  public int conversionWatchSeconds = 30;

  /** Mean watch seconds beyond the threshold for a converting visit. */
  public double meanExtraWatchSeconds = 150;

  // ---- gifts, flowers, follows, async works (given conversion / click) ----
  public double giftBias = -3.0;
  public double flowerBias = -1.2;
  public double followBias = -2.8;
  public double asyncViewBias = -2.3;

  public SimulatorConfig copy() {
    try {
      return (SimulatorConfig) clone();
    } catch (CloneNotSupportedException e) {
      throw new AssertionError(e);
    }
  }

  /**
   * The configuration an event log was simulated with, from its {@code simulation-report.json}: the
   * same seed and settings give the same world, so its users can be traffic for models trained on
   * that log.
   *
   * @throws IllegalArgumentException when the report is missing or does not describe a config
   */
  public static SimulatorConfig fromReport(java.nio.file.Path events) {
    java.nio.file.Path file = events.resolve(SimulationReport.JSON);
    com.fasterxml.jackson.databind.JsonNode config;
    try {
      config =
          new com.fasterxml.jackson.databind.ObjectMapper().readTree(file.toFile()).get("config");
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException(
          file + ": cannot read the simulation report (" + e.getMessage() + ")", e);
    }
    if (config == null || !config.isObject()) {
      throw new IllegalArgumentException(file + ": no config object in the simulation report");
    }
    SimulatorConfig c = new SimulatorConfig();
    for (java.lang.reflect.Field f : SimulatorConfig.class.getFields()) {
      com.fasterxml.jackson.databind.JsonNode v = config.get(f.getName());
      if (v == null || java.lang.reflect.Modifier.isStatic(f.getModifiers())) {
        continue;
      }
      try {
        Class<?> t = f.getType();
        if (t == int.class) {
          f.setInt(c, v.asInt());
        } else if (t == long.class) {
          f.setLong(c, v.asLong());
        } else if (t == double.class) {
          f.setDouble(c, v.asDouble());
        } else if (t == boolean.class) {
          f.setBoolean(c, v.asBoolean());
        } else if (t == LocalDate.class) {
          f.set(c, LocalDate.parse(v.asText()));
        }
      } catch (IllegalAccessException | java.time.format.DateTimeParseException e) {
        throw new IllegalArgumentException(file + ": config." + f.getName() + ": " + e, e);
      }
    }
    return c;
  }
}
