package io.liverec.pipelines.recall.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.BitSet;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class VectorIndexTest {
  private static final int N = 3000;
  private static final int DIM = 16;

  @Test
  void normalisationGivesUnitLengthAndLeavesZeroVectorsAtZero() {
    float[] v = Vectors.normalized(new float[] {3, 4});
    assertThat(v[0]).isCloseTo(0.6f, within(1e-6f));
    assertThat(v[1]).isCloseTo(0.8f, within(1e-6f));
    assertThat(Vectors.normalized(new float[] {0, 0, 0})).containsExactly(0f, 0f, 0f);
  }

  @Test
  void exactSearchReturnsTheLargestInnerProductsInOrder() {
    float[][] vs = {{1, 0}, {0, 1}, {0.6f, 0.8f}, {-1, 0}};
    ExactIndex index = new ExactIndex(vs, new int[] {10, 11, 12, 13});
    Neighbors nb = index.search(new float[] {1, 0}, 3, null);
    assertThat(nb.ids()).containsExactly(10, 12, 11);
    assertThat(nb.scores()[1]).isCloseTo(0.6f, within(1e-6f));
  }

  @ParameterizedTest
  @EnumSource(IndexKind.class)
  void graphIndexesFindAlmostAllExactNeighbours(IndexKind kind) {
    Random rnd = new Random(3);
    float[][] data = clustered(rnd, N);
    int[] ids = new int[N];
    for (int i = 0; i < N; i++) {
      ids[i] = 1000 + i;
    }
    ExactIndex exact = new ExactIndex(data, ids);
    VectorIndex index = kind.build(data, ids, new IndexParams(16, 100, 100, 1));
    long hits = 0;
    long total = 0;
    for (int q = 0; q < 50; q++) {
      float[] query = clustered(rnd, 1)[0];
      Set<Integer> truth = new HashSet<>();
      for (int id : exact.search(query, 20, null).ids()) {
        truth.add(id);
      }
      for (int id : index.search(query, 20, null).ids()) {
        if (truth.contains(id)) {
          hits++;
        }
      }
      total += truth.size();
    }
    assertThat((double) hits / total).isGreaterThan(0.95);
  }

  @ParameterizedTest
  @EnumSource(IndexKind.class)
  void liveFilterNeverReturnsAnOfflineRoom(IndexKind kind) {
    Random rnd = new Random(5);
    float[][] data = clustered(rnd, N);
    int[] ids = new int[N];
    BitSet live = new BitSet();
    for (int i = 0; i < N; i++) {
      ids[i] = i;
      if (rnd.nextDouble() < 0.1) {
        live.set(i);
      }
    }
    VectorIndex index = kind.build(data, ids, new IndexParams(8, 50, 50, 1));
    int returned = 0;
    for (int q = 0; q < 50; q++) {
      Neighbors nb = index.search(clustered(rnd, 1)[0], 30, live::get);
      for (int id : nb.ids()) {
        assertThat(live.get(id)).as("room %d is offline", id).isTrue();
      }
      returned += nb.size();
    }
    assertThat(returned).as("the filter must not empty the answers").isGreaterThan(50 * 25);
  }

  static float[][] clustered(Random rnd, int n) {
    Random centres = new Random(99);
    float[][] c = new float[20][DIM];
    for (float[] row : c) {
      for (int d = 0; d < DIM; d++) {
        row[d] = (float) centres.nextGaussian();
      }
    }
    float[][] out = new float[n][DIM];
    for (int i = 0; i < n; i++) {
      float[] centre = c[rnd.nextInt(c.length)];
      for (int d = 0; d < DIM; d++) {
        out[i][d] = centre[d] + (float) (0.5 * rnd.nextGaussian());
      }
      Vectors.normalizeInPlace(out[i]);
    }
    return out;
  }
}
