package io.liverec.pipelines.recall.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.liverec.api.errors.ExitCode;
import io.liverec.api.errors.LiverecException;
import io.liverec.pipelines.recall.eval.TwoTowerSettings;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class AblateRecallCommandTest {
  @TempDir Path dir;

  @Test
  void towerSizeFlagsReachTheTwoTowerSettings() {
    AblateRecallCommand cmd = new AblateRecallCommand();
    new CommandLine(cmd)
        .parseArgs(
            "--events",
            dir.toString(),
            "--two-tower-output-dim",
            "64",
            "--two-tower-hidden",
            "256,128",
            "--two-tower-epochs",
            "5");
    TwoTowerSettings s = cmd.twoTowerSettings();
    assertThat(s.outputDim()).isEqualTo(64);
    assertThat(s.hidden()).isEqualTo(List.of(256, 128));
    assertThat(s.embeddingDim()).isEqualTo(TwoTowerSettings.DEFAULT.embeddingDim());
    assertThat(s.epochs()).isEqualTo(5);
    assertThat(s.roomPrior()).isEqualTo(TwoTowerSettings.DEFAULT.roomPrior());
  }

  @Test
  void aNonPositiveSizeIsBadInputBeforeAnythingIsRead() {
    Path out = dir.resolve("out");
    AblateRecallCommand cmd = new AblateRecallCommand();
    new CommandLine(cmd)
        .parseArgs(
            "--events",
            dir.resolve("no-such-log").toString(),
            "--two-tower-hidden",
            "64,0",
            "--out",
            out.toString());
    assertThatThrownBy(cmd::call)
        .isInstanceOfSatisfying(
            LiverecException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.BAD_INPUT))
        .hasMessageContaining("--two-tower-hidden");
    assertThat(out).doesNotExist();
  }
}
