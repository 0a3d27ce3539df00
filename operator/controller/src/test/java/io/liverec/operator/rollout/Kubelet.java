package io.liverec.operator.rollout;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.liverec.operator.TrainerPods;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What a kubelet does for one trainer Job, for tests on the Fabric8 mock API server (which has
 * none): mounts the pod's volumes (a ConfigMap volume's data as files, an emptyDir as an empty
 * directory, each under a host directory standing in for its mount path), runs the container's
 * arguments and environment as the Job spec carries them with the trainer image's entry point
 * ({@code io.liverec.cli.Main}) in a child JVM on the test's class path, then records the pod with
 * the container's exit code and termination message and marks the Job Complete or Failed.
 *
 * <p>A child process, not a call in this JVM: the trainer reads its settings ({@code
 * MLFLOW_TRACKING_URI}, …) from the process environment, which a JVM cannot set for itself, and the
 * native TensorFlow the trainer loads stays out of the Quarkus test JVM.
 */
final class Kubelet {
  /** The trainer image's entry point (operator/cli's Jib {@code mainClass}). */
  static final String ENTRY_POINT = "io.liverec.cli.Main";

  /** What the pod did: exit code, termination message and where its output went. */
  record Ran(int exitCode, String terminationMessage, Path log) {
    String tail() {
      try {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
      } catch (IOException e) {
        return "(no log: " + e.getMessage() + ")";
      }
    }
  }

  private final KubernetesClient client;
  private final Path root;

  /**
   * @param root host directory under which each pod gets its volumes and log
   */
  Kubelet(KubernetesClient client, Path root) {
    this.client = client;
    this.root = root;
  }

  /** Runs the Job's one pod to its end and writes the outcome to the API server. */
  Ran run(Job job, long timeoutSeconds) throws IOException, InterruptedException {
    String ns = job.getMetadata().getNamespace();
    String podName = job.getMetadata().getName() + "-kubelet";
    Path pod = Files.createDirectories(root.resolve(podName));
    PodSpec spec = job.getSpec().getTemplate().getSpec();
    if (spec.getContainers().size() != 1) {
      throw new IllegalStateException("a trainer pod has one container: " + spec.getContainers());
    }
    Container c = spec.getContainers().get(0);

    // mount path in the container → directory on this host
    Map<String, Path> mounts = new LinkedHashMap<>();
    for (VolumeMount m : c.getVolumeMounts()) {
      Volume v =
          spec.getVolumes().stream()
              .filter(x -> x.getName().equals(m.getName()))
              .findFirst()
              .orElseThrow(() -> new IllegalStateException("no volume " + m.getName()));
      Path host = Files.createDirectories(pod.resolve("volumes").resolve(m.getName()));
      if (v.getConfigMap() != null) {
        ConfigMap cm =
            client.configMaps().inNamespace(ns).withName(v.getConfigMap().getName()).get();
        if (cm == null) {
          throw new IllegalStateException("ConfigMap " + v.getConfigMap().getName() + " is absent");
        }
        for (var e : cm.getData().entrySet()) {
          Files.writeString(host.resolve(e.getKey()), e.getValue(), StandardCharsets.UTF_8);
        }
      } else if (v.getEmptyDir() == null) {
        throw new IllegalStateException("volume " + v.getName() + ": only configMap and emptyDir");
      }
      mounts.put(m.getMountPath(), host);
    }
    String terminationPath = c.getTerminationMessagePath();
    Path termination = pod.resolve("termination-log");
    Files.writeString(termination, "");

    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx2g");
    // the image's JVM flag moves JavaCPP's cache; here it is the build's cache
    String javacpp = System.getProperty("org.bytedeco.javacpp.cachedir");
    if (javacpp != null) {
      command.add("-Dorg.bytedeco.javacpp.cachedir=" + javacpp);
    }
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(ENTRY_POINT);
    for (String arg : c.getArgs()) {
      command.add(hostPath(arg, mounts, terminationPath, termination));
    }
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().remove("MLFLOW_TRACKING_URI"); // only what the Job spec says
    for (EnvVar e : c.getEnv()) {
      if (e.getValueFrom() != null) {
        throw new IllegalStateException("env " + e.getName() + ": valueFrom is not emulated");
      }
      pb.environment().put(e.getName(), e.getValue());
    }
    Path log = pod.resolve("output.log");
    pb.redirectErrorStream(true).redirectOutput(log.toFile()).directory(pod.toFile());
    Process p = pb.start();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor();
      throw new IllegalStateException(
          "pod " + podName + " still running after " + timeoutSeconds + " s; log " + log);
    }
    Ran ran =
        new Ran(p.exitValue(), Files.readString(termination, StandardCharsets.UTF_8).trim(), log);

    client
        .resource(
            TrainerPods.terminated(
                ns,
                podName,
                job.getMetadata().getName(),
                c.getName(),
                ran.exitCode(),
                ran.terminationMessage()))
        .create();
    Job current =
        client.batch().v1().jobs().inNamespace(ns).withName(job.getMetadata().getName()).get();
    current.setStatus(
        ran.exitCode() == 0
            ? new JobStatusBuilder()
                .withSucceeded(1)
                .withConditions(
                    new JobConditionBuilder().withType("Complete").withStatus("True").build())
                .build()
            : new JobStatusBuilder()
                .withFailed(1)
                .withConditions(
                    new JobConditionBuilder()
                        .withType("Failed")
                        .withStatus("True")
                        .withReason("BackoffLimitExceeded")
                        .withMessage("exit code " + ran.exitCode())
                        .build())
                .build());
    client.resource(current).updateStatus();
    return ran;
  }

  /** An argument naming a path inside the container, as the same path on this host. */
  private static String hostPath(
      String arg, Map<String, Path> mounts, String terminationPath, Path termination) {
    if (arg.equals(terminationPath)) {
      return termination.toString();
    }
    for (var m : mounts.entrySet()) {
      if (arg.equals(m.getKey()) || arg.startsWith(m.getKey() + "/")) {
        return m.getValue() + arg.substring(m.getKey().length());
      }
    }
    if (arg.startsWith("/")) {
      throw new IllegalStateException(arg + " is a container path on no volume");
    }
    return arg;
  }
}
