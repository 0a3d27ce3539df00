package io.liverec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.liverec.pipelines.tracking.RunTracker;
import io.liverec.registry.MlflowGateway;
import io.liverec.registry.Retry;
import io.liverec.testenv.TestEnv;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code liverec promote} end to end against the real MLflow server, as CI would call it. */
class PromoteCommandIT {
  @TempDir Path tmp;
  private String uri;
  private String model;

  private record Result(int code, String out, String err) {}

  private Result promote(String... args) {
    List<String> all = new ArrayList<>(List.of("promote", "--tracking-uri", uri, "--model", model));
    all.addAll(List.of(args));
    CommandLine cli = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute(all.toArray(String[]::new));
    return new Result(code, out.toString(), err.toString());
  }

  /** Trains nothing: records a finished run with the given AUC and registers it. */
  private String registerVersion(double ctcvrAuc, double ctrAuc) {
    Path runDir = tmp.resolve("run-" + UUID.randomUUID());
    try (RunTracker t =
        RunTracker.start(
            runDir, uri, Retry.DEFAULT, "it-promote", "r", Map.of(), Map.of("seed", "1"))) {
      t.logMetric("ctcvr_auc", ctcvrAuc, 0);
      t.logMetric("ctr_auc", ctrAuc, 0);
      t.requestRegistration(model, "model");
      RunTracker.Result r = t.finish("FINISHED");
      assertThat(r.synced()).isTrue();
      return r.modelVersion();
    }
  }

  private Optional<String> champion() {
    try (MlflowGateway gw = new MlflowGateway(uri, Retry.DEFAULT)) {
      return gw.versionByAlias(model, "champion").map(MlflowGateway.VersionInfo::version);
    }
  }

  @BeforeEach
  void setUp() {
    uri = TestEnv.mlflowUri();
    model = "it-promote-" + UUID.randomUUID();
  }

  @Test
  void passingGatesMoveChampionAndFailingGatesChangeNothing() throws Exception {
    String v1 = registerVersion(0.750, 0.80);
    String v2 = registerVersion(0.760, 0.80);
    String v3 = registerVersion(0.745, 0.81);

    Result first = promote("--version", v1, "--require", "ctcvr_auc>=0.72");
    assertThat(first.code()).as(first.err()).isZero();
    assertThat(champion()).contains(v1);

    Result gateFails = promote("--version", v3, "--require", "ctcvr_auc>=0.755");
    assertThat(gateFails.code()).isEqualTo(3);
    assertThat(gateFails.out()).contains("FAIL").contains("NOT promoted");
    assertThat(champion()).contains(v1);

    // v3 passes its absolute gate but is 0.005 below the champion: blocked by the regression check.
    Result regression =
        promote(
            "--version",
            v3,
            "--require",
            "ctcvr_auc>=0.72",
            "--against",
            "champion",
            "--max-regression",
            "0.002");
    assertThat(regression.code()).isEqualTo(3);
    assertThat(regression.out()).contains("no regression on ctcvr_auc");
    assertThat(champion()).contains(v1);

    Path mv = tmp.resolve("modelversion.yaml");
    Result better =
        promote(
            "--version",
            v2,
            "--require",
            "ctcvr_auc>=0.72",
            "--against",
            "champion",
            "--max-regression",
            "0.002",
            "--apply-modelversion",
            mv.toString(),
            "--output",
            "json");
    assertThat(better.code()).as(better.err()).isZero();
    assertThat(champion()).contains(v2);
    JsonNode json = new ObjectMapper().readTree(better.out());
    assertThat(json.get("promoted").asBoolean()).isTrue();
    assertThat(json.get("previousVersion").asText()).isEqualTo(v1);
    JsonNode cr = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(mv));
    assertThat(cr.get("kind").asText()).isEqualTo("ModelVersion");
    assertThat(cr.at("/spec/version").asInt()).isEqualTo(Integer.parseInt(v2));
    assertThat(cr.at("/spec/source/mlflow").asText()).isEqualTo("models:/" + model + "/" + v2);
  }

  @Test
  void parityAndSizeGatesReadTheRunsMetricsAndAMissingChampionPasses() {
    Path runDir = tmp.resolve("run-" + UUID.randomUUID());
    String v;
    try (RunTracker t =
        RunTracker.start(runDir, uri, Retry.DEFAULT, "it-promote", "r", Map.of(), Map.of())) {
      t.logMetric("ctcvr_auc", 0.75, 0);
      t.logMetric("model_bytes", 2_000_000, 0);
      t.requestRegistration(model, "model");
      v = t.finish("FINISHED").modelVersion();
    }
    Result tooBig = promote("--version", v, "--max-model-bytes", "1000000");
    assertThat(tooBig.code()).isEqualTo(3);
    assertThat(tooBig.out()).contains("FAIL model size").contains("over by 1000000 bytes");

    Result unmeasured = promote("--version", v, "--max-parity-error", "1e-4");
    assertThat(unmeasured.code()).isEqualTo(3);
    assertThat(unmeasured.out()).contains("not measured");
    assertThat(champion()).isEmpty();

    Result ok =
        promote(
            "--version",
            v,
            "--max-model-bytes",
            "4000000",
            "--against",
            "champion",
            "--require",
            "ctcvr_auc>=0.7");
    assertThat(ok.code()).as(ok.out() + ok.err()).isZero();
    assertThat(ok.out()).contains("no champion");
    assertThat(champion()).contains(v);

    Result negative = promote("--version", v, "--max-parity-error", "-1");
    assertThat(negative.code()).isEqualTo(2);
    assertThat(negative.err()).contains("--max-parity-error");
  }

  @Test
  void unknownVersionAndUnreachableServerAreInputErrors() {
    registerVersion(0.75, 0.8);
    Result missing = promote("--version", "99", "--require", "ctcvr_auc>=0.7");
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).contains("no version 99");

    Result badGate = promote("--version", "1", "--require", "ctcvr_auc=0.7");
    assertThat(badGate.code()).isEqualTo(2);

    uri = "http://127.0.0.1:1";
    Result down = promote("--version", "1");
    assertThat(down.code()).isEqualTo(2);
    assertThat(down.err()).contains("not reachable");
  }
}
