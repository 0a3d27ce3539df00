package io.liverec.operator.model;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.liverec.api.run.SparkSamplingArgs;
import io.liverec.api.v1alpha1.ResourcesSpec;
import io.liverec.api.v1alpha1.SparkResources;
import io.liverec.api.v1alpha1.TrainingRun;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * TrainingRun with {@code spec.data.engine: spark} → the Kubeflow Spark Operator's {@code
 * SparkApplication} (sparkoperator.k8s.io/v1beta2) that samples its events and joins its feature
 * views before the trainer Job, and a SparkApplication's status → where that stage is. Pure: no
 * I/O.
 *
 * <p>The application writes into the trainer's own run directory on the runs claim ({@link
 * #output}): {@code samples/}, its sample report and {@code samples_pit/}, which the trainer then
 * finds and trains on without sampling or joining again. One application per generation, named
 * {@code <run>-g<generation>-spark}, so a restarted operator finds it instead of submitting a
 * second; retries are the Spark operator's ({@code restartPolicy} OnFailure, {@code
 * spec.resources.backoffLimit} times).
 */
public final class SparkApplications {
  public static final String GROUP = "sparkoperator.k8s.io";
  public static final String VERSION = "v1beta2";
  public static final String KIND = "SparkApplication";
  public static final String PLURAL = "sparkapplications";

  /** The kind, addressed without discovery (which would fail when the CRD is absent). */
  public static final ResourceDefinitionContext CONTEXT =
      new ResourceDefinitionContext.Builder()
          .withGroup(GROUP)
          .withVersion(VERSION)
          .withKind(KIND)
          .withPlural(PLURAL)
          .withNamespaced(true)
          .build();

  /** Where the Spark image keeps LiveRec's jars (the main class's and its dependencies). */
  public static final String LIB = "local:///opt/liverec/lib/";

  public static final String SPARK_VERSION = "4.2.0";
  static final String RUNS_VOLUME = "runs";
  static final int RETRY_INTERVAL_SECONDS = 30;

  /** Module openings Spark needs on Java 17 (spark-submit adds them for the driver only). */
  static final String ADD_OPENS =
      "--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED"
          + " --add-opens=java.base/sun.nio.ch=ALL-UNNAMED"
          + " --add-opens=java.base/java.util=ALL-UNNAMED";

  private SparkApplications() {}

  /** Where a stage stands. */
  public enum Stage {
    /** Not submitted yet, submitted, running, or failed with retries left: wait. */
    WAITING,
    RUNNING,
    COMPLETED,
    /** Failed and the Spark operator will not retry it. */
    FAILED
  }

  public static String name(String run, long generation) {
    return Names.child(run, "-g" + generation + "-spark");
  }

  /** The trainer's run directory, where the application writes and the trainer reads. */
  public static String output(TrainingRun run) {
    return "file://" + TrainingJobs.workDir(run) + "/" + run.getMetadata().getName();
  }

