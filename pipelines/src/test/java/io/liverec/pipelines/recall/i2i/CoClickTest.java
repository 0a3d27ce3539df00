package io.liverec.pipelines.recall.i2i;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.liverec.pipelines.recall.data.LiveRooms;
import java.util.BitSet;
import org.junit.jupiter.api.Test;

class CoClickTest {

  @Test
  void coOccurrenceCountsMatchAHandExample() {
    // user A: 0 1 2 (3 clicks), user B: 1 2 (2 clicks), user C: 0 0 3 (3 clicks, room 0 twice)
    int[][] seq = {{0, 1, 2}, {1, 2}, {0, 0, 3}};
    double wa = Math.log(2) / Math.log(5); // 1 / log2(2 + 3)
    double wb = Math.log(2) / Math.log(4); // 1 / log2(2 + 2) = 0.5
    CoClick.Counts c = CoClick.count(seq, 4, 10);
    assertThat(c.pair(0, 1)).isCloseTo(wa, within(1e-12));
    assertThat(c.pair(1, 2)).isCloseTo(wa + wb, within(1e-12));
    assertThat(c.pair(2, 1)).isCloseTo(wa + wb, within(1e-12));
    assertThat(c.pair(0, 2)).isCloseTo(wa, within(1e-12));
    // C's two clicks on room 0 both pair with room 3; a room never pairs with itself
    assertThat(c.pair(0, 3)).isCloseTo(2 * wa, within(1e-12));
    assertThat(c.pair(0, 0)).isEqualTo(0.0);
    assertThat(c.pair(1, 3)).isEqualTo(0.0);
    assertThat(c.item()[0]).isCloseTo(3 * wa, within(1e-12));
    assertThat(c.item()[1]).isCloseTo(wa + wb, within(1e-12));
    assertThat(wb).isCloseTo(0.5, within(1e-12));
  }

  @Test
  void windowLimitsWhichClicksPair() {
    int[][] seq = {{0, 1, 2, 3}};
    CoClick.Counts c = CoClick.count(seq, 4, 1);
    assertThat(c.pair(0, 1)).isPositive();
    assertThat(c.pair(0, 2)).isEqualTo(0.0);
  }

  @Test
  void neighboursAreCosineRankedAndRetrievalSkipsOfflineRooms() {
    // 1 co-occurs with 0 in every sequence; 2 only once among many other clicks
    int[][] seq = {{0, 1}, {0, 1}, {1, 0}, {0, 2}, {2, 3}, {2, 3}, {2, 3}};
    CoClick i2i = CoClick.fit(seq, 4, 5, 10);
    assertThat(i2i.neighbours(0)).startsWith(1, 2);
    BitSet live = new BitSet();
    live.set(2);
    live.set(3);
    int[] out = i2i.retrieve(7, new int[] {0}, new LiveRooms(live, 4), 10);
    assertThat(out).containsExactly(2);
    assertThat(i2i.retrieve(7, new int[0], LiveRooms.all(4), 10)).isEmpty();
  }
}
