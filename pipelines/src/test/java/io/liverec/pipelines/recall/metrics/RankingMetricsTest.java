package io.liverec.pipelines.recall.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.BitSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RankingMetricsTest {

  @Test
  void recallAtKCountsTruthInTheFirstKOverTruthSize() {
    int[] ranked = {5, 1, 7, 3, 9};
    Set<Integer> truth = Set.of(1, 3, 4);
    assertThat(RankingMetrics.recallAtK(ranked, truth, 1)).isEqualTo(0.0);
    assertThat(RankingMetrics.recallAtK(ranked, truth, 2)).isCloseTo(1.0 / 3, within(1e-12));
    assertThat(RankingMetrics.recallAtK(ranked, truth, 4)).isCloseTo(2.0 / 3, within(1e-12));
    assertThat(RankingMetrics.recallAtK(ranked, truth, 100)).isCloseTo(2.0 / 3, within(1e-12));
    assertThat(RankingMetrics.recallAtK(ranked, Set.of(), 3)).isEqualTo(0.0);
  }

  @Test
  void ndcgMatchesAHandComputation() {
    // relevant at ranks 2 and 4; 3 relevant in total
    int[] ranked = {5, 1, 7, 3, 9};
    Set<Integer> truth = Set.of(1, 3, 4);
    double dcg = 1 / log2(3) + 1 / log2(5);
    double idcg4 = 1 / log2(2) + 1 / log2(3) + 1 / log2(4);
    assertThat(RankingMetrics.ndcgAtK(ranked, truth, 4)).isCloseTo(dcg / idcg4, within(1e-12));
    // at k = 2 only rank 2 counts; ideal has 2 relevant
    double idcg2 = 1 / log2(2) + 1 / log2(3);
    assertThat(RankingMetrics.ndcgAtK(ranked, truth, 2))
        .isCloseTo((1 / log2(3)) / idcg2, within(1e-12));
    assertThat(RankingMetrics.ndcgAtK(new int[] {1, 3, 4}, truth, 3)).isCloseTo(1.0, within(1e-12));
  }

  @Test
  void summaryAveragesRecallAndCountsCoverageAndColdHits() {
    BitSet cold = new BitSet();
    cold.set(4);
    BitSet tail = new BitSet();
    tail.set(7);
    tail.set(9);
    BitSet live = new BitSet();
    live.set(0, 10);
    RecallSummary s = new RecallSummary(new int[] {2}, cold, tail, live);
    s.add(new int[] {4, 1, 2}, Set.of(4, 2)); // recall@2 = 1/2, cold hit 1 of 1
    s.add(new int[] {7, 3}, Set.of(3, 4)); // recall@2 = 1/2, cold 4 missed
    s.add(new int[] {9, 0}, Set.of(0, 7)); // recall@2 = 1/2, tail 7 missed (9 is not truth)
    var m = s.metrics();
    assertThat(m.get("recall@2")).isCloseTo(0.5, within(1e-12));
    assertThat(m.get("coverage@2")).isCloseTo(6.0 / 10, within(1e-12)); // {4,1,7,3,9,0}
    assertThat(m.get("coldRecall@2")).isCloseTo(1.0 / 2, within(1e-12));
    assertThat(m.get("tailCoverage@2")).isCloseTo(2.0 / 2, within(1e-12)); // 7 and 9 returned
    // tail truth: 7 (third request) only; 7 was returned in the second request, where it was not
    // truth, and missed in the third: 0 of 1
    assertThat(m.get("tailTruth")).isEqualTo(1.0);
    assertThat(m.get("tailRecall@2")).isZero();
    s.add(new int[] {7, 1}, Set.of(7)); // tail 7 found: 1 of 2
    assertThat(s.metrics().get("tailRecall@2")).isCloseTo(1.0 / 2, within(1e-12));
  }

  @Test
  void repeatAndNewRecallSplitTheTruthByTheUsersTrainingRooms() {
    BitSet live = new BitSet();
    live.set(0, 10);
    RecallSummary s = new RecallSummary(new int[] {2}, new BitSet(), new BitSet(), live);
    // truth {1, 2, 3}; the user clicked 1 and 3 before; top-2 = {1, 2}: repeat 1 of 2, new 1 of 1
    s.add(new int[] {1, 2, 3}, Set.of(1, 2, 3), Set.of(1, 3, 8));
    // truth {5}, nothing seen before, missed
    s.add(new int[] {6, 7}, Set.of(5), Set.of());
    var m = s.metrics();
    assertThat(m.get("repeatRecall@2")).isCloseTo(1.0 / 2, within(1e-12));
    assertThat(m.get("newRecall@2")).isCloseTo(1.0 / 2, within(1e-12)); // 2 hit, 5 missed
    assertThat(m.get("repeatTruth")).isCloseTo(2.0 / 4, within(1e-12));
  }

  @Test
  void withoutTrainingRoomsThereIsNoRepeatBreakdown() {
    BitSet live = new BitSet();
    live.set(0, 10);
    RecallSummary s = new RecallSummary(new int[] {2}, new BitSet(), new BitSet(), live);
    s.add(new int[] {1, 2}, Set.of(1));
    assertThat(s.metrics()).doesNotContainKey("repeatRecall@2").doesNotContainKey("repeatTruth");
  }

  private static double log2(double x) {
    return Math.log(x) / Math.log(2);
  }
}
