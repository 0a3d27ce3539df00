package io.liverec.pipelines.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlotsTest {
  @TempDir Path dir;

  @Test
  void rocCurveMatchesHandComputation() {
    // scores 0.9(+) 0.8(-) 0.8(+) 0.1(-): thresholds at 0.9, 0.8 (tie), 0.1
    double[][] c = Plots.rocCurve(new double[] {0.9, 0.8, 0.8, 0.1}, new double[] {1, 0, 1, 0});
    assertThat(c[0]).containsExactly(0, 0, 0.5, 1);
    assertThat(c[1]).containsExactly(0, 0.5, 1, 1);
  }

  @Test
  void writesPngFiles() throws Exception {
    Path roc =
        Plots.roc(
            dir.resolve("roc.png"), Map.of("ctr", new double[][] {{0.9, 0.2, 0.6}, {1, 0, 1}}));
    Path loss =
        Plots.curves(dir.resolve("loss.png"), "loss", Map.of("train", List.of(0.6, 0.5, 0.45)));
    for (Path p : List.of(roc, loss)) {
      byte[] head = Files.readAllBytes(p);
      assertThat(head.length).isGreaterThan(1000);
      assertThat(new String(head, 1, 3, java.nio.charset.StandardCharsets.US_ASCII))
          .isEqualTo("PNG");
    }
  }
}
