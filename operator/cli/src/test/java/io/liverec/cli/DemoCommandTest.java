package io.liverec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.liverec.cli.report.HtmlReport;
import io.liverec.pipelines.tracking.RunJournal;
import io.liverec.serving.rollout.Rollout;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

  /**
   * The whole demo on a small world: the summary times every stage, the report names the canary's
   * decision, and the champion follows it (requested in the new ranker's journal only when the
   * canary promoted it; no MLflow here, so the request waits for {@code liverec sync}).
   */
  @Test
  void aSmallDemoEndsWithStageTimesADecisionAndItsReport() throws Exception {
    Path out = dir.resolve("demo");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream before = System.out;
    int code;
    System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      code =
          Main.commandLine()
              .execute(
                  "demo", "--quick", "--users", "300", "--rooms", "60", "--out", out.toString());
    } finally {
      System.setOut(before);
    }
    String summary = bytes.toString(StandardCharsets.UTF_8);
    assertThat(code).as(summary).isZero();

    String[] stages = {
      "simulate",
      "sample",
      "train ranker",
      "train two-tower",
      "publish",
      "features (Feast",
      "serve",
      "canary",
      "register champion"
    };
    double sum = 0;
    for (String stage : stages) {
      Matcher m =
          Pattern.compile("\\n  [^\\n]*" + Pattern.quote(stage) + "[^\\n]*?\\s([0-9.]+) s ")
              .matcher(summary);
      assertThat(m.find()).as("a time for " + stage + " in\n" + summary).isTrue();
      sum += Double.parseDouble(m.group(1));
    }
    Matcher total = Pattern.compile("\\n  total\\s+([0-9.]+) s").matcher(summary);
    assertThat(total.find()).as(summary).isTrue();
    assertThat(Double.parseDouble(total.group(1)))
        .isCloseTo(sum, org.assertj.core.data.Offset.offset(0.5));
    assertThat(summary).contains("Bayes-optimal AUC").contains("two-tower  popularity");
    // the served requests read their features from Feast: the feature server, not the bundle
    assertThat(summary)
        .containsPattern("Features   user_features [0-9,]+ users, room_features [0-9,]+ rooms")
        .contains("online features from the feature server 127.0.0.1:")
        .containsPattern("user \\S+\\s+served ");

    Matcher decision = Pattern.compile("decision: demo-ranker v2 (\\w+) after").matcher(summary);
    assertThat(decision.find()).as(summary).isTrue();
    String phase = decision.group(1);
    Path report = out.resolve(HtmlReport.FILE);
    assertThat(report).isRegularFile();
    assertThat(summary).contains("Report     " + report.toAbsolutePath());
    String html = Files.readString(report);
    assertThat(html).contains("Decision: demo-ranker v2 " + phase).contains("<svg");

    RunJournal ranker = RunJournal.open(out.resolve("runs").resolve("demo-ranker"));
    if (Rollout.PROMOTED.equals(phase) && ranker.record().registeredModel == null) {
      assertThat(summary).contains("Champion   not moved: the new ranker failed its gates");
    } else if (Rollout.PROMOTED.equals(phase)) {
      assertThat(ranker.record().aliases).containsExactly("champion");
      assertThat(summary).contains("Champion   requested for the promoted liverec-demo-ranker");
    } else {
      assertThat(ranker.record().aliases).isEmpty();
      assertThat(summary).contains("Champion   unchanged");
    }
  }
}
