package io.liverec.pipelines.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.liverec.api.errors.ExitCode;
import io.liverec.api.errors.LiverecException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class AblateRankingCommandTest {
  @TempDir Path dir;

  @Test
  void anUnknownDroppedFeatureIsBadInputBeforeAnythingIsSimulated() {
    Path out = dir.resolve("out");
    AblateRankingCommand cmd = new AblateRankingCommand();
    new CommandLine(cmd)
        .parseArgs(
            "--quick", "--drop-features", "room_id,no_such_feature", "--out", out.toString());
    assertThatThrownBy(cmd::call)
        .isInstanceOfSatisfying(
            LiverecException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.BAD_INPUT))
        .hasMessageContaining("--drop-features")
        .hasMessageContaining("no_such_feature");
    assertThat(out).doesNotExist();
  }

  @Test
  void aNegativeValidationDayCountIsBadInputBeforeAnythingIsSimulated() {
    Path out = dir.resolve("out");
    AblateRankingCommand cmd = new AblateRankingCommand();
    new CommandLine(cmd).parseArgs("--quick", "--validation-days", "-1", "--out", out.toString());
    assertThatThrownBy(cmd::call)
        .isInstanceOfSatisfying(
            LiverecException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.BAD_INPUT))
        .hasMessageContaining("--validation-days");
    assertThat(out).doesNotExist();
  }
}
