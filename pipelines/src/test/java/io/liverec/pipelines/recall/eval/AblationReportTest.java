package io.liverec.pipelines.recall.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.liverec.pipelines.recall.index.IndexKind;
import io.liverec.pipelines.recall.index.IndexParams;
import io.liverec.pipelines.recall.vector.Item2Vec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AblationReportTest {
  private static RecallEvaluator.MethodResult result(String method, double r20, double r100) {
    return new RecallEvaluator.MethodResult(
        method, Map.of("recall@20", r20, "recall@100", r100), 0, method);
  }

  @Test
  void ratioSectionDividesTwoTowerByTheBestBaselineOfEachSeed() {
    AblationSettings s =
        new AblationSettings(
            List.of(RecallMethod.POPULAR, RecallMethod.ITEM_KNN, RecallMethod.TWO_TOWER),
            new int[] {20, 100},
            IndexKind.EXACT,
            IndexParams.DEFAULT,
            Item2Vec.DEFAULT,
            1,
            false);
    AblationReport report = new AblationReport(s);
    // seed 1: item-knn is the best baseline at both cut-offs; seed 2: popularity at recall@100
    report.add(
        1,
        "a",
        List.of(
            result("popular", 0.4, 0.7),
            result("item-knn", 0.5, 0.8),
            result("two-tower", 0.55, 0.88)));
    report.add(
        2,
        "b",
        List.of(
            result("popular", 0.4, 0.9),
            result("item-knn", 0.5, 0.8),
            result("two-tower", 0.55, 0.99)));
    String md = report.ratioSection(List.of("popular", "item-knn", "two-tower"));
    assertThat(md).contains("| recall@20 | 1.1000 ± 0.0000 | item-knn, item-knn |");
    assertThat(md).contains("| recall@100 | 1.1000 ± 0.0000 | item-knn, popular |");
    assertThat(report.ratioSection(List.of("popular", "item-knn"))).isEmpty();
  }
}
