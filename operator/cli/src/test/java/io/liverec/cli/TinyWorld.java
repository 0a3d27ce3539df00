package io.liverec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import picocli.CommandLine;

/**
 * A small simulated world (300 users, 60 rooms, 3 days) with a ranker (on samples joined
 * point-in-time with the room-realtime and user-activity views, as the demo's) and a two-tower
 * recall model trained on it through the CLI's public commands, for tests that need real exports.
 */
record TinyWorld(Path events, Path rankerRun, Path recallRun) {

  /**
   * @param name prefix of the TrainingRun names
   * @param rankerEpochs epochs of the ranker (the recall model trains one)
   */
  static TinyWorld train(Path tmp, String name, int rankerEpochs) throws Exception {
    Path events = tmp.resolve("events");
    run(
        "simulate",
        "--users",
        "300",
        "--rooms",
        "60",
        "--days",
        "3",
        "--seed",
        "7",
        "--out",
        events.toString());
    String data = "  data:\n    events: " + events.toAbsolutePath() + "\n    holdoutDays: 1\n";
    Path ranker =
        train(
            tmp,
            "ranker",
            "apiVersion: liverec.io/v1alpha1\nkind: TrainingRun\nmetadata: {name: "
                + name
                + "-ranker}\nspec:\n  task: ranking\n"
                + data
                // as the demo: the simulator's feature views joined point-in-time
                + "    featureViews: [room-realtime, user-activity]\n"
                + "  model: {embeddingDim: 8}\n  training: {epochs: "
                + rankerEpochs
                + ", batchSize: 256, seed: 3}\n");
    Path recall =
        train(
            tmp,
            "recall",
            "apiVersion: liverec.io/v1alpha1\nkind: TrainingRun\nmetadata: {name: "
                + name
                + "-recall}\nspec:\n  task: recall\n"
                + data
                + "  training: {epochs: 1, batchSize: 256, seed: 3}\n");
    return new TinyWorld(events, ranker, recall);
  }

  static void run(String... args) {
    CommandLine cli = Main.commandLine();
    StringWriter err = new StringWriter();
    cli.setErr(new PrintWriter(err, true));
    assertThat(cli.execute(args)).as("liverec " + String.join(" ", args) + "\n" + err).isZero();
  }

  private static Path train(Path tmp, String name, String spec) throws Exception {
    Path file = Files.writeString(tmp.resolve(name + ".yaml"), spec);
    Path out = tmp.resolve("runs-" + name);
    run("train", "-f", file.toString(), "--out", out.toString(), "--quiet");
    try (Stream<Path> s = Files.list(out)) {
      return s.filter(Files::isDirectory).findFirst().orElseThrow();
    }
  }
}
