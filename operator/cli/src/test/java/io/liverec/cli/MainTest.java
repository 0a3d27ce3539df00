package io.liverec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MainTest {

  private record Result(int code, String out, String err) {}

  private static Result run(String... args) {
    CommandLine cli = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  void helpListsSubcommandsAndExitCodes() {
    Result r = run("--help");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("demo").contains("Exit codes").contains("gate failed");
  }

  @Test
  void unknownOptionIsAUsageErrorWithExitCodeOne() {
    Result r = run("--no-such-option");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("Unknown option").contains("Usage: liverec");
  }

  @Test
  void unknownSubcommandIsAUsageError() {
    Result r = run("frobnicate");
    assertThat(r.code()).isEqualTo(1);
  }

  @Test
  void versionIsPrinted() {
    Result r = run("--version");
    assertThat(r.code()).isZero();
    assertThat(r.out()).startsWith("liverec ");
  }
}
