package io.liverec.pipelines.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.liverec.api.errors.LiverecException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SimulateCommandTest {
  @TempDir Path dir;

  @Test
  void simOptionsReachTheWorldAfterTheNamedOptions() throws Exception {
    Path out = dir.resolve("events");
    int code =
        new CommandLine(new SimulateCommand())
            .execute(
                "--users",
                "40",
                "--rooms",
                "12",
                "--days",
                "1",
                "--seed",
                "3",
                "--cold-room-fraction",
                "0.5",
                "--sim",
                "policyNoise=2.5",
                "--sim",
                "tasteStrength=1.5",
                "--sim",
                "coldRoomFraction=0.25",
                "--out",
                out.toString());
    assertThat(code).isZero();
    String report = Files.readString(out.resolve(SimulationReport.JSON));
    assertThat(report)
        .contains("\"policyNoise\" : 2.5")
        .contains("\"tasteStrength\" : 1.5")
        .contains("\"coldRoomFraction\" : 0.25")
        .contains("\"users\" : 40");
  }

  @Test
  void aMisspelledFieldIsRejectedBeforeAnythingIsWritten() {
    Path out = dir.resolve("bad");
    SimulateCommand cmd = new SimulateCommand();
    new CommandLine(cmd)
        .parseArgs("--sim", "policyNoize=3", "--users", "10", "--out", out.toString());
    assertThatThrownBy(cmd::call)
        .isInstanceOf(LiverecException.class)
        .hasMessageContaining("policyNoize");
    assertThat(out).doesNotExist();
  }
}
