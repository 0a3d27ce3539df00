package io.liverec.pipelines.recall.twotower;

import io.liverec.pipelines.features.FeatureSchema;
import java.util.List;

/**
 * Shape and training settings of the two-tower model.
 *
 * @param numUsers users (ids 1..numUsers in the user-id field; 0 = unknown / no history)
 * @param numRooms rooms (ids 1..numRooms in the room-id field and the sequence; 0 = pad / unknown)
 * @param numCategories room categories (field value category + 1; 0 = unknown)
 * @param numLanguages languages (value + 1; 0 = unknown)
 * @param numTags room tags (value + 1; 0 = none)
 * @param profileSizes cardinality of each user profile field ({@code RecallDataset.PROFILE_FIELDS};
 *     value + 1 in the field, 0 = unknown); empty = no profile fields
 * @param seqLength recent rooms fed to the user tower
 * @param multimodalDim width of the room tower's content input; 0 switches the multimodal input off
 * @param contentThroughMlp false (the default): the content input is the rooms' content vectors
 *     projected on their leading principal axes ({@link ContentProjection}) and enters the room
 *     vector through one linear map added to the MLP's output, and not the room prior; true: the
 *     raw content vector is one more field of the room MLP (the first design, kept for the
 *     ablation: it lets the tower learn each training room from its content and lowered cold-room
 *     recall)
 * @param embeddingDim field embedding width
 * @param hiddenUnits ReLU MLP of each tower
 * @param outputDim width of the L2-normalised tower outputs
 * @param temperature softmax temperature τ (logits = cos / τ)
 * @param logQ subtract log of the streaming sampling-probability estimate from each logit
 * @param roomPrior add a scalar room prior b_r from the room tower's hidden layer to each logit (s
 *     = ⟨u, r⟩ / τ + b_r): popularity gets its own term instead of a direction of the unit vectors
 *     (see {@link PriorVectors} for serving)
 * @param revisit add a learned re-visit term β·[r in the user's recent rooms] to each logit (s =
 *     ⟨u, r⟩ / τ + b_r + β·v_ur): a room the user clicked before is far likelier to be clicked
 *     again than its vector product says (the mean-pooled sequence cannot single out one of 20
 *     rooms); served as an exact re-score of the index's hits merged with the user's live recent
 *     rooms ({@link TwoTowerRecall#retrieve})
 * @param mixedNegatives rooms drawn uniformly from the catalogue per batch and added to every row's
 *     negatives (mixed negative sampling, Yang et al. 2020); 0 = in-batch only
 * @param learningRate Adam step
 * @param batchSize clicks per in-batch softmax
 * @param epochs passes over the training clicks
 * @param seed initialisation and shuffling seed
 */
public record TwoTowerConfig(
    int numUsers,
    int numRooms,
    int numCategories,
    int numLanguages,
    int numTags,
    List<Integer> profileSizes,
    int seqLength,
    int multimodalDim,
    boolean contentThroughMlp,
    int embeddingDim,
    List<Integer> hiddenUnits,
    int outputDim,
    double temperature,
    boolean logQ,
    boolean roomPrior,
    boolean revisit,
    int mixedNegatives,
    double learningRate,
    int batchSize,
    int epochs,
    long seed) {

  /** Hours of day (the context field). */
  public static final int HOURS = 24;

  /**
   * Room dense inputs: log1p clicks on the previous day, log1p clicks before that day, log1p host
   * followers.
   */
  public static final List<String> ROOM_DENSE =
      List.of("log1p_clicks_prev_day", "log1p_clicks_total", "log1p_followers");

  public TwoTowerConfig {
    if (temperature <= 0) {
      throw new IllegalArgumentException("temperature must be > 0, got " + temperature);
    }
    if (mixedNegatives < 0) {
      throw new IllegalArgumentException("mixedNegatives must be >= 0, got " + mixedNegatives);
    }
    if (batchSize < 2) {
      throw new IllegalArgumentException("batchSize must be >= 2 for in-batch negatives");
    }
    hiddenUnits = List.copyOf(hiddenUnits);
    profileSizes = List.copyOf(profileSizes);
  }

  /** Columns of the user tower's sparse input: user id, language, hour, then the profile. */
  public int userSparseWidth() {
    return 3 + profileSizes.size();
  }

  /** The same config with {@code m} uniformly drawn extra negatives per batch. */
  public TwoTowerConfig withMixedNegatives(int m) {
    return withSampling(roomPrior, m, learningRate, batchSize);
  }

  /** The same config with the room prior term switched on or off. */
  public TwoTowerConfig withRoomPrior(boolean on) {
    return withSampling(on, mixedNegatives, learningRate, batchSize);
  }

  /** The same config with the re-visit term switched on or off. */
  public TwoTowerConfig withRevisit(boolean on) {
    return copy(roomPrior, on, mixedNegatives, learningRate, batchSize);
  }

  /** The same config with another optimiser step and batch size. */
  public TwoTowerConfig withTraining(double newLearningRate, int newBatchSize) {
    return withSampling(roomPrior, mixedNegatives, newLearningRate, newBatchSize);
  }

  private TwoTowerConfig withSampling(
      boolean newRoomPrior, int newMixedNegatives, double newLearningRate, int newBatchSize) {
    return copy(newRoomPrior, revisit, newMixedNegatives, newLearningRate, newBatchSize);
  }

  /** The one copy behind the withers: every component kept but the five the ablations vary. */
  private TwoTowerConfig copy(
      boolean newRoomPrior,
      boolean newRevisit,
      int newMixedNegatives,
      double newLearningRate,
      int newBatchSize) {
    return new TwoTowerConfig(
        numUsers,
        numRooms,
        numCategories,
        numLanguages,
        numTags,
        profileSizes,
        seqLength,
        multimodalDim,
        contentThroughMlp,
        embeddingDim,
        hiddenUnits,
        outputDim,
        temperature,
        logQ,
        newRoomPrior,
        newRevisit,
        newMixedNegatives,
        newLearningRate,
        newBatchSize,
        epochs,
        seed);
  }

  /** User tower inputs: sparse [user id, language, hour, profile…]; the recent-room sequence. */
  public FeatureSchema userSchema() {
    List<FeatureSchema.SparseField> sparse = new java.util.ArrayList<>();
    sparse.add(new FeatureSchema.SparseField("user_id", numUsers + 1L));
    sparse.add(new FeatureSchema.SparseField("user_language", numLanguages + 1L));
    sparse.add(new FeatureSchema.SparseField("hour", HOURS));
    for (int i = 0; i < profileSizes.size(); i++) {
      sparse.add(new FeatureSchema.SparseField("profile_" + i, profileSizes.get(i) + 1L));
    }
    return new FeatureSchema(sparse, List.of(), seqLength, numRooms + 1L, 0);
  }

  /**
   * Inputs of the room MLP: sparse [room id, category, language, tag]; dense real-time statistics;
   * the content vector only when {@link #contentThroughMlp} (otherwise it enters after the MLP, see
   * {@code TwoTowerNet}).
   */
  public FeatureSchema roomSchema() {
    return new FeatureSchema(
        List.of(
            new FeatureSchema.SparseField("room_id", numRooms + 1L),
            new FeatureSchema.SparseField("category", numCategories + 1L),
            new FeatureSchema.SparseField("room_language", numLanguages + 1L),
            new FeatureSchema.SparseField("tag", numTags + 1L)),
        ROOM_DENSE,
        0,
        0,
        contentThroughMlp ? multimodalDim : 0);
  }
}
