package io.liverec.pipelines.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RankingAblationTest {

  private static RankingAblation.Row row(String name, String base, double... ctcvr) {
    List<Double> c = java.util.Arrays.stream(ctcvr).boxed().toList();
    List<Double> same = List.of(0.75, 0.751, 0.749);
    return new RankingAblation.Row(
        new RankingAblation.Variant(name, base, m -> {}),
        Map.of("ctr_auc", same, "cvr_auc", same, "ctcvr_auc", c, "ctr_gauc", same),
        1.0);
  }

  @Test
  void aWinIsCalledOnlyWhenTheIntervalsDoNotOverlap() {
    RankingAblation.Row a = row("A", null, 0.700, 0.701, 0.699);
    RankingAblation.Row b = row("B", "A", 0.720, 0.721, 0.719);
    RankingAblation.Row c = row("C", "B", 0.70, 0.74, 0.72);
    String md =
        RankingAblation.markdown(
            new RankingAblation.Result(
                List.of(a, b, c), Map.of("ctr_auc", 0.8), "x", Path.of("."), Duration.ZERO),
            RankingAblation.Settings.quick());
    assertThat(md).contains("| B |").contains("ctcvr better (+0.0200)");
    // identical ctr values in every row: never a win
    assertThat(md).contains("ctr overlap; cvr overlap; ctcvr better");
    // C's spread is wide: its ctcvr interval overlaps B's
    assertThat(RankingAblation.verdict(c, b)).isEqualTo("ctr overlap; cvr overlap; ctcvr overlap");
    assertThat(RankingAblation.paired(b, a)).startsWith("+0.0000 ± 0.0000 / +0.0200 ± 0.0000");
  }

  @Test
  void finishedRunsAreReusedOnlyUnderTheSameSettings() {
    RankingAblation.Settings q = RankingAblation.Settings.quick();
    RankingAblation.Settings moreSeeds =
        new RankingAblation.Settings(
            q.sim(),
            List.of(1L, 2L, 3L, 4L),
            q.epochs(),
            q.batchSize(),
            q.learningRate(),
            q.embeddingDim(),
            List.of("DeepFM"));
    RankingAblation.Settings otherLr =
        new RankingAblation.Settings(
            q.sim(), q.seeds(), q.epochs(), q.batchSize(), 0.1, q.embeddingDim(), List.of());
    assertThat(moreSeeds.key()).isEqualTo(q.key());
    assertThat(otherLr.key()).isNotEqualTo(q.key());
  }
}
