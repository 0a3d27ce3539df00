package io.liverec.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The CEL lists written into the CRD name exactly the metrics the Java lists hold. */
class AnalysisMetricsTest {
  @Test
  void celListsAgreeWithTheJavaLists() {
    assertThat(names(AnalysisMetrics.ALL_CEL)).isEqualTo(AnalysisMetrics.ALL);
    assertThat(names(AnalysisMetrics.SEQUENTIAL_CEL)).isEqualTo(AnalysisMetrics.SEQUENTIAL);
    assertThat(AnalysisMetrics.ALL).containsAll(AnalysisMetrics.SEQUENTIAL);
  }

  private static List<String> names(String cel) {
    return Arrays.stream(cel.replaceAll("[\\[\\]' ]", "").split(",")).toList();
  }
}
