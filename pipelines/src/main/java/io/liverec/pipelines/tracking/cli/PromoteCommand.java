package io.liverec.pipelines.tracking.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.liverec.api.errors.ExitCode;
import io.liverec.api.errors.LiverecException;
import io.liverec.pipelines.tracking.GateExpression;
import io.liverec.pipelines.tracking.Gates;
import io.liverec.pipelines.tracking.Promoter;
import io.liverec.registry.MlflowGateway;
import io.liverec.registry.Retry;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code liverec promote}: gate a registered model version and move an alias, for CI. */
@Command(
    name = "promote",
    mixinStandardHelpOptions = true,
    description = {
      "Check a registered model version's metrics in MLflow against gates, against the current"
          + " champion, and optionally its ONNX parity and size, then move the alias. Nothing"
          + " changes unless every check passes. The same gates decide a TrainingRun's registration.",
      "Exit 0 promoted, 3 a gate failed, 2 bad input or server error."
    })
public final class PromoteCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Mixin TrackingOptions tracking;

  @Option(names = "--model", required = true, description = "Registered model name.")
  String model;

  @Option(names = "--version", required = true, description = "Model version to promote.")
  String version;

  @Option(
      names = "--require",
      description = "Gate on the version's run metrics, e.g. 'ctcvr_auc>=0.72'. Repeatable.")
  List<String> require = new ArrayList<>();

  @Option(
      names = "--against",
      description = "Alias of the incumbent to compare with, e.g. champion.")
  String against;

  @Option(
      names = "--max-regression",
      defaultValue = "0",
      description = "Largest allowed drop versus the incumbent (default: ${DEFAULT-VALUE}).")
  double maxRegression;

  @Option(
      names = "--compare",
      description = "Metric compared with the incumbent (default: the gated ones). Repeatable.")
  List<String> compare = new ArrayList<>();

  @Option(
      names = "--max-parity-error",
      description =
          "Largest allowed ONNX parity error (the run's onnx_parity_max_abs_diff); unset = off.")
  Double maxParityError;

  @Option(
      names = "--max-model-bytes",
      description = "Largest allowed model size (the run's model_bytes); unset = off.")
  Long maxModelBytes;

  @Option(names = "--alias", defaultValue = "champion", description = "Alias to move.")
  String alias;

  @Option(
      names = "--apply-modelversion",
      description = "Write or patch this ModelVersion YAML to roll out the promoted version.")
  Path modelVersionFile;

  @Option(
      names = "--output",
      defaultValue = "text",
      description = "text or json (default: ${DEFAULT-VALUE}).")
  String output;

  @Override
  public Integer call() throws Exception {
    if (!output.equals("text") && !output.equals("json")) {
      throw LiverecException.badInput("--output must be text or json, not " + output);
    }
    if (!(maxRegression >= 0)) {
      throw LiverecException.badInput("--max-regression must be ≥ 0, got " + maxRegression);
    }
    if (maxParityError != null && !(maxParityError >= 0)) {
      throw LiverecException.badInput("--max-parity-error must be ≥ 0, got " + maxParityError);
    }
    if (maxModelBytes != null && maxModelBytes < 1) {
      throw LiverecException.badInput("--max-model-bytes must be ≥ 1, got " + maxModelBytes);
    }
    List<GateExpression> gates = require.stream().map(GateExpression::parse).toList();
    Promoter.Result result;
    try (MlflowGateway mlflow = tracking.open()) {
      result =
          new Promoter(mlflow)
              .promote(
                  new Promoter.Request(
                      model,
                      version,
                      gates,
                      against,
                      maxRegression,
                      compare,
                      alias,
                      maxParityError,
                      maxModelBytes));
    } catch (Retry.ServerUnavailableException e) {
      throw LiverecException.unreachable(e.getMessage(), e);
    }
    if (result.promoted() && modelVersionFile != null) {
      applyModelVersion(modelVersionFile, model, result.version());
    }
    print(result);
    return result.promoted() ? ExitCode.OK : ExitCode.GATE_FAILED;
  }

  private void print(Promoter.Result r) throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    if (output.equals("json")) {
      out.println(
          new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(r));
    } else {
      for (Gates.Check c : r.checks()) {
        out.printf(
            Locale.ROOT,
            "%s %-60s actual=%s expected %s %s%n",
            c.passed() ? "PASS" : "FAIL",
            c.name(),
            c.actual() == null ? "-" : String.format(Locale.ROOT, "%.6f", c.actual()),
            c.expected(),
            c.detail());
      }
      out.println(
          r.promoted()
              ? String.format(
                  "promoted %s v%s to alias %s (was %s)",
                  r.model(), r.version(), r.alias(), r.previousVersion())
              : String.format(
                  "NOT promoted: %s v%s keeps alias %s on %s",
                  r.model(), r.version(), r.alias(), r.previousVersion()));
    }
    out.flush();
  }

  /**
   * Writes a ModelVersion that rolls out {@code models:/model/version}, or patches an existing one.
   */
  static void applyModelVersion(Path file, String model, String version) throws IOException {
    ObjectMapper yaml =
        new ObjectMapper(
            new YAMLFactory()
                .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));
    ObjectNode doc;
    if (Files.exists(file)) {
      if (!(yaml.readTree(file.toFile()) instanceof ObjectNode existing)
          || !"ModelVersion".equals(existing.path("kind").asText())) {
        throw LiverecException.badInput(file + " is not a ModelVersion resource (kind)");
      }
      doc = existing;
    } else {
      doc = yaml.createObjectNode();
      doc.put("apiVersion", "liverec.io/v1alpha1");
      doc.put("kind", "ModelVersion");
      doc.putObject("metadata").put("name", (model + "-v" + version).toLowerCase(Locale.ROOT));
    }
    ObjectNode specNode = doc.with("spec");
    specNode.put("model", model);
    specNode.put("version", Long.parseLong(version));
    specNode.with("source").put("mlflow", "models:/" + model + "/" + version);
    Path parent = file.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    yaml.writeValue(file.toFile(), doc);
  }
}
