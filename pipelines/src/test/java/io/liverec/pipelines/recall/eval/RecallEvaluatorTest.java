package io.liverec.pipelines.recall.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.liverec.pipelines.recall.RecallFixtures;
import io.liverec.pipelines.recall.data.RecallDataset;
import io.liverec.pipelines.recall.index.IndexKind;
import io.liverec.pipelines.recall.index.IndexParams;
import io.liverec.pipelines.recall.vector.Item2Vec;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class RecallEvaluatorTest {

  @Test
  void everyLearnedChannelBeatsPopularityOnGroupedClicks() {
    RecallDataset data = RecallFixtures.grouped(11, 400, 300, 10, 6);
    AblationSettings s =
        new AblationSettings(
            List.of(
                RecallMethod.POPULAR,
                RecallMethod.CONTENT,
                RecallMethod.I2I,
                RecallMethod.VECTOR_I2I),
            new int[] {20, 50},
            IndexKind.JVECTOR,
            new IndexParams(8, 50, 100, 1),
            new Item2Vec(16, 5, 5, 5, 0.05, 1),
            1,
            false);
    Map<String, Map<String, Double>> m =
        RecallEvaluator.evaluate(data, s, 1).stream()
            .collect(Collectors.toMap(RecallEvaluator.MethodResult::method, r -> r.metrics()));
    double popular = m.get("popular").get("recall@50");
    assertThat(m.get("content").get("recall@50")).isGreaterThan(popular * 1.5);
    assertThat(m.get("i2i").get("recall@50")).isGreaterThan(popular * 1.5);
    assertThat(m.get("vector-i2i").get("recall@50")).isGreaterThan(popular * 1.5);
    // only content-based can reach rooms that had no clicks before the holdout
    assertThat(m.get("i2i").get("coldRecall@50")).isZero();
    assertThat(m.get("vector-i2i").get("coldRecall@50")).isZero();
    assertThat(m.get("content").get("coldRecall@50")).isPositive();
    assertThat(m.get("popular").get("requests")).isGreaterThan(100);
  }

  @Test
  void reportShowsEveryMethodWithAConfidenceIntervalOverSeeds() {
    AblationSettings s =
        new AblationSettings(
            List.of(RecallMethod.POPULAR, RecallMethod.I2I),
            new int[] {20},
            IndexKind.EXACT,
            IndexParams.DEFAULT,
            Item2Vec.DEFAULT,
            1,
            false);
    AblationReport report = new AblationReport(s);
    for (long seed = 1; seed <= 3; seed++) {
      RecallDataset data = RecallFixtures.grouped(seed, 150, 100, 5, 4);
      report.add(seed, "fixture", RecallEvaluator.evaluate(data, s, seed));
    }
    String md = report.markdown();
    assertThat(md).contains("| metric | popular | i2i |").contains("| recall@20 |").contains(" ± ");
    assertThat(report.summary().get("recall@20").get("i2i").n()).isEqualTo(3);
    assertThat(md).contains("## Paired differences against `popular`").contains("| i2i |");
  }
}
