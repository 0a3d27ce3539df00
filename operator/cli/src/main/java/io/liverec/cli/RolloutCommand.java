package io.liverec.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.liverec.api.errors.ExitCode;
import io.liverec.api.errors.LiverecException;
import io.liverec.api.v1alpha1.Condition;
import io.liverec.api.v1alpha1.ModelVersion;
import io.liverec.api.v1alpha1.ModelVersionStatus;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code liverec rollout status}: where a ModelVersion's canary stands, step by step. */
@Command(
    name = "rollout",
    mixinStandardHelpOptions = true,
    description = "Inspect ModelVersion rollouts.",
    subcommands = {RolloutCommand.Status.class})
final class RolloutCommand {

  /** How the cluster is reached: kubeconfig or in-cluster (tests replace this). */
  static Supplier<KubernetesClient> clients = () -> new KubernetesClientBuilder().build();

  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = {
        "Print a ModelVersion's phase, traffic, conditions and every analysis run.",
        "Reads it from the cluster, or from a file (kubectl get mv NAME -o yaml) with -f."
      })
  static final class Status implements Callable<Integer> {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "0..1", description = "ModelVersion name (in the cluster)")
    String name;

    @Option(
        names = {"-n", "--namespace"},
        description = "namespace (default: the kubeconfig's)")
    String namespace;

    @Option(
        names = {"-f", "--file"},
        description = "a ModelVersion with its status, as YAML or JSON")
    Path file;

    @Override
    public Integer call() {
      ModelVersion mv = file != null ? fromFile(file) : fromCluster();
      print(mv, spec.commandLine().getOut());
      return ExitCode.OK;
    }

    private ModelVersion fromFile(Path f) {
      try {
        return YAML.readValue(Files.readString(f), ModelVersion.class);
      } catch (IOException e) {
        throw LiverecException.badInput(f + ": not a readable ModelVersion: " + e.getMessage());
      }
    }

    private ModelVersion fromCluster() {
      if (name == null) {
        throw LiverecException.badInput("name a ModelVersion, or give a file with -f");
      }
      try (KubernetesClient client = clients.get()) {
        String ns = namespace != null ? namespace : client.getNamespace();
        ModelVersion mv = client.resources(ModelVersion.class).inNamespace(ns).withName(name).get();
        if (mv == null) {
          throw LiverecException.badInput("no ModelVersion " + name + " in namespace " + ns);
        }
        return mv;
      } catch (KubernetesClientException e) {
        throw LiverecException.unreachable("cannot read ModelVersion " + name + ": " + e, e);
      }
    }
  }

  /** The status as a person reads it: the headline, the conditions, one row per analysis. */
  static void print(ModelVersion mv, PrintWriter out) {
    ModelVersionStatus st = mv.getStatus() == null ? new ModelVersionStatus() : mv.getStatus();
    int steps = mv.getSpec().rollout.steps.size();
    String step = st.currentStep == null ? "" : ", step " + (st.currentStep + 1) + " of " + steps;
    out.printf(
        "ModelVersion %s (%s/%d): %s%s, traffic %d%%%s%n",
        mv.getMetadata().getName(),
        mv.getSpec().model,
        mv.getSpec().version,
        st.phase == null ? "not reconciled yet" : st.phase,
        step,
        st.trafficWeight == null ? 0 : st.trafficWeight,
        Boolean.TRUE.equals(st.paused) ? ", paused" : "");
    if (st.message != null) {
      out.println("  " + st.message);
    }
    for (Condition c : st.conditions) {
      out.printf("  %-20s %-6s %-22s %s%n", c.type, c.status, c.reason, c.message);
    }
    if (!st.analysisRuns.isEmpty()) {
      out.printf("  %-4s %-24s %-12s %-40s %s%n", "step", "time", "result", "metrics", "message");
      for (ModelVersionStatus.AnalysisRun r : st.analysisRuns) {
        out.printf(
            "  %-4d %-24s %-12s %-40s %s%n",
            r.step + 1, r.time, r.result, metrics(r.metrics), r.message == null ? "" : r.message);
      }
    }
    out.flush();
  }

  private static String metrics(Map<String, Double> m) {
    return m.entrySet().stream()
        .map(e -> e.getKey() + "=" + String.format(Locale.ROOT, "%.4g", e.getValue()))
        .collect(Collectors.joining(" "));
  }
}
