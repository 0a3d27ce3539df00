package io.liverec.pipelines.recall.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RoomCatalogTest {
  static final long H = 3_600_000L;

  static RoomCatalog threeRooms() {
    return new RoomCatalog(
        new int[] {0, 1, 0},
        new int[] {0, 0, 1},
        new int[][] {{1}, null, {1, 2}},
        new float[][] {{1, 0}, null, {0, 1}},
        2,
        new long[][] {{0, 10 * H}, {5 * H}, null},
        new long[][] {{2 * H, 12 * H}, {6 * H}, null});
  }

  @Test
  void liveIsAnOverlapOfTheScheduleWithTheWindow() {
    RoomCatalog rooms = threeRooms();
    assertThat(rooms.liveAt(H).ids()).containsExactly(0);
    assertThat(rooms.liveAt(2 * H).ids()).isEmpty(); // end is exclusive
    assertThat(rooms.liveAt(5 * H + 1).ids()).containsExactly(1);
    assertThat(rooms.liveDuring(H, 11 * H).ids()).containsExactly(0, 1);
    assertThat(rooms.liveDuring(0, 100 * H).isLive(2)).isFalse(); // no schedule: never live
  }

  @Test
  void missingContentAndTagsGetDocumentedDefaults() {
    RoomCatalog rooms = threeRooms();
    assertThat(rooms.hasContent(1)).isFalse();
    assertThat(rooms.content(1)).containsExactly(0f, 0f);
    assertThat(rooms.tags(1)).isEmpty();
  }

  @Test
  void wrongContentWidthIsRejectedNamingTheRoom() {
    assertThatThrownBy(
            () ->
                new RoomCatalog(
                    new int[] {0},
                    new int[] {0},
                    new int[][] {null},
                    new float[][] {{1, 2, 3}},
                    2,
                    new long[][] {null},
                    new long[][] {null}))
        .hasMessageContaining("room 0");
  }

  @Test
  void holdoutIsTheLastDayWithTruthColdRoomsAndRecentTriggers() {
    long day = RecallDataset.DAY_MS;
    RoomCatalog rooms = threeRooms();
    RecallDataset data =
        new RecallDataset(
            rooms,
            2,
            new int[] {0, -1},
            List.of(
                new Interaction(0, 0, 10, false),
                new Interaction(0, 1, 20, true),
                new Interaction(0, 0, 30, false),
                new Interaction(0, 2, day + 5, true),
                new Interaction(0, 0, day + 6, false),
                new Interaction(1, 1, 40, false)));
    HoldoutSplit split = HoldoutSplit.lastDays(data, 1, false);
    assertThat(split.cutoff()).isEqualTo(day);
    assertThat(split.train().clicks()).hasSize(4);
    assertThat(split.requests()).hasSize(1);
    HoldoutSplit.Request r = split.requests().get(0);
    assertThat(r.user()).isZero();
    assertThat(r.truth()).isEqualTo(Set.of(0, 2));
    assertThat(r.recentRooms()).containsExactly(0, 1);
    assertThat(split.coldRooms().stream().toArray()).containsExactly(2);
    assertThat(HoldoutSplit.lastDays(data, 1, true).requests().get(0).truth()).isEqualTo(Set.of(2));
  }
}
