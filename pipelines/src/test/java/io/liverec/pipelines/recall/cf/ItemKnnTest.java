package io.liverec.pipelines.recall.cf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.liverec.pipelines.recall.data.LiveRooms;
import io.liverec.pipelines.recall.i2i.CoClick;
import java.util.BitSet;
import org.junit.jupiter.api.Test;

class ItemKnnTest {

  @Test
  void cosineOverDistinctUsersMatchesAHandExample() {
    // users: A {0,1,2}, B {1,2}, C {0,3} (C clicks 0 twice: counted once)
    int[][] seq = {{0, 1, 2}, {1, 2}, {0, 0, 3}};
    ItemKnn knn = ItemKnn.fit(seq, 4, 10);
    assertThat(knn.similarity(1, 2)).isCloseTo(2 / Math.sqrt(2 * 2), within(1e-12));
    assertThat(knn.similarity(0, 1)).isCloseTo(1 / Math.sqrt(2 * 2), within(1e-12));
    assertThat(knn.similarity(0, 3)).isCloseTo(1 / Math.sqrt(2 * 1), within(1e-12));
    assertThat(knn.similarity(1, 3)).isZero();
    // a clicked room is its own first neighbour (re-visits), with similarity 1
    assertThat(knn.neighbours(1)[0]).isEqualTo(1);
    assertThat(knn.similarity(1, 1)).isEqualTo(1.0);
  }

  @Test
  void positionsInTheSequenceDoNotMatterUnlikeCoClickWindows() {
    // rooms 0 and 5 are at opposite ends of every history: outside a co-click window of 2
    int[][] seq = {{0, 1, 2, 3, 4, 5}, {0, 2, 3, 4, 1, 5}};
    ItemKnn knn = ItemKnn.fit(seq, 6, 10);
    CoClick i2i = CoClick.fit(seq, 6, 2, 10);
    assertThat(knn.similarity(0, 5)).isCloseTo(1.0, within(1e-12));
    assertThat(i2i.neighbours(0)).doesNotContain(5);
  }

  @Test
  void retrievalWeightsRecentTriggersAndSkipsOfflineRooms() {
    // 0~1 and 2~3 are pairs; the newest trigger's partner ranks first
    int[][] seq = {{0, 1}, {0, 1}, {2, 3}, {2, 3}, {4}};
    ItemKnn knn = ItemKnn.fit(seq, 5, 10);
    BitSet live = new BitSet();
    live.set(1);
    live.set(3);
    live.set(4);
    int[] out = knn.retrieve(0, new int[] {2, 0}, new LiveRooms(live, 5), 10);
    assertThat(out).containsExactly(3, 1);
    assertThat(knn.retrieve(0, new int[0], LiveRooms.all(5), 10)).isEmpty();
  }

  @Test
  void refusesACatalogueTooLargeForDenseCounts() {
    assertThatThrownBy(() -> ItemKnn.fit(new int[0][], ItemKnn.MAX_ROOMS + 1, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("item-knn");
  }
}
