package io.liverec.api.validation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.liverec.api.v1alpha1.ModelVersion;
import io.liverec.api.v1alpha1.TrainingRun;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Invalid custom resources, each rejected by the generated CRD's schema or CEL rules (or the Java
 * rules) with a violation that names the field. The valid bases pass, so each rejection is caused
 * by its one mutation.
 */
class CustomResourceValidatorTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  static final String TRAINING_RUN =
      """
      apiVersion: liverec.io/v1alpha1
      kind: TrainingRun
      metadata: {name: ranker}
      spec:
        task: ranking
        data: {events: file:///data/events, from: "2026-11-01", to: "2026-11-07"}
        model:
          interactions: [kfm, cross]
          multitask: {tasks: [ctr, cvr], structure: esmm, gradientSurgery: pcgrad}
        training: {epochs: 2, batchSize: 512, learningRate: 0.01}
        resources: {cpu: "2", memory: 4Gi, gpu: 0}
        gates: [{metric: ctcvr_auc, min: 0.7}]
      """;

  static final String FEATURE_VIEW =
      """
      apiVersion: liverec.io/v1alpha1
      kind: FeatureView
      metadata: {name: user-profile}
      spec:
        entities: [{name: user_id, type: INT64}]
        features: [{name: gift_7d, type: DOUBLE}, {name: age_bucket, type: INT32}]
        source: {uri: file:///data/features/user, timestampField: event_ts}
        ttl: 24h
        materialization: {schedule: "*/10 * * * *"}
      """;

  static final String MODEL_VERSION =
      """
      apiVersion: liverec.io/v1alpha1
      kind: ModelVersion
      metadata: {name: ranker-v7}
      spec:
        model: live-ranker
        version: 7
        source: {mlflow: "models:/live-ranker/7"}
        rollout:
          steps: [{weight: 5, pause: 10m}, {weight: 50}, {weight: 100}]
          analysis:
            interval: 1m
            failureLimit: 1
            metrics: [{name: p99LatencyMs, max: 15}, {name: ctrLift, min: -0.01, test: sequential}]
      """;

  static Stream<Arguments> invalid() {
    return Stream.of(
        // --- schema: required, enum, range, pattern, size ---
        bad(
            "TrainingRun without data.events",
            TRAINING_RUN,
            cr -> obj(cr, "spec", "data").remove("events"),
            "spec.data.events",
            "required"),
        bad(
            "TrainingRun with an unknown task",
            TRAINING_RUN,
            cr -> obj(cr, "spec").put("task", "regression"),
            "spec.task",
            "enum"),
        bad(
            "TrainingRun with 0 epochs",
            TRAINING_RUN,
            cr -> obj(cr, "spec", "training").put("epochs", 0),
            "spec.training.epochs",
            "minimum"),
        bad(
            "TrainingRun with a negative learning rate",
            TRAINING_RUN,
            cr -> obj(cr, "spec", "training").put("learningRate", -0.1),
            "spec.training.learningRate",
            "minimum"),
        bad(
            "TrainingRun with a malformed memory quantity",
            TRAINING_RUN,
            cr -> obj(cr, "spec", "resources").put("memory", "lots"),
            "spec.resources.memory",
            "pattern"),
        bad(
            "TrainingRun with a Kubernetes quantity as Spark executor memory",
            TRAINING_RUN,
            cr ->
                obj(cr, "spec", "resources")
                    .putObject("spark")
                    .putObject("executor")
                    .put("memory", "4Gi"),
            "spec.resources.spark.executor.memory",
            "pattern"),
        bad(
            "TrainingRun with no Spark executors",
            TRAINING_RUN,
            cr ->
                obj(cr, "spec", "resources")
                    .putObject("spark")
                    .putObject("executor")
                    .put("instances", 0),
            "spec.resources.spark.executor.instances",
            "minimum"),
        bad(
            "TrainingRun asking for 64 GPUs",
            TRAINING_RUN,
            cr -> obj(cr, "spec", "resources").put("gpu", 64),
            "spec.resources.gpu",
            "maximum"),
        bad(
            "TrainingRun with a typo'd field",
            TRAINING_RUN,
            cr -> obj(cr, "spec", "model", "multitask").put("gradientSurgry", "pcgrad"),
            "spec.model.multitask.gradientSurgry",
            "unknown field"),
        bad(
            "TrainingRun with an unknown cross-layer form",
            TRAINING_RUN,
            cr -> obj(cr, "spec", "model").put("crossForm", "tensor"),
            "spec.model.crossForm",
            "pattern"),
        bad(
            "TrainingRun with an unknown sampling strategy",
            TRAINING_RUN,
            cr -> obj(cr, "spec", "data").putObject("sampling").put("strategy", "random"),
            "spec.data.sampling.strategy",
            "enum"),
        bad(
            "TrainingRun with an unknown point-in-time join engine",
            TRAINING_RUN,
            cr -> obj(cr, "spec", "data").put("engine", "flink"),
            "spec.data.engine",
            "enum"),
        // --- CEL rules ---
        bad(
            "PCGrad with one task",
            TRAINING_RUN,
            cr -> {
              ObjectNode mt = obj(cr, "spec", "model", "multitask");
              mt.put("structure", "independent");
              mt.putArray("tasks").add("ctr");
            },
            "spec.model.multitask.gradientSurgery",
            "pcgrad needs at least 2 tasks"),
        bad(
            "a PCGrad scope without PCGrad",
            TRAINING_RUN,
            cr -> {
              ObjectNode mt = obj(cr, "spec", "model", "multitask");
              mt.put("gradientSurgery", "none");
              mt.put("pcgradScope", "row");
            },
            "spec.model.multitask.pcgradScope",
            "pcgradScope needs gradientSurgery pcgrad"),
        bad(
            "an unknown PCGrad scope",
            TRAINING_RUN,
            cr -> obj(cr, "spec", "model", "multitask").put("pcgradScope", "batch"),
            "spec.model.multitask.pcgradScope",
            "pattern"),
        bad(
            "ESMM without the cvr task",
            TRAINING_RUN,
            cr -> {
              ObjectNode mt = obj(cr, "spec", "model", "multitask");
              mt.put("gradientSurgery", "none");
              mt.putArray("tasks").add("ctr").add("gift");
            },
            "spec.model.multitask.structure",
            "esmm needs the tasks ctr and cvr"),
        bad(
            "an unknown interaction layer",
            TRAINING_RUN,
            cr -> ((ArrayNode) obj(cr, "spec", "model").get("interactions")).add("transformer"),
            "spec.model.interactions",
            "interactions must be among"),
        bad(
            "data.from after data.to",
            TRAINING_RUN,
            cr -> obj(cr, "spec", "data").put("from", "2026-12-01"),
            "spec.data.from",
            "must not be after"),
        bad(
            "a gate with min above max",
            TRAINING_RUN,
            cr -> ((ObjectNode) cr.path("spec").path("gates").get(0)).put("max", 0.5),
            "spec.gates[0].min",
            "must not exceed max"),
        bad(
            "a gate without bounds",
            TRAINING_RUN,
            cr -> ((ObjectNode) cr.path("spec").path("gates").get(0)).remove("min"),
            "spec.gates[0]",
            "needs min or max"),
        bad(
            "an analysis metric nobody measures",
            MODEL_VERSION,
            cr ->
                ((ObjectNode)
                        cr.path("spec").path("rollout").path("analysis").path("metrics").get(0))
                    .put("name", "p95LatencyMs"),
            "spec.rollout.analysis.metrics[0].name",
            "unknown analysis metric"),
        bad(
            "a sequential test of a latency",
            MODEL_VERSION,
            cr ->
                ((ObjectNode)
                        cr.path("spec").path("rollout").path("analysis").path("metrics").get(0))
                    .put("name", "p99LatencyMs")
                    .put("test", "sequential"),
            "spec.rollout.analysis.metrics[0].test",
            "sequential test needs an outcome lift"),
        bad(
            "canary weights not increasing",
            MODEL_VERSION,
            cr ->
                ((ObjectNode) cr.path("spec").path("rollout").path("steps").get(1))
                    .put("weight", 5),
            "spec.rollout.steps",
            "strictly increasing"),
        bad(
            "a canary weight above 100",
            MODEL_VERSION,
            cr ->
                ((ObjectNode) cr.path("spec").path("rollout").path("steps").get(2))
                    .put("weight", 150),
            "spec.rollout.steps[2].weight",
            "maximum"),
        bad(
            "both an MLflow and a URI source",
            MODEL_VERSION,
            cr -> obj(cr, "spec", "source").put("uri", "file:///models/ranker/7"),
            "spec.source",
            "exactly one of mlflow or uri"),
        bad(
            "an analysis metric without bounds",
            MODEL_VERSION,
            cr ->
                ((ObjectNode)
                        cr.path("spec").path("rollout").path("analysis").path("metrics").get(0))
                    .remove("max"),
            "spec.rollout.analysis.metrics[0]",
            "needs min or max"),
        bad(
            "an unknown analysis test",
            MODEL_VERSION,
            cr ->
                ((ObjectNode)
                        cr.path("spec").path("rollout").path("analysis").path("metrics").get(1))
                    .put("test", "bayesian"),
            "spec.rollout.analysis.metrics[1].test",
            "enum"),
        bad(
            "a malformed pause",
            MODEL_VERSION,
            cr ->
                ((ObjectNode) cr.path("spec").path("rollout").path("steps").get(0))
                    .put("pause", "ten minutes"),
            "spec.rollout.steps[0].pause",
            "pattern"),
        bad(
            "duplicate feature names",
            FEATURE_VIEW,
            cr ->
                ((ArrayNode) obj(cr, "spec").get("features"))
                    .addObject()
                    .put("name", "gift_7d")
                    .put("type", "INT64"),
            "spec.features",
            "feature names must be unique"),
        bad(
            "a feature named like the entity",
            FEATURE_VIEW,
            cr -> ((ObjectNode) cr.path("spec").path("features").get(0)).put("name", "user_id"),
            "spec.features",
            "name of an entity"),
        bad(
            "materialization of an offline-only view",
            FEATURE_VIEW,
            cr -> obj(cr, "spec").put("online", false),
            "spec.materialization",
            "needs online: true"),
        bad(
            "a view without entities",
            FEATURE_VIEW,
            cr -> obj(cr, "spec").putArray("entities"),
            "spec.entities",
            "at least 1"),
        bad(
            "an unknown value type",
            FEATURE_VIEW,
            cr -> ((ObjectNode) cr.path("spec").path("features").get(1)).put("type", "DECIMAL"),
            "spec.features[1].type",
            "enum"),
        // --- Java rules ---
        bad(
            "a cron minute out of range",
            FEATURE_VIEW,
            cr -> obj(cr, "spec", "materialization").put("schedule", "75 * * * *"),
            "spec.materialization.schedule",
            "minute field"),
        bad(
            "an MLflow URI naming another version",
            MODEL_VERSION,
            cr -> obj(cr, "spec", "source").put("mlflow", "models:/live-ranker/6"),
            "spec.source.mlflow",
            "different model version"),
        bad(
            "an impossible calendar day",
            TRAINING_RUN,
            cr -> obj(cr, "spec", "data").put("to", "2026-11-31").put("from", "2026-11-01"),
            "spec.data.to",
            "not a calendar day"),
        bad(
            "a schedule whose cron does not parse",
            TRAINING_RUN,
            cr -> scheduled(cr).put("cron", "0 25 * * *"),
            "spec.schedule.cron",
            "hour field"),
        bad(
            "a schedule in an unknown time zone",
            TRAINING_RUN,
            cr -> scheduled(cr).put("timeZone", "Mars/Olympus"),
            "spec.schedule.timeZone",
            "not a time zone"),
        bad(
            "a schedule whose window holds no day",
            TRAINING_RUN,
            cr -> ((ObjectNode) scheduled(cr).get("window")).put("days", 0),
            "spec.schedule.window.days",
            "minimum"),
        bad(
            "a schedule next to fixed data days",
            TRAINING_RUN,
            cr -> {
              scheduled(cr);
              obj(cr, "spec", "data").put("from", "2026-11-01");
            },
            "spec.data",
            "must be unset on a scheduled run"),
        bad(
            "a deploy without a registered model",
            TRAINING_RUN,
            cr -> deploying(cr, false),
            "spec.deploy",
            "deploy needs tracking.registeredModel"),
        bad(
            "a deploy whose canary weights do not increase",
            TRAINING_RUN,
            cr ->
                ((ObjectNode) deploying(cr, true).path("rollout").path("steps").get(1))
                    .put("weight", 5),
            "spec.deploy.rollout.steps",
            "strictly increasing"),
        bad(
            "a deploy step with a pause that is no duration",
            TRAINING_RUN,
            cr ->
                ((ObjectNode) deploying(cr, true).path("rollout").path("steps").get(0))
                    .put("pause", "soon"),
            "spec.deploy.rollout.steps[0].pause",
            "pattern"),
        bad(
            "a no-regression gate without a registered model",
            TRAINING_RUN,
            cr -> releaseGates(cr, false).putObject("noRegression").put("tolerance", 0.005),
            "spec.releaseGates.noRegression",
            "needs tracking.registeredModel"),
        bad(
            "a negative regression tolerance",
            TRAINING_RUN,
            cr -> releaseGates(cr, true).putObject("noRegression").put("tolerance", -0.01),
            "spec.releaseGates.noRegression.tolerance",
            "minimum"),
        bad(
            "a compared metric that is no metric name",
            TRAINING_RUN,
            cr ->
                releaseGates(cr, true)
                    .putObject("noRegression")
                    .putArray("metrics")
                    .add("ctcvr_auc")
                    .add("ctr auc!"),
            "spec.releaseGates.noRegression.metrics[1]",
            "not a metric name"),
        bad(
            "a negative parity bound",
            TRAINING_RUN,
            cr -> releaseGates(cr, true).put("maxParityError", -1e-4),
            "spec.releaseGates.maxParityError",
            "minimum"),
        bad(
            "a model size bound of 0 bytes",
            TRAINING_RUN,
            cr -> releaseGates(cr, true).put("maxModelBytes", 0),
            "spec.releaseGates.maxModelBytes",
            "minimum"),
        bad(
            "an upper-case resource name",
            MODEL_VERSION,
            cr -> obj(cr, "metadata").put("name", "Ranker_V7"),
            "metadata.name",
            "DNS subdomain"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void rejectsWithFieldPath(String what, JsonNode cr, String path, String message) {
    List<Violation> violations = CustomResourceValidator.validate(cr).violations();

    assertThat(violations).as(what).isNotEmpty();
    assertThat(violations)
        .as(what + ": " + violations)
        .anySatisfy(
            v -> {
              assertThat(v.path()).isEqualTo(path);
              assertThat(v.message()).containsIgnoringCase(message);
            });
  }

  @Test
  void validBasesPassAllChecks() throws Exception {
    for (String yaml : List.of(TRAINING_RUN, FEATURE_VIEW, MODEL_VERSION)) {
      CustomResourceValidator.Result r = CustomResourceValidator.validate(YAML.readTree(yaml));
      assertThat(r.violations()).as(yaml).isEmpty();
      assertThat(r.resource()).isNotNull();
    }
  }

  @Test
  void aPcGradScopeWithPcGradPasses() throws Exception {
    for (String scope : List.of("global", "variable", "row")) {
      ObjectNode cr = (ObjectNode) YAML.readTree(TRAINING_RUN);
      obj(cr, "spec", "model", "multitask").put("pcgradScope", scope);
      assertThat(CustomResourceValidator.validate(cr).violations()).as(scope).isEmpty();
    }
  }

  @Test
  void typedResourceIsValidatedWithItsDefaults() throws Exception {
    TrainingRun tr =
        (TrainingRun) CustomResourceValidator.validate(YAML.readTree(TRAINING_RUN)).resource();
    assertThat(CustomResourceValidator.validate(tr)).isEmpty();

    tr.getSpec().model.multitask.tasks = List.of("ctr");
    tr.getSpec().model.multitask.structure = "independent";
    assertThat(CustomResourceValidator.validate(tr))
        .extracting(Violation::path)
        .containsExactly("spec.model.multitask.gradientSurgery");
  }

  @Test
  void celRulesSeeSchemaTypedNumbers() throws Exception {
    // min given as an integer literal in YAML is a number (double) to CEL, as on the API server.
    ObjectNode cr = (ObjectNode) YAML.readTree(MODEL_VERSION);
    ((ObjectNode) cr.path("spec").path("rollout").path("analysis").path("metrics").get(1))
        .put("min", 0)
        .put("max", 1);
    assertThat(CustomResourceValidator.validate(cr).violations()).isEmpty();
    assertThat(CustomResourceValidator.typeOf("liverec.io/v1alpha1", "ModelVersion"))
        .contains(ModelVersion.class);
  }

  @Test
  void foreignKindIsRejectedNamingTheKind() throws Exception {
    ObjectNode cr = (ObjectNode) YAML.readTree(MODEL_VERSION);
    cr.put("kind", "Deployment");
    assertThat(CustomResourceValidator.validate(cr).violations())
        .singleElement()
        .satisfies(v -> assertThat(v.path()).isEqualTo("kind"));
  }

  private static Arguments bad(
      String what, String base, Consumer<ObjectNode> mutate, String path, String message) {
    try {
      ObjectNode cr = (ObjectNode) YAML.readTree(base);
      mutate.accept(cr);
      return Arguments.of(what, cr, path, message);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The base run given a valid deploy template (and a registered model when asked). */
  private static ObjectNode releaseGates(ObjectNode cr, boolean registered) {
    if (registered) {
      obj(cr, "spec").putObject("tracking").put("registeredModel", "live-ranker");
    }
    return obj(cr, "spec").putObject("releaseGates");
  }

  @Test
  void allReleaseGatesWithARegisteredModelPass() throws Exception {
    ObjectNode cr = (ObjectNode) YAML.readTree(TRAINING_RUN);
    ObjectNode gates = releaseGates(cr, true).put("maxParityError", 1e-4);
    gates.put("maxModelBytes", 64L << 20);
    gates.putObject("noRegression").put("tolerance", 0.005).putArray("metrics").add("ctcvr_auc");
    CustomResourceValidator.Result r = CustomResourceValidator.validate(cr);
    assertThat(r.violations()).isEmpty();
    TrainingRun tr = (TrainingRun) r.resource();
    assertThat(tr.getSpec().releaseGates.noRegression.against).isEqualTo("champion");
    assertThat(tr.getSpec().releaseGates.maxModelBytes).isEqualTo(64L << 20);
  }

  private static ObjectNode deploying(ObjectNode cr, boolean registered) {
    if (registered) {
      obj(cr, "spec").putObject("tracking").put("registeredModel", "live-ranker");
    }
    ObjectNode rollout = obj(cr, "spec").putObject("deploy").putObject("rollout");
    ArrayNode steps = rollout.putArray("steps");
    steps.addObject().put("weight", 10).put("pause", "10m");
    steps.addObject().put("weight", 100);
    rollout
        .putObject("analysis")
        .put("interval", "1m")
        .putArray("metrics")
        .addObject()
        .put("name", "errorRate")
        .put("max", 0.001);
    return (ObjectNode) obj(cr, "spec").get("deploy");
  }

  @Test
  void aDeployTemplateWithARegisteredModelPasses() throws Exception {
    ObjectNode cr = (ObjectNode) YAML.readTree(TRAINING_RUN);
    deploying(cr, true);
    assertThat(CustomResourceValidator.validate(cr).violations()).isEmpty();
  }

  /** The base run turned into a valid daily schedule (its fixed days removed). */
  private static ObjectNode scheduled(ObjectNode cr) {
    obj(cr, "spec", "data").remove(List.of("from", "to"));
    ObjectNode schedule = obj(cr, "spec").putObject("schedule");
    schedule.put("cron", "0 3 * * *");
    schedule.putObject("window").put("days", 7);
    return schedule;
  }

  @Test
  void aDailyScheduleWithAWindowPasses() throws Exception {
    ObjectNode cr = (ObjectNode) YAML.readTree(TRAINING_RUN);
    scheduled(cr).put("timeZone", "Asia/Shanghai").put("concurrencyPolicy", "Replace");
    assertThat(CustomResourceValidator.validate(cr).violations()).isEmpty();
  }

  private static ObjectNode obj(ObjectNode root, String... path) {
    ObjectNode n = root;
    for (String p : path) {
      n = (ObjectNode) n.get(p);
    }
    return n;
  }
}
