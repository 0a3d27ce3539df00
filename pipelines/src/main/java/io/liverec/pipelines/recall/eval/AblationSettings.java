package io.liverec.pipelines.recall.eval;

import io.liverec.pipelines.recall.index.IndexKind;
import io.liverec.pipelines.recall.index.IndexParams;
import io.liverec.pipelines.recall.vector.Item2Vec;
import java.util.List;

/**
 * What an ablation runs: the methods, the cut-offs, the vector index and the holdout protocol.
 *
 * @param methods methods compared, in report order
 * @param ks cut-offs K (ascending)
 * @param index ANN index kind used by the vector methods
 * @param indexParams its build/search parameters
 * @param item2vec vector i2i embedding settings (the seed is replaced per run)
 * @param holdoutDays whole days at the end held out
 * @param conversionsOnly ground truth = converted clicks only
 * @param twoTower hyperparameters of the two-tower methods
 */
public record AblationSettings(
    List<RecallMethod> methods,
    int[] ks,
    IndexKind index,
    IndexParams indexParams,
    Item2Vec item2vec,
    int holdoutDays,
    boolean conversionsOnly,
    TwoTowerSettings twoTower) {

  /** Settings with the default two-tower hyperparameters. */
  public AblationSettings(
      List<RecallMethod> methods,
      int[] ks,
      IndexKind index,
      IndexParams indexParams,
      Item2Vec item2vec,
      int holdoutDays,
      boolean conversionsOnly) {
    this(
        methods,
        ks,
        index,
        indexParams,
        item2vec,
        holdoutDays,
        conversionsOnly,
        TwoTowerSettings.DEFAULT);
  }

  public static final int[] DEFAULT_KS = {20, 50, 100, 200};

  public static AblationSettings defaults() {
    return new AblationSettings(
        List.of(RecallMethod.values()),
        DEFAULT_KS,
        IndexKind.LUCENE_HNSW,
        IndexParams.DEFAULT,
        Item2Vec.DEFAULT,
        1,
        false);
  }

  public int maxK() {
    return ks[ks.length - 1];
  }
}
