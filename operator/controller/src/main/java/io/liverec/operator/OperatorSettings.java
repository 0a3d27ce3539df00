package io.liverec.operator;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/** Operator configuration ({@code liverec.operator.*} in application.properties or env). */
@ConfigMapping(prefix = "liverec.operator")
public interface OperatorSettings {
  /** Image of the trainer Jobs (built by operator/cli with Jib). */
  @WithDefault("ghcr.io/liverec/liverec-trainer:latest")
  String trainerImage();

  /**
   * Image of the trainer Jobs of runs with {@code spec.resources.gpu > 0}: the same CLI on
   * TensorFlow's CUDA native library (built by operator/trainer-gpu).
   */
  @WithDefault("ghcr.io/liverec/liverec-trainer-gpu:latest")
  String trainerGpuImage();

  /** Service account the trainer pods run as. */
  @WithDefault("liverec-trainer")
  String trainerServiceAccount();

  /**
   * Longest wait between two looks at a scheduled TrainingRun (it is also looked at when its next
   * time comes): how soon its status shows a child that finished.
   */
  @WithDefault("60s")
  java.time.Duration schedulePoll();

  /**
   * Image of the SparkApplications that sample and join first for TrainingRuns with {@code
   * spec.data.engine: spark} (Spark plus LiveRec's jars under {@code /opt/liverec/lib}).
   */
  @WithDefault("ghcr.io/liverec/liverec-spark:latest")
  String sparkImage();

  /** Service account of those applications' drivers (they create their executor pods). */
  @WithDefault("liverec-spark")
  String sparkServiceAccount();

  /**
   * How often a TrainingRun waiting for its SparkApplication looks at its state (SparkApplications
   * are read, not watched: the operator must run where the Spark operator's CRD is absent).
   */
  @WithDefault("15s")
  java.time.Duration sparkPoll();

  /** Image of the materialization CronJobs (the same CLI image by default). */
  @WithDefault("ghcr.io/liverec/liverec-trainer:latest")
  String materializerImage();

  /** Directory of the local-file feature registry; absent = in memory. */
  Optional<String> registryDir();

  /**
   * PersistentVolumeClaim holding the feature registry the operator is configured with ({@code
   * LIVEREC_FEAST_REPO} or {@code LIVEREC_FEATURE_REGISTRY_DIR}), mounted at that path in trainer
   * pods, which get the same variables and resolve {@code spec.data.featureViews} there; absent =
   * only the variables are passed.
   */
  Optional<String> featureRegistryClaim();

  /**
   * MLflow tracking server whose model registry holds the {@code champion} alias that follows
   * ModelVersion promotions and rollbacks; absent = aliases are not kept.
   */
  Optional<String> mlflowTrackingUri();

  /**
   * PersistentVolumeClaim (in each TrainingRun's namespace) for the trainers' run directories, so a
   * run recorded while MLflow was unreachable survives its pod for {@code liverec sync}; absent =
   * an emptyDir.
   */
  Optional<String> runsClaim();

  /**
   * Triton's gRPC endpoint ({@code host:port}, e.g. the {@code liverec-triton} Service); absent =
   * ModelVersions load into the operator's own in-process server (the embedded mode). When set,
   * {@link #tritonRepository()} must be set too.
   */
  Optional<String> tritonGrpc();

  /**
   * The model repository Triton serves from, as mounted in the operator's pod (the same
   * PersistentVolumeClaim Triton mounts); versions are published here before they are loaded.
   */
  Optional<String> tritonRepository();

  /**
   * Triton backend that runs the exported ONNX: {@code onnxruntime} (Triton's NGC images) or {@code
   * python} (the same ONNX under the Python backend, for servers without onnxruntime).
   */
  @WithDefault("onnxruntime")
  String tritonBackend();

  /** Model instances on GPUs ({@code KIND_GPU}); the GPU overlay of manifests/ sets it. */
  @WithDefault("false")
  boolean tritonGpu();

  /** Where {@code models:/} sources are downloaded before publishing; absent = a temp dir. */
  Optional<String> modelCache();

  /**
   * The gateways whose canary outcomes the rollout analysis reads ({@code GET
   * /v1/canary/outcomes}), comma-separated base URLs; each host is resolved to all its addresses (a
   * headless Service: one per replica) and the replicas' counts are summed. Set = the cluster mode:
   * ModelVersions are judged by {@code OutcomeAnalysis} on these outcomes and routed by their
   * status (the gateways watch it); absent = the in-process router and observed-metrics analysis of
   * the embedded mode.
   */
  Optional<String> gatewayUrl();

  /** How long one gateway may take to answer an outcomes request before the run is inconclusive. */
  @WithDefault("5s")
  java.time.Duration gatewayTimeout();

  /** False-positive rate of each canary's sequential test (mSPRT). */
  @WithDefault("0.05")
  double canaryAlpha();

  /**
   * Mixture scale of the sequential test: about the smallest absolute rate change worth catching.
   */
  @WithDefault("0.01")
  double canaryTau();

  /** Events (both arms together) before a sequential test may decide. */
  @WithDefault("200")
  long canaryBurnIn();

  /**
   * Grace period after a promotion before the version that served until then is unloaded from the
   * inference server ({@code status.retiredVersion}): gateways whose watch is behind and requests
   * in flight still reach it meanwhile.
   */
  @WithDefault("5m")
  java.time.Duration retireAfter();
}
