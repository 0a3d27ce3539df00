package io.liverec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.liverec.api.v1alpha1.ModelVersionStatus;
import io.liverec.pipelines.export.OnnxWeights;
import io.liverec.serving.rollout.Rollout;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Closed-loop canaries, embedded: real trained models served by the gateway, the simulator's users
 * (rebuilt from the log the models were trained on) as the traffic, and the rollout deciding on
 * what those users clicked. Each case starts from a fresh copy of the same serving bundle.
 */
class CanarySimCommandTest {
  @TempDir static Path tmp;
  static TinyWorld world;
  static Path bundle;

  @BeforeAll
  static void trainAndBundle() throws Exception {
    world = TinyWorld.train(tmp, "canary", 2);
    bundle =
        ServingBundle.write(
            tmp.resolve("serving"), world.rankerRun(), world.recallRun(), world.events());
  }

  @Test
  void aDegradedRankerIsRolledBackByTheOutcomeTestBeforeHalfTheTraffic() throws Exception {
    // The test counts users, not impressions (the split randomises users): at the default 10 %
    // this 300-user world puts ~30 users in each arm, too few to tell a 17 % CTR gap at any
    // horizon (it holds, correctly). A 40 % first step gives each arm ~120 users.
    Path mv = tmp.resolve("degraded-steps.yaml");
    Files.writeString(
        mv,
        String.join(
            "\n",
            "apiVersion: liverec.io/v1alpha1",
            "kind: ModelVersion",
            "metadata: {name: degraded, namespace: default}",
            "spec:",
            "  model: placeholder",
            "  version: 2",
            "  source: {mlflow: 'models:/placeholder/2'}",
            "  rollout:",
            "    steps: [{weight: 40}, {weight: 80}]",
            "    analysis:",
            "      interval: 1m",
            "      failureLimit: 1",
            "      metrics:",
            "        - {name: p99LatencyMs, max: 25}",
            "        - {name: errorRate, max: 0.01}",
            "        - {name: ctrLift, min: 0.0, test: sequential}",
            ""));
    Run r =
        canarySim(copy("degraded"), "--scenario", "degraded", "--tau", "0.01", "-f", mv.toString());
    assertThat(r.status().phase).as(r.out()).isEqualTo(Rollout.ROLLED_BACK);
    assertThat(r.status().analysisRuns)
        .as(r.out())
        .allMatch(a -> a.weight < 50)
        .anyMatch(a -> a.message.contains("ctrLift") && a.message.contains("worse"));
    assertThat(r.exit()).isEqualTo(3);
    assertThat(r.out()).contains("RolledBack").contains("the canary is worse");
  }

  @Test
  void aCopyOfTheStableVersionIsPromotedAfterEveryStepFindsNoHarm() throws Exception {
    Run r = canarySim(copy("same"), "--scenario", "same");
    assertThat(r.status().phase).as(r.out()).isEqualTo(Rollout.PROMOTED);
    assertThat(r.status().analysisRuns).noneMatch(a -> "Failed".equals(a.result));
    assertThat(r.exit()).isZero();
  }

  @Test
  void aTrainedRankerReplacingABrokenStableVersionIsPromotedAsBetter() throws Exception {
    // the stable version is broken (its weights shuffled); the candidate is the trained model
    Path b = copy("better");
    Path stable = b.resolve("repository").resolve(rankerName()).resolve("1").resolve("model.onnx");
    OnnxWeights.shuffled(stable, stable, 5);
    Run r = canarySim(b, "--scenario", "candidate", "--candidate", world.rankerRun().toString());
    assertThat(r.status().phase).as(r.out()).isEqualTo(Rollout.PROMOTED);
    assertThat(r.status().analysisRuns).anyMatch(a -> a.message.contains("the canary is better"));
  }

  @Test
  void injectedLatencyBreachesTheSloAndRollsBack() throws Exception {
    Run r = canarySim(copy("slow"), "--scenario", "slow", "--latency-ms", "60");
    assertThat(r.status().phase).as(r.out()).isEqualTo(Rollout.ROLLED_BACK);
    assertThat(r.status().analysisRuns)
        .anyMatch(a -> a.message.contains("p99LatencyMs") && "Failed".equals(a.result));
  }

  @Test
  void aBundleWithoutAnEventLogIsBadInputNamingTheFlag() throws Exception {
    Path b = copy("nolog");
    CommandLine cli = Main.commandLine();
    java.io.StringWriter err = new java.io.StringWriter();
    cli.setErr(new java.io.PrintWriter(err, true));
    int exit =
        cli.execute(
            "canary-sim", "--bundle", b.toString(), "--events", tmp.resolve("none").toString());
    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("--events");
  }

  @Test
  void stepsThatDoNotIncreaseOrLeaveOneToHundredAreBadInputNamingTheStep() throws Exception {
    for (String[] c :
        new String[][] {
          {"25,10", "--steps[1]"}, {"0,50", "--steps[0]"}, {"50,101", "--steps[1]"}
        }) {
      CommandLine cli = Main.commandLine();
      java.io.StringWriter err = new java.io.StringWriter();
      cli.setErr(new java.io.PrintWriter(err, true));
      int exit =
          cli.execute("canary-sim", "--bundle", copy("steps-" + c[0]).toString(), "--steps", c[0]);
      assertThat(exit).as(c[0]).isEqualTo(2);
      assertThat(err.toString()).as(c[0]).contains(c[1]);
    }
  }

  record Run(int exit, ModelVersionStatus status, String out) {}

  private static Run canarySim(Path b, String... args) throws Exception {
    CanarySimCommand cmd = new CanarySimCommand();
    String[] all = new String[args.length + 4];
    all[0] = "--bundle";
    all[1] = b.toString();
    all[2] = "--events";
    all[3] = world.events().toString();
    System.arraycopy(args, 0, all, 4, args.length);
    new CommandLine(cmd).parseArgs(all);
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    CanarySimCommand.Result r;
    try (PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
      r = cmd.run(out);
    }
    String text = buf.toString(StandardCharsets.UTF_8);
    int exit = Rollout.PROMOTED.equals(r.result().status().phase) ? 0 : 3;
    return new Run(exit, r.result().status(), text);
  }

  private static String rankerName() throws Exception {
    try (Stream<Path> s = Files.list(bundle.resolve("repository"))) {
      return s.map(p -> p.getFileName().toString())
          .filter(n -> !n.equals(ServingBundle.USER_TOWER))
          .findFirst()
          .orElseThrow();
    }
  }

  private static Path copy(String name) throws Exception {
    Path to = tmp.resolve("bundle-" + name);
    try (Stream<Path> s = Files.walk(bundle)) {
      for (Path p : s.sorted(Comparator.naturalOrder()).toList()) {
        Path t = to.resolve(bundle.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t);
        }
      }
    }
    return to;
  }
}
