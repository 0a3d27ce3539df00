package io.liverec.pipelines.recall.twotower;

import static org.assertj.core.api.Assertions.assertThat;

import io.liverec.pipelines.recall.RecallFixtures;
import io.liverec.pipelines.recall.data.HoldoutSplit;
import io.liverec.pipelines.recall.data.Interaction;
import io.liverec.pipelines.recall.data.RecallDataset;
import io.liverec.pipelines.recall.index.IndexKind;
import io.liverec.pipelines.recall.index.IndexParams;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The two-tower's optional re-visit term β·[room in the user's recent rooms]. */
class TwoTowerRevisitTest {

  @Test
  void revisitMatrixMarksTheRoomsInEachRowsSequence() {
    // seq holds room ids + 1, 0 = pad; rooms are the room rows' ids
    long[][] seq = {{3, 1, 0}, {0, 0, 0}};
    int[] rooms = {0, 2, 5};
    TowerBatch b =
        new TowerBatch(
            new long[2][3], seq, new long[3][4], new float[3][3], new float[3][0], rooms);
    float[] v = TwoTowerModel.revisitMatrix(b);
    assertThat(v).containsExactly(1, 1, 0, 0, 0, 0);
  }

  @Test
  void learnsAPositiveRevisitTermWhereUsersComeBackAndServesOnlyLiveRoomsOnce() {
    RecallDataset base = RecallFixtures.grouped(31, 300, 120, 6, 5);
    // plant re-visits: half of the clicks are repeated a day later at the same hour (the room's
    // schedule is daily, so it is live again then)
    Random rnd = new Random(5);
    List<Interaction> clicks = new ArrayList<>(base.clicks());
    for (Interaction c : base.clicks()) {
      long next = c.timestamp() + RecallDataset.DAY_MS;
      if (rnd.nextBoolean() && base.rooms().liveDuring(c.room(), next, next + 1)) {
        clicks.add(new Interaction(c.user(), c.room(), next, c.converted()));
      }
    }
    RecallDataset data =
        new RecallDataset(base.rooms(), base.numUsers(), base.userLanguage(), clicks);
    HoldoutSplit split = HoldoutSplit.lastDays(data, 1, false);
    TwoTowerConfig c =
        TwoTowerRecall.configFor(split.train(), true, true, 0.2, 16, 8, List.of(32), 3, 3)
            .withTraining(0.01, 64)
            .withRoomPrior(true)
            .withRevisit(true);
    try (TwoTowerRecall model =
        TwoTowerRecall.fit("revisit", split.train(), c, IndexKind.EXACT, IndexParams.DEFAULT)) {
      assertThat(model.revisitBonus()).isGreaterThan(0.1f);
      for (HoldoutSplit.Request q : split.requests().subList(0, 40)) {
        int[] got = model.retrieve(q.user(), q.recentRooms(), split.live(), 20);
        assertThat(got).hasSizeLessThanOrEqualTo(20);
        assertThat(Arrays.stream(got).distinct().count()).isEqualTo(got.length);
        for (int r : got) {
          assertThat(split.live().isLive(r)).isTrue();
        }
      }
    }
  }
}
