package io.liverec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a newcomer sees on stderr: the command line runs in a fresh JVM on its own class path (so
 * SLF4J and picocli initialise as they do for a user) and its stderr carries none of the library
 * noise that used to appear: SLF4J's provider warnings, picocli's format warnings, TensorFlow's
 * native start-up lines.
 */
class QuietStartupTest {

  private static final Pattern NOISE =
      Pattern.compile(
          "SLF4J:|\\[picocli (WARN|INFO)\\]|I tensorflow/|cpu_feature_guard|absl::InitializeLog");

  private record Run(int code, String out, String err) {}

  private static Run cli(Path work, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(Main.class.getName());
    cmd.addAll(List.of(args));
    Path out = work.resolve("stdout.txt");
    Path err = work.resolve("stderr.txt");
    Process p =
        new ProcessBuilder(cmd)
            .directory(work.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("liverec %s finished", args[0]).isTrue();
    return new Run(
        p.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  private static void assertQuiet(Run r) {
    assertThat(r.err().lines().filter(l -> NOISE.matcher(l).find()).toList())
        .as("library noise on stderr:%n%s", r.err())
        .isEmpty();
  }

  @Test
  void helpSimulateAndSampleLeaveNoLibraryNoiseOnStderr(@TempDir Path work) throws Exception {
    Run help = cli(work, "--help");
    assertThat(help.code()).isZero();
    assertThat(help.out()).contains("--verbose");
    assertQuiet(help);

    String events = work.resolve("events").toString();
    Run sim =
        cli(
            work,
            "simulate",
            "--users",
            "60",
            "--rooms",
            "15",
            "--days",
            "2",
            "--seed",
            "7",
            "--out",
            events);
    assertThat(sim.code()).as(sim.err()).isZero();
    assertQuiet(sim);

    Run sample =
        cli(
            work,
            "sample",
            "--events",
            events,
            "--strategy",
            "skip-above",
            "--out",
            work.resolve("samples").toString());
    assertThat(sample.code()).as(sample.err()).isZero();
    assertQuiet(sample);
  }

  @Test
  void verboseIsAcceptedBeforeAndAfterTheSubcommand(@TempDir Path work) throws Exception {
    assertThat(cli(work, "--verbose", "--version").code()).isZero();
    Run after = cli(work, "simulate", "--verbose", "--help");
    assertThat(after.code()).as(after.err()).isZero();
    assertThat(after.out()).contains("--verbose");
  }
}
