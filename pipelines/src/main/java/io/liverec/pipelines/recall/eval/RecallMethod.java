package io.liverec.pipelines.recall.eval;

import io.liverec.pipelines.recall.Popular;
import io.liverec.pipelines.recall.Retriever;
import io.liverec.pipelines.recall.cb.ContentBased;
import io.liverec.pipelines.recall.cf.Bpr;
import io.liverec.pipelines.recall.cf.ItemKnn;
import io.liverec.pipelines.recall.data.RecallDataset;
import io.liverec.pipelines.recall.i2i.CoClick;
import io.liverec.pipelines.recall.twotower.TwoTowerRecall;
import io.liverec.pipelines.recall.vector.VectorI2I;
import java.util.Arrays;
import java.util.Locale;

/** The recall methods by the names used on the command line and in reports. */
public enum RecallMethod {
  POPULAR("popular"),
  CONTENT("content"),
  I2I("i2i"),
  ITEM_KNN("item-knn"),
  MF_BPR("mf-bpr"),
  VECTOR_I2I("vector-i2i"),
  TWO_TOWER("two-tower"),
  TWO_TOWER_NO_LOGQ("two-tower-nologq"),
  TWO_TOWER_NO_MULTIMODAL("two-tower-nomm"),
  TWO_TOWER_CONTENT_MLP("two-tower-mlpmm"),
  TWO_TOWER_MIXED("two-tower-mixed"),
  TWO_TOWER_NO_PRIOR("two-tower-noprior"),
  TWO_TOWER_REVISIT("two-tower-revisit");

  private final String id;

  RecallMethod(String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }

  /** Fits the method on the training part with the run's settings and seed. */
  public Retriever fit(RecallDataset train, AblationSettings s, long seed) {
    boolean prior = s.twoTower().roomPrior();
    return switch (this) {
      case POPULAR -> Popular.fit(train);
      case CONTENT -> ContentBased.fit(train);
      case I2I -> CoClick.fit(train);
      case ITEM_KNN -> ItemKnn.fit(train);
      case MF_BPR -> Bpr.fit(train, Bpr.DEFAULT.withSeed(seed));
      case VECTOR_I2I ->
          VectorI2I.fit(train, s.item2vec().withSeed(seed), s.index(), s.indexParams());
      case TWO_TOWER -> twoTower(train, s, seed, true, true, 0, prior, false, false);
      case TWO_TOWER_NO_LOGQ -> twoTower(train, s, seed, true, false, 0, prior, false, false);
      case TWO_TOWER_NO_MULTIMODAL -> twoTower(train, s, seed, false, true, 0, prior, false, false);
      case TWO_TOWER_CONTENT_MLP -> twoTower(train, s, seed, true, true, 0, prior, true, false);
      case TWO_TOWER_MIXED ->
          twoTower(train, s, seed, true, true, MIXED_NEGATIVES, prior, false, false);
      case TWO_TOWER_NO_PRIOR -> twoTower(train, s, seed, true, true, 0, false, false, false);
      case TWO_TOWER_REVISIT -> twoTower(train, s, seed, true, true, 0, prior, false, true);
    };
  }

  /** Uniform extra negatives per batch of the {@code two-tower-mixed} variant. */
  static final int MIXED_NEGATIVES = 256;

  private Retriever twoTower(
      RecallDataset train,
      AblationSettings s,
      long seed,
      boolean multimodal,
      boolean logQ,
      int mixedNegatives,
      boolean roomPrior,
      boolean contentThroughMlp,
      boolean revisit) {
    TwoTowerSettings t = s.twoTower();
    return TwoTowerRecall.fit(
        id,
        train,
        TwoTowerRecall.configFor(
                train,
                multimodal,
                contentThroughMlp,
                logQ,
                t.temperature(),
                t.outputDim(),
                t.embeddingDim(),
                t.hidden(),
                t.epochs(),
                seed)
            .withTraining(t.learningRate(), t.batchSize())
            .withMixedNegatives(mixedNegatives)
            .withRoomPrior(roomPrior)
            .withRevisit(revisit),
        s.index(),
        s.indexParams());
  }

  public static RecallMethod of(String id) {
    for (RecallMethod m : values()) {
      if (m.id.equals(id.trim().toLowerCase(Locale.ROOT))) {
        return m;
      }
    }
    throw new IllegalArgumentException(
        "unknown recall method '"
            + id
            + "' (one of "
            + Arrays.stream(values()).map(RecallMethod::id).toList()
            + ")");
  }
}
