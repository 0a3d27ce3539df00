package io.liverec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DemoCommandTest {
  @TempDir Path dir;

  @Test
  void refusesToReplaceADirectoryThatIsNotAnEarlierDemosOutput() throws Exception {
    Path precious = Files.writeString(dir.resolve("notes.txt"), "keep me");
    CommandLine cli = Main.commandLine();
    StringWriter err = new StringWriter();
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute("demo", "--out", dir.toString());
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("not the output of an earlier demo");
    assertThat(precious).hasContent("keep me");
  }
}
