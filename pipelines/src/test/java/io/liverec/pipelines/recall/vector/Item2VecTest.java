package io.liverec.pipelines.recall.vector;

import static org.assertj.core.api.Assertions.assertThat;

import io.liverec.pipelines.recall.index.Vectors;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Item2VecTest {

  @Test
  void roomsClickedTogetherEndUpCloserThanRoomsFromAnotherGroup() {
    // rooms 0-9 are clicked by group A users, rooms 10-19 by group B; room 20 is never clicked
    Random rnd = new Random(1);
    int[][] seq = new int[400][];
    for (int u = 0; u < seq.length; u++) {
      int base = u % 2 == 0 ? 0 : 10;
      seq[u] = new int[12];
      for (int i = 0; i < seq[u].length; i++) {
        seq[u][i] = base + rnd.nextInt(10);
      }
    }
    float[][] emb = new Item2Vec(16, 3, 5, 3, 0.05, 7).train(seq, 21);
    assertThat(emb[20]).isNull();
    double within = 0;
    double across = 0;
    int nw = 0;
    int na = 0;
    for (int i = 0; i < 20; i++) {
      for (int j = i + 1; j < 20; j++) {
        double c = cos(emb[i], emb[j]);
        if ((i < 10) == (j < 10)) {
          within += c;
          nw++;
        } else {
          across += c;
          na++;
        }
      }
    }
    assertThat(within / nw).isGreaterThan(across / na + 0.3);
  }

  private static double cos(float[] a, float[] b) {
    float[] x = Vectors.normalized(a);
    float[] y = Vectors.normalized(b);
    double s = 0;
    for (int d = 0; d < x.length; d++) {
      s += x[d] * y[d];
    }
    return s;
  }
}
