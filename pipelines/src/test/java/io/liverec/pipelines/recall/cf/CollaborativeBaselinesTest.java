package io.liverec.pipelines.recall.cf;

import static org.assertj.core.api.Assertions.assertThat;

import io.liverec.pipelines.recall.Popular;
import io.liverec.pipelines.recall.RecallFixtures;
import io.liverec.pipelines.recall.Retriever;
import io.liverec.pipelines.recall.data.HoldoutSplit;
import io.liverec.pipelines.recall.data.LiveRooms;
import io.liverec.pipelines.recall.data.RecallDataset;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Learning on a planted world: users click mostly rooms of their own taste group, so both
 * collaborative baselines must beat random rooms, and MF (which knows the user) must beat the
 * one-list-for-everyone popularity.
 */
class CollaborativeBaselinesTest {
  private static final int K = 20;

  @Test
  void itemKnnAndBprLearnThePlantedGroups() {
    RecallDataset data = RecallFixtures.grouped(5, 400, 200, 8, 6);
    HoldoutSplit split = HoldoutSplit.lastDays(data, 1, false);
    double random = recall(split, randomRooms(3));
    double popular = recall(split, Popular.fit(split.train()));
    double knn = recall(split, ItemKnn.fit(split.train()));
    double bpr = recall(split, Bpr.fit(split.train(), Bpr.DEFAULT.withSeed(3)));
    assertThat(knn).isGreaterThan(2 * random);
    assertThat(bpr).isGreaterThan(2 * random);
    assertThat(bpr).isGreaterThan(1.3 * popular);
    assertThat(knn).isGreaterThan(popular);
  }

  @Test
  void bprWithoutTrainingIsNoBetterThanUntrainedAndLearnsWithEpochs() {
    RecallDataset data = RecallFixtures.grouped(6, 300, 150, 6, 5);
    HoldoutSplit split = HoldoutSplit.lastDays(data, 1, false);
    Bpr.Params p = Bpr.DEFAULT.withSeed(1);
    double untrained =
        recall(split, Bpr.fit(split.train(), new Bpr.Params(p.dim(), 0, 0.05, 0.005, 0.001, 1)));
    double trained = recall(split, Bpr.fit(split.train(), p));
    assertThat(trained).isGreaterThan(2 * untrained);
  }

  @Test
  void bprIsDeterministicPerSeed() {
    RecallDataset data = RecallFixtures.grouped(7, 100, 50, 4, 3);
    Bpr a = Bpr.fit(data, new Bpr.Params(8, 3, 0.05, 0.005, 0.001, 9));
    Bpr b = Bpr.fit(data, new Bpr.Params(8, 3, 0.05, 0.005, 0.001, 9));
    for (int u = 0; u < 10; u++) {
      for (int r = 0; r < 50; r += 7) {
        assertThat(a.score(u, r)).isEqualTo(b.score(u, r));
      }
    }
  }

  private static Retriever randomRooms(long seed) {
    Random rnd = new Random(seed);
    return new Retriever() {
      @Override
      public String name() {
        return "random";
      }

      @Override
      public int[] retrieve(int user, int[] recent, LiveRooms live, int k) {
        int[] ids = live.ids();
        for (int i = ids.length - 1; i > 0; i--) {
          int j = rnd.nextInt(i + 1);
          int t = ids[i];
          ids[i] = ids[j];
          ids[j] = t;
        }
        return java.util.Arrays.copyOf(ids, Math.min(k, ids.length));
      }
    };
  }

  /** Mean recall@K over the holdout requests. */
  private static double recall(HoldoutSplit split, Retriever r) {
    double sum = 0;
    int n = 0;
    for (HoldoutSplit.Request q : split.requests()) {
      Set<Integer> top = new java.util.HashSet<>();
      for (int x : r.retrieve(q.user(), q.recentRooms(), split.live(), K)) {
        top.add(x);
      }
      Set<Integer> truth = q.truth();
      long hits = truth.stream().filter(top::contains).count();
      sum += (double) hits / truth.size();
      n++;
    }
    return sum / n;
  }
}
