package io.liverec.pipelines.recall.cb;

import static org.assertj.core.api.Assertions.assertThat;

import io.liverec.pipelines.recall.data.Interaction;
import io.liverec.pipelines.recall.data.LiveRooms;
import io.liverec.pipelines.recall.data.RecallDataset;
import io.liverec.pipelines.recall.data.RoomCatalog;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContentBasedTest {
  // rooms 0-3 category 0 (language 0), rooms 4-7 category 1 (language 1); tags = category
  static RoomCatalog catalog() {
    int n = 8;
    int[] cat = new int[n];
    int[] lang = new int[n];
    int[][] tags = new int[n][];
    for (int r = 0; r < n; r++) {
      cat[r] = r < 4 ? 0 : 1;
      lang[r] = cat[r];
      tags[r] = new int[] {10 + cat[r]};
    }
    return new RoomCatalog(cat, lang, tags, new float[n][], 4, new long[n][], new long[n][]);
  }

  static RecallDataset data() {
    List<Interaction> clicks = new ArrayList<>();
    // user 0 likes category 0; user 1 likes category 1; room 5 and room 1 are popular
    clicks.add(new Interaction(0, 0, 1, false));
    clicks.add(new Interaction(0, 2, 2, false));
    clicks.add(new Interaction(1, 4, 3, false));
    for (int i = 0; i < 5; i++) {
      clicks.add(new Interaction(2, 5, 10 + i, false));
      clicks.add(new Interaction(2, 1, 20 + i, false));
    }
    return new RecallDataset(catalog(), 4, new int[] {0, 1, 0, 1}, clicks);
  }

  @Test
  void ranksTheUsersCategoryFirstAndPopularRoomsFirstWithinIt() {
    ContentBased cb = ContentBased.fit(data());
    int[] out = cb.retrieve(0, new int[0], LiveRooms.all(8), 4);
    assertThat(out).hasSize(4).startsWith(1);
    assertThat(out).containsOnly(0, 1, 2, 3);
  }

  @Test
  void neverReturnsAnOfflineRoom() {
    ContentBased cb = ContentBased.fit(data());
    BitSet live = new BitSet();
    live.set(2);
    live.set(6);
    for (int u = 0; u < 4; u++) {
      for (int r : cb.retrieve(u, new int[0], new LiveRooms(live, 8), 8)) {
        assertThat(live.get(r)).isTrue();
      }
    }
  }

  @Test
  void userWithoutHistoryGetsPopularLiveRoomsInTheProfileLanguage() {
    ContentBased cb = ContentBased.fit(data());
    assertThat(cb.retrieve(3, new int[0], LiveRooms.all(8), 2)).containsExactly(5, 4);
    // unknown user id: popularity over all languages, never an exception
    assertThat(cb.retrieve(99, new int[0], LiveRooms.all(8), 1)).hasSize(1);
  }
}
