package io.liverec.operator.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.liverec.api.run.TrainingResult;
import io.liverec.api.v1alpha1.ResourcesSpec;
import io.liverec.api.v1alpha1.TrainingRun;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * TrainingRun → its Job and spec ConfigMap, and Job → phase. Pure: no I/O, unit-tested without a
 * server. One Job per generation, named {@code <run>-g<generation>}, so a restarted operator finds
 * the Job it created instead of creating a second one.
 */
public final class TrainingJobs {
  public static final String LABEL_RUN = "liverec.io/trainingrun";
  public static final String LABEL_GENERATION = "liverec.io/generation";
  public static final String LABEL_MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String MANAGER = "liverec-operator";
  public static final String SPEC_DIR = "/etc/liverec";
  public static final String SPEC_FILE = "trainingrun.yaml";
  public static final String GPU = "nvidia.com/gpu";
  public static final String CONTAINER = "trainer";

  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));

  private TrainingJobs() {}

  /** Phases of a TrainingRun. */
  public enum Phase {
    Pending,
    Running,
    Succeeded,
    Failed
  }

  public static String jobName(String run, long generation) {
    return Names.child(run, "-g" + generation);
  }

  public static String configMapName(String run, long generation) {
    return Names.child(run, "-g" + generation + "-spec");
  }

  /** The spec the trainer reads, as the same YAML a user would apply. */
  public static ConfigMap specConfigMap(TrainingRun run) {
    long gen = generation(run);
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("apiVersion", run.getApiVersion());
    doc.put("kind", run.getKind());
    doc.put(
        "metadata",
        Map.of(
            "name", run.getMetadata().getName(),
            "namespace", run.getMetadata().getNamespace(),
            "generation", gen));
    doc.put("spec", run.getSpec());
    String yaml;
    try {
      yaml = YAML.writeValueAsString(doc);
    } catch (Exception e) {
      throw new IllegalStateException(
          "cannot serialize TrainingRun " + run.getMetadata().getName(), e);
    }
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(configMapName(run.getMetadata().getName(), gen))
        .withNamespace(run.getMetadata().getNamespace())
        .withLabels(labels(run))
        .withOwnerReferences(owner(run))
        .endMetadata()
        .withData(Map.of(SPEC_FILE, yaml))
        .build();
  }

  /**
   * The trainer image for a run: the GPU variant (TensorFlow's CUDA native library) when the run
   * asks for GPUs ({@code spec.resources.gpu > 0}), else the CPU image.
   */
  public static String trainerImage(TrainingRun run, String cpuImage, String gpuImage) {
    ResourcesSpec res = run.getSpec().resources;
    return res != null && res.gpu != null && res.gpu > 0 ? gpuImage : cpuImage;
  }

  /** Where trainer pods keep their run directories (and unsynced MLflow journals). */
  public static final String RUNS_DIR = "/var/lib/liverec/runs";

  /**
   * The trainer's {@code --work-dir}: {@code RUNS_DIR/<namespace>/<job>}; the run directory is
   * {@code <name>} under it (where a Spark stage leaves the samples the trainer reads).
   */
  public static String workDir(TrainingRun run) {
    String job = jobName(run.getMetadata().getName(), generation(run));
    return RUNS_DIR + "/" + run.getMetadata().getNamespace() + "/" + job;
  }

  /** The trainer Job of the run's current generation, without tracking or persistent runs. */
  public static Job job(TrainingRun run, String image, String serviceAccount) {
    return job(run, image, serviceAccount, null, null, TrainerFeatureRegistry.NONE);
  }

  /**
   * The trainer Job of the run's current generation.
   *
   * @param mlflowTrackingUri passed to the trainer as {@code MLFLOW_TRACKING_URI}; null = the run
   *     is recorded only in its run directory
   * @param runsClaim a PersistentVolumeClaim for {@link #RUNS_DIR}, so a run recorded while MLflow
   *     was down outlives the pod and {@code liverec sync} can upload it; null = an emptyDir (such
   *     a run is lost with the pod)
   * @param features the feature registry the trainer resolves its feature views in
   */
  public static Job job(
      TrainingRun run,
      String image,
      String serviceAccount,
      String mlflowTrackingUri,
      String runsClaim,
      TrainerFeatureRegistry features) {
    long gen = generation(run);
    String name = run.getMetadata().getName();
    ResourcesSpec res =
        run.getSpec().resources == null ? new ResourcesSpec() : run.getSpec().resources;
    Map<String, Quantity> requests = new LinkedHashMap<>();
    requests.put("cpu", new Quantity(res.cpu));
    requests.put("memory", new Quantity(res.memory));
    Map<String, Quantity> limits = new LinkedHashMap<>(requests);
    List<Toleration> tolerations = List.of();
    int gpus = res.gpu == null ? 0 : res.gpu;
    if (gpus > 0) {
      limits.put(GPU, new Quantity(String.valueOf(gpus)));
      tolerations =
          List.of(
              new TolerationBuilder()
                  .withKey(GPU)
                  .withOperator("Exists")
                  .withEffect("NoSchedule")
                  .build());
    }
    Map<String, String> labels = labels(run);
    return new JobBuilder()
        .withNewMetadata()
        .withName(jobName(name, gen))
        .withNamespace(run.getMetadata().getNamespace())
        .withLabels(labels)
        .withOwnerReferences(owner(run))
        .endMetadata()
        .withNewSpec()
        .withBackoffLimit(res.backoffLimit == null ? 1 : res.backoffLimit)
        .withActiveDeadlineSeconds(res.deadlineSeconds)
        .withTemplate(
            RunOncePods.template(
                labels,
                serviceAccount,
                new ContainerBuilder()
                    .withName(CONTAINER)
                    .withImage(image)
                    .withArgs(
                        "run",
                        "-f",
                        SPEC_DIR + "/" + SPEC_FILE,
                        "--result",
                        TrainingResult.TERMINATION_MESSAGE_PATH,
                        "--work-dir",
                        workDir(run))
                    .withTerminationMessagePath(TrainingResult.TERMINATION_MESSAGE_PATH)
                    .withTerminationMessagePolicy("File")
                    .withResources(
                        new ResourceRequirementsBuilder()
                            .withRequests(requests)
                            .withLimits(limits)
                            .build())
                    .withEnv(env(name, mlflowTrackingUri, features))
                    .addNewVolumeMount()
                    .withName("spec")
                    .withMountPath(SPEC_DIR)
                    .withReadOnly(true)
                    .endVolumeMount()
                    .addNewVolumeMount()
                    .withName("runs")
                    .withMountPath(RUNS_DIR)
                    .endVolumeMount()
                    .addAllToVolumeMounts(features.volumeMounts())
                    .build(),
                tolerations,
                features.plusVolume(
                    List.of(
                        new VolumeBuilder()
                            .withName("spec")
                            .withNewConfigMap()
                            .withName(configMapName(name, gen))
                            .endConfigMap()
                            .build(),
                        runsVolume(runsClaim)))))
        .endSpec()
        .build();
  }

  private static List<io.fabric8.kubernetes.api.model.EnvVar> env(
      String run, String mlflow, TrainerFeatureRegistry features) {
    List<io.fabric8.kubernetes.api.model.EnvVar> env = new java.util.ArrayList<>();
    env.add(new io.fabric8.kubernetes.api.model.EnvVar("LIVEREC_TRAININGRUN", run, null));
    if (mlflow != null && !mlflow.isBlank()) {
      env.add(new io.fabric8.kubernetes.api.model.EnvVar("MLFLOW_TRACKING_URI", mlflow, null));
    }
    features
        .env()
        .forEach((k, v) -> env.add(new io.fabric8.kubernetes.api.model.EnvVar(k, v, null)));
    return env;
  }

  private static io.fabric8.kubernetes.api.model.Volume runsVolume(String claim) {
    var v = new VolumeBuilder().withName("runs");
    return claim == null || claim.isBlank()
        ? v.withNewEmptyDir().endEmptyDir().build()
        : v.withNewPersistentVolumeClaim().withClaimName(claim).endPersistentVolumeClaim().build();
  }

  /** The phase a Job's status stands for (null Job = not yet created). */
  public static Phase phaseOf(Job job) {
    if (job == null || job.getStatus() == null) {
      return Phase.Pending;
    }
    var st = job.getStatus();
    if (condition(job, "Complete") || (st.getSucceeded() != null && st.getSucceeded() > 0)) {
      return Phase.Succeeded;
    }
    if (condition(job, "Failed")) {
      return Phase.Failed;
    }
    if (st.getActive() != null && st.getActive() > 0) {
      return Phase.Running;
    }
    return Phase.Pending;
  }

  /** Why a failed Job failed (its Failed condition's reason and message). */
  public static String failureOf(Job job) {
    if (job.getStatus() != null && job.getStatus().getConditions() != null) {
      for (JobCondition c : job.getStatus().getConditions()) {
        if ("Failed".equals(c.getType()) && "True".equals(c.getStatus())) {
          return c.getReason() + (c.getMessage() == null ? "" : ": " + c.getMessage());
        }
      }
    }
    return "the Job failed";
  }

  /** Generation a Job was created for (from its label), or -1. */
  public static long generationOf(HasMetadata child) {
    Map<String, String> labels = child.getMetadata().getLabels();
    String g = labels == null ? null : labels.get(LABEL_GENERATION);
    return g == null ? -1 : Long.parseLong(g);
  }

  public static long generation(HasMetadata run) {
    Long g = run.getMetadata().getGeneration();
    return g == null ? 1 : g;
  }

  private static boolean condition(Job job, String type) {
    if (job.getStatus().getConditions() == null) {
      return false;
    }
    return job.getStatus().getConditions().stream()
        .anyMatch(c -> type.equals(c.getType()) && "True".equals(c.getStatus()));
  }

  static Map<String, String> labels(TrainingRun run) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(LABEL_RUN, run.getMetadata().getName());
    labels.put(LABEL_GENERATION, String.valueOf(generation(run)));
    labels.put(LABEL_MANAGED_BY, MANAGER);
    return labels;
  }

  /** Controller owner reference: garbage collection removes children with their owner. */
  public static OwnerReference owner(HasMetadata owner) {
    return new OwnerReferenceBuilder()
        .withApiVersion(owner.getApiVersion())
        .withKind(owner.getKind())
        .withName(owner.getMetadata().getName())
        .withUid(owner.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }
}
