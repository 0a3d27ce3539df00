package io.liverec.pipelines.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

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
  void aWinIsCalledWhenThePairedDifferenceExcludesZeroAndTheOverlapIsReported() {
    RankingAblation.Row a = row("A", null, 0.700, 0.701, 0.699);
    RankingAblation.Row b = row("B", "A", 0.720, 0.721, 0.719);
    // C: its CI overlaps B's, but it is +0.002 on every seed against B
    RankingAblation.Row c = row("C", "B", 0.722, 0.723, 0.721);
    RankingAblation.Row wide = row("W", "C", 0.70, 0.74, 0.72);
    RankingAblation.Row noisy = row("N", "B", 0.71, 0.74, 0.715);
    String md =
        RankingAblation.markdown(
            new RankingAblation.Result(
                List.of(a, b, c), Map.of("ctr_auc", 0.8), "x", Path.of("."), Duration.ZERO),
            RankingAblation.Settings.quick());
    assertThat(md).contains("| B |").contains("+0.0200 ± 0.0000");
    // identical ctr values in every row: never a win
    assertThat(RankingAblation.verdict(b, a))
        .isEqualTo("ctr n.s. (CIs overlap); cvr n.s. (CIs overlap); ctcvr better (CIs separate)");
    // the paired difference is +0.002 on every seed: resolved although the CIs overlap
    assertThat(RankingAblation.verdict(c, b)).endsWith("ctcvr better (CIs overlap)");
    assertThat(RankingAblation.verdict(wide, c)).endsWith("ctcvr n.s. (CIs overlap)");
    // paired differences -0.01, +0.019, -0.004: not resolved
    assertThat(RankingAblation.verdict(noisy, b)).endsWith("ctcvr n.s. (CIs overlap)");
    RankingAblation.Row worse = row("L", "B", 0.715, 0.7165, 0.7135);
    assertThat(RankingAblation.verdict(worse, b)).endsWith("ctcvr worse (CIs overlap)");
    assertThat(RankingAblation.pairedCi(b, a, "ctcvr_auc").mean()).isCloseTo(0.02, within(1e-9));
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
            q.patience(),
            List.of("DeepFM"));
    RankingAblation.Settings otherLr =
        new RankingAblation.Settings(
            q.sim(),
            q.seeds(),
            q.epochs(),
            q.batchSize(),
            0.1,
            q.embeddingDim(),
            q.patience(),
            List.of());
    assertThat(moreSeeds.key()).isEqualTo(q.key());
    assertThat(otherLr.key()).isNotEqualTo(q.key());
    // leaving features out changes what every run trains on
    assertThat(q.withDropped(List.of("room_id")).key()).isNotEqualTo(q.key());
    assertThat(q.withDropped(List.of()).key()).isEqualTo(q.key());
    // so does the validation split, and the runs carry it to the trainer
    assertThat(q.withValidationDays(1).key()).isNotEqualTo(q.key());
    assertThat(q.withValidationDays(0).key()).isEqualTo(q.key());
    RankingAblation.Variant v = RankingAblation.ladder().get(0);
    assertThat(
            RankingAblation.trainingRun(q.withValidationDays(1), v, 1, Path.of("s"))
                .getSpec()
                .data
                .validationDays)
        .isEqualTo(1);
    assertThat(RankingAblation.trainingRun(q, v, 1, Path.of("s")).getSpec().data.validationDays)
        .isNull();
  }

  @Test
  void droppedFeaturesLeaveTheColumnSpecAndAnUnknownNameFailsBeforeAnyRun() {
    RankingAblation.Settings q =
        RankingAblation.Settings.quick().withDropped(List.of("room_id", "host_id"));
    List<String> names = q.columns().features().stream().map(f -> f.name()).toList();
    assertThat(names).doesNotContain("room_id", "host_id").contains("user_id", "audio_vec");
    assertThat(names).hasSize(RankingAblation.Settings.quick().columns().features().size() - 2);
    // the rooms side table (joined by room id, not a feature) stays
    assertThat(q.columns().rooms()).isEqualTo(RankingAblation.Settings.quick().columns().rooms());
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> RankingAblation.Settings.quick().withDropped(List.of("room_idd")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("room_idd");
    String md =
        RankingAblation.markdown(
            new RankingAblation.Result(List.of(), Map.of(), "x", Path.of("."), Duration.ZERO), q);
    assertThat(md).contains("Features left out of every row (`--drop-features`): room_id, host_id");
  }
}