  /**
   * The SparkApplication of the run's current generation.
   *
   * @param image the Spark image (Spark plus LiveRec's jars under {@link #LIB})
   * @param serviceAccount the driver's service account (it creates the executor pods)
   * @param runsClaim the ReadWriteMany claim holding the trainers' run directories, mounted at
   *     {@link TrainingJobs#RUNS_DIR} in the driver and the executors
   * @param features the feature registry the driver resolves {@code spec.data.featureViews} in
   */
  public static GenericKubernetesResource application(
      TrainingRun run,
      String image,
      String serviceAccount,
      String runsClaim,
      TrainerFeatureRegistry features) {
    long gen = TrainingJobs.generation(run);
    String runName = run.getMetadata().getName();
    ResourcesSpec res =
        run.getSpec().resources == null ? new ResourcesSpec() : run.getSpec().resources;
    SparkResources spark = res.spark == null ? new SparkResources() : res.spark;
    SparkResources.Driver driver =
        spark.driver == null ? new SparkResources.Driver() : spark.driver;
    SparkResources.Executor executor =
        spark.executor == null ? new SparkResources.Executor() : spark.executor;
    int retries = res.backoffLimit == null ? 1 : res.backoffLimit;
    Map<String, String> labels = TrainingJobs.labels(run);

    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("type", "Java");
    spec.put("mode", "cluster");
    spec.put("sparkVersion", SPARK_VERSION);
    spec.put("image", image);
    spec.put("imagePullPolicy", "IfNotPresent");
    spec.put("mainClass", SparkSamplingArgs.MAIN_CLASS);
    spec.put("mainApplicationFile", LIB + "liverec-pipelines.jar");
    spec.put(
        "deps",
        Map.of(
            "jars",
            List.of(
                LIB + "liverec-api.jar",
                LIB + "liverec-feature-store.jar",
                LIB + "protobuf-java.jar")));
    spec.put(
        "arguments",
        SparkSamplingArgs.of(run.getSpec().data, run.getSpec().data.events, output(run)));
    spec.put(
        "sparkConf",
        Map.of(
            "spark.sql.adaptive.enabled", "true",
            "spark.driver.extraJavaOptions", ADD_OPENS,
            "spark.executor.extraJavaOptions", ADD_OPENS));
    Map<String, Object> restart = new LinkedHashMap<>();
    restart.put("type", "OnFailure");
    restart.put("onFailureRetries", retries);
    restart.put("onFailureRetryInterval", RETRY_INTERVAL_SECONDS);
    restart.put("onSubmissionFailureRetries", retries);
    restart.put("onSubmissionFailureRetryInterval", RETRY_INTERVAL_SECONDS);
    spec.put("restartPolicy", restart);

    List<Map<String, Object>> volumes = new ArrayList<>();
    volumes.add(claimVolume(RUNS_VOLUME, runsClaim));
    List<Map<String, Object>> runsMount =
        List.of(Map.of("name", RUNS_VOLUME, "mountPath", TrainingJobs.RUNS_DIR));
    List<Map<String, Object>> driverMounts = new ArrayList<>(runsMount);
    features
        .volumeMounts()
        .forEach(m -> driverMounts.add(Map.of("name", m.getName(), "mountPath", m.getMountPath())));
    if (!features.volumeMounts().isEmpty()) {
      volumes.add(claimVolume(TrainerFeatureRegistry.VOLUME, features.claim()));
    }
    spec.put("volumes", volumes);

    List<Map<String, Object>> env = new ArrayList<>();
    env.add(Map.of("name", "LIVEREC_TRAININGRUN", "value", runName));
    features.env().forEach((k, v) -> env.add(Map.of("name", k, "value", v)));
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("cores", driver.cores == null ? 1 : driver.cores);
    d.put("memory", driver.memory == null ? "2g" : driver.memory);
    d.put("serviceAccount", serviceAccount);
    d.put("env", env);
    d.put("volumeMounts", driverMounts);
    d.put("labels", labels);
    spec.put("driver", d);
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("instances", executor.instances == null ? 2 : executor.instances);
    e.put("cores", executor.cores == null ? 1 : executor.cores);
    e.put("memory", executor.memory == null ? "2g" : executor.memory);
    e.put("volumeMounts", runsMount);
    e.put("labels", labels);
    spec.put("executor", e);

    GenericKubernetesResource app = new GenericKubernetesResource();
    app.setApiVersion(GROUP + "/" + VERSION);
    app.setKind(KIND);
    app.setMetadata(
        new ObjectMetaBuilder()
            .withName(name(runName, gen))
            .withNamespace(run.getMetadata().getNamespace())
            .withLabels(labels)
            .withOwnerReferences(TrainingJobs.owner(run))
            .build());
    app.setAdditionalProperty("spec", spec);
    return app;
  }

  private static Map<String, Object> claimVolume(String name, String claim) {
    return Map.of("name", name, "persistentVolumeClaim", Map.of("claimName", claim));
  }

  /** The Spark operator's {@code status.applicationState.state} ("" before it submits). */
  public static String state(GenericKubernetesResource app) {
    Object s = path(app, "applicationState", "state");
    return s == null ? "" : s.toString();
  }

  /** The Spark operator's {@code status.applicationState.errorMessage}, or null. */
  public static String errorMessage(GenericKubernetesResource app) {
    Object m = path(app, "applicationState", "errorMessage");
    return m == null || m.toString().isBlank() ? null : m.toString();
  }

  /**
   * Where {@code app} stands. {@code FAILED} and {@code SUBMISSION_FAILED} are final only once the
   * attempts ({@code status.executionAttempts}, {@code submissionAttempts}) exceed the retries its
   * {@code restartPolicy} allows; before that the Spark operator reruns it ({@code PENDING_RERUN}).
   */
  public static Stage stage(GenericKubernetesResource app) {
    String state = state(app);
    return switch (state) {
      case "COMPLETED" -> Stage.COMPLETED;
      case "RUNNING", "SUCCEEDING" -> Stage.RUNNING;
      case "FAILED" -> exhausted(app, "executionAttempts", "onFailureRetries");
      case "SUBMISSION_FAILED" ->
          exhausted(app, "submissionAttempts", "onSubmissionFailureRetries");
      default -> Stage.WAITING;
    };
  }

  private static Stage exhausted(GenericKubernetesResource app, String attempts, String retries) {
    long tried = Math.max(1, number(path(app, attempts)));
    Object allowed = specPath(app, "restartPolicy", retries);
    Object type = specPath(app, "restartPolicy", "type");
    boolean retrying = "OnFailure".equals(type) || "Always".equals(type);
    return retrying && tried <= number(allowed) ? Stage.WAITING : Stage.FAILED;
  }

  private static long number(Object o) {
    return o instanceof Number n ? n.longValue() : 0;
  }

  private static Object path(GenericKubernetesResource app, String... keys) {
    return walk(app.getAdditionalProperties().get("status"), keys);
  }

  private static Object specPath(GenericKubernetesResource app, String... keys) {
    return walk(app.getAdditionalProperties().get("spec"), keys);
  }

  private static Object walk(Object node, String... keys) {
    Object o = node;
    for (String k : keys) {
      if (!(o instanceof Map<?, ?> m)) {
        return null;
      }
      o = m.get(k);
    }
    return o;
  }
}
