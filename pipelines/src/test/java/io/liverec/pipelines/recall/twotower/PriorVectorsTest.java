package io.liverec.pipelines.recall.twotower;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.liverec.pipelines.recall.index.Vectors;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PriorVectorsTest {
  static final double TAU = 0.2;

  @Test
  void indexedVectorsAreUnitAndRankRoomsByTheModelLogit() {
    SplittableRandom rnd = new SplittableRandom(5);
    int n = 200;
    int d = 8;
    float[][] rooms = new float[n][];
    float[] prior = new float[n];
    for (int i = 0; i < n; i++) {
      rooms[i] = Vectors.normalized(gaussian(rnd, d));
      prior[i] = (float) (3 * rnd.nextGaussian());
    }
    float[][] indexed = PriorVectors.rooms(rooms, prior, TAU);
    for (float[] v : indexed) {
      assertThat(v).hasSize(d + 2);
      assertThat(norm(v)).isCloseTo(1.0, within(1e-5));
    }
    // a unit user vector and a shorter one (a mean over hours)
    float[] unit = Vectors.normalized(gaussian(rnd, d));
    float[] shorter = unit.clone();
    for (int j = 0; j < d; j++) {
      shorter[j] *= 0.6f;
    }
    for (float[] u : new float[][] {unit, shorter}) {
      float[] q = PriorVectors.query(u);
      assertThat(norm(q)).isCloseTo(1.0, within(1e-5));
      int[] byLogit = order(n, r -> dot(u, rooms[r]) / TAU + prior[r]);
      int[] byIndex = order(n, r -> dot(q, indexed[r]));
      assertThat(byIndex).containsExactly(byLogit);
    }
  }

  @Test
  void withoutAPriorTheOrderIsThatOfTheCosine() {
    float[][] rooms = {{1, 0}, {0, 1}, {0.6f, 0.8f}};
    float[][] indexed = PriorVectors.rooms(rooms, new float[3], TAU);
    float[] q = PriorVectors.query(new float[] {0.8f, 0.6f});
    assertThat(order(3, r -> dot(q, indexed[r]))).containsExactly(2, 0, 1);
  }

  private static int[] order(int n, java.util.function.IntToDoubleFunction score) {
    return IntStream.range(0, n)
        .boxed()
        .sorted(Comparator.comparingDouble((Integer r) -> -score.applyAsDouble(r)))
        .mapToInt(Integer::intValue)
        .toArray();
  }

  private static float[] gaussian(SplittableRandom rnd, int d) {
    float[] v = new float[d];
    for (int i = 0; i < d; i++) {
      v[i] = (float) rnd.nextGaussian();
    }
    return v;
  }

  private static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (double) a[i] * b[i];
    }
    return s;
  }

  private static double norm(float[] v) {
    return Math.sqrt(dot(v, v));
  }
}
