package io.liverec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.liverec.api.v1alpha1.ModelVersion;
import io.liverec.api.v1alpha1.ModelVersionSpec;
import io.liverec.api.v1alpha1.ModelVersionStatus;
import io.liverec.serving.rollout.InProcessInferenceServer;
import io.liverec.serving.rollout.InProcessModelRepository;
import io.liverec.serving.rollout.InProcessTrafficRouter;
import io.liverec.serving.rollout.ObservedMetricsAnalysis;
import io.liverec.serving.rollout.Rollout;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code liverec rollout status} against the Fabric8 mock API server and from a file. */
@EnableKubernetesMockClient(crud = true)
class RolloutCommandTest {
  static KubernetesClient client;
  @TempDir Path tmp;
  Supplier<KubernetesClient> saved;

  @BeforeEach
  void useMockServer() {
    saved = RolloutCommand.clients;
    // the command closes its client: hand it a fresh one on the same mock server each time
    RolloutCommand.clients =
        () ->
            new io.fabric8.kubernetes.client.KubernetesClientBuilder()
                .withConfig(client.getConfiguration())
                .build();
  }

  @AfterEach
  void restore() {
    RolloutCommand.clients = saved;
  }

  /** A ModelVersion walked by the real Rollout to its second step, with its analysis runs. */
  static ModelVersion midRollout() throws Exception {
    ModelVersion mv =
        new com.fasterxml.jackson.databind.ObjectMapper(
                new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
            .readValue(
                io.liverec.testenv.TestEnv.repoRoot()
                    .resolve("manifests/samples/modelversion-live-ranker.yaml")
                    .toFile(),
                ModelVersion.class);
    mv.getMetadata().setNamespace("serving");
    Rollout rollout =
        new Rollout(
            new InProcessModelRepository(),
            new InProcessInferenceServer(),
            new InProcessTrafficRouter(),
            new ObservedMetricsAnalysis(
                (m, v) -> Map.of("p99LatencyMs", 9.0, "errorRate", 0.0002, "ctrLift", 0.004)));
    ModelVersionStatus st = new ModelVersionStatus();
    Instant now = Instant.parse("2026-12-07T00:00:00Z");
    while (st.currentStep == null || st.currentStep < 1) {
      now =
          now.plus(
              rollout.reconcile(mv.getSpec(), st, 1, now).requeueAfter().orElse(Duration.ZERO));
    }
    mv.getSpec().rollout.control = ModelVersionSpec.Control.PAUSE;
    rollout.reconcile(mv.getSpec(), st, 1, now);
    mv.setStatus(st);
    return mv;
  }

  private static String[] run(String... args) {
    CommandLine cli = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute(args);
    return new String[] {String.valueOf(code), out.toString(), err.toString()};
  }

  @Test
  void statusFromTheClusterShowsTheStepTrafficPauseAndEveryAnalysis() throws Exception {
    ModelVersion mv = midRollout();
    ModelVersion created = client.resource(mv).create();
    created.setStatus(mv.getStatus());
    client.resource(created).updateStatus();

    String[] r = run("rollout", "status", mv.getMetadata().getName(), "-n", "serving");
    assertThat(r[0]).as(r[2]).isEqualTo("0");
    assertThat(r[1])
        .contains("ModelVersion " + mv.getMetadata().getName() + " (live-ranker/7): Canary")
        .contains("step 2 of 4")
        .contains("traffic 25%")
        .contains("paused")
        .contains("Progressing")
        .contains("Successful")
        .contains("p99LatencyMs=9.000");
    long rows = r[1].lines().filter(l -> l.contains("Successful")).count();
    assertThat(rows).isEqualTo(mv.getStatus().analysisRuns.size()).isPositive();
  }

  @Test
  void statusFromAFileAndAMissingVersionIsBadInput() throws Exception {
    ModelVersion mv = midRollout();
    Path f = tmp.resolve("mv.yaml");
    Files.writeString(
        f,
        new com.fasterxml.jackson.databind.ObjectMapper(
                new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
            .writeValueAsString(mv));
    String[] fromFile = run("rollout", "status", "-f", f.toString());
    assertThat(fromFile[0]).as(fromFile[2]).isEqualTo("0");
    assertThat(fromFile[1]).contains("traffic 25%");

    String[] missing = run("rollout", "status", "nope", "-n", "serving");
    assertThat(missing[0]).isEqualTo("2");
    assertThat(missing[2]).contains("no ModelVersion nope in namespace serving");
  }
}
