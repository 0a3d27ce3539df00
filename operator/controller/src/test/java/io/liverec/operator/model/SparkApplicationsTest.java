package io.liverec.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.liverec.api.run.SparkSamplingArgs;
import io.liverec.api.v1alpha1.DataSpec;
import io.liverec.api.v1alpha1.TrainingRun;
import io.liverec.operator.Fixtures;
import io.liverec.operator.model.SparkApplications.Stage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** TrainingRun → SparkApplication and SparkApplication status → stage, without a server. */
class SparkApplicationsTest {

  private static TrainingRun sparkRun() {
    TrainingRun run = Fixtures.trainingRun("ns", "ranker");
    run.getMetadata().setGeneration(3L);
    run.getMetadata().setUid("uid-1");
    run.getSpec().data.engine = DataSpec.Engine.SPARK;
    run.getSpec().resources.spark.executor.instances = 6;
    run.getSpec().resources.spark.executor.memory = "6g";
    run.getSpec().resources.spark.driver.cores = 2;
    run.getSpec().resources.backoffLimit = 3;
    return run;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> spec(GenericKubernetesResource app) {
    return (Map<String, Object>) app.getAdditionalProperties().get("spec");
  }

  @Test
  void theApplicationWritesIntoTheTrainersRunDirectoryWithTheSpecsRulesAndResources() {
    TrainingRun run = sparkRun();
    var registry =
        TrainerFeatureRegistry.of(Map.of("LIVEREC_FEAST_REPO", "/var/lib/feast"), "feast-claim");
    GenericKubernetesResource app =
        SparkApplications.application(run, "spark:1", "spark-sa", "runs-claim", registry);
    Map<String, Object> spec = spec(app);

    assertThat(app.getApiVersion()).isEqualTo("sparkoperator.k8s.io/v1beta2");
    assertThat(app.getKind()).isEqualTo("SparkApplication");
    assertThat(app.getMetadata().getName()).isEqualTo("ranker-g3-spark");
    assertThat(app.getMetadata().getLabels())
        .containsEntry(TrainingJobs.LABEL_RUN, "ranker")
        .containsEntry(TrainingJobs.LABEL_GENERATION, "3");
    assertThat(app.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.getKind()).isEqualTo("TrainingRun");
              assertThat(o.getUid()).isEqualTo("uid-1");
              assertThat(o.getController()).isTrue();
            });
    assertThat(spec)
        .containsEntry("image", "spark:1")
        .containsEntry("mainClass", SparkSamplingArgs.MAIN_CLASS);
    // the trainer's run directory: --work-dir of its Job plus the run's name
    String out = "file://" + TrainingJobs.workDir(run) + "/ranker";
    assertThat(SparkApplications.output(run)).isEqualTo(out);
    assertThat(out).isEqualTo("file:///var/lib/liverec/runs/ns/ranker-g3/ranker");
    assertThat(spec.get("arguments"))
        .isEqualTo(SparkSamplingArgs.of(run.getSpec().data, "s3://liverec-data/events", out));
    assertThat(spec.get("restartPolicy"))
        .isEqualTo(
            Map.of(
                "type", "OnFailure",
                "onFailureRetries", 3,
                "onFailureRetryInterval", 30,
                "onSubmissionFailureRetries", 3,
                "onSubmissionFailureRetryInterval", 30));
    @SuppressWarnings("unchecked")
    Map<String, Object> driver = (Map<String, Object>) spec.get("driver");
    @SuppressWarnings("unchecked")
    Map<String, Object> executor = (Map<String, Object>) spec.get("executor");
    assertThat(driver)
        .containsEntry("cores", 2)
        .containsEntry("memory", "2g")
        .containsEntry("serviceAccount", "spark-sa");
    assertThat(executor)
        .containsEntry("instances", 6)
        .containsEntry("cores", 1)
        .containsEntry("memory", "6g");
    assertThat(spec.get("volumes").toString()).contains("runs-claim", "feast-claim");
    assertThat(driver.get("volumeMounts").toString())
        .contains("/var/lib/liverec/runs", "/var/lib/feast");
    assertThat(executor.get("volumeMounts").toString())
        .contains("/var/lib/liverec/runs")
        .doesNotContain("/var/lib/feast");
    assertThat(driver.get("env").toString()).contains("LIVEREC_FEAST_REPO", "/var/lib/feast");
  }

  @Test
  void aNewGenerationIsANewApplication() {
    TrainingRun run = sparkRun();
    run.getMetadata().setGeneration(4L);
    var app = SparkApplications.application(run, "i", "sa", "c", TrainerFeatureRegistry.NONE);
    assertThat(app.getMetadata().getName()).isEqualTo("ranker-g4-spark");
    assertThat(spec(app).get("volumes").toString()).doesNotContain("feature-registry");
  }

  private static GenericKubernetesResource withStatus(
      String state, String attemptsField, int attempts, int retries) {
    TrainingRun run = sparkRun();
    run.getSpec().resources.backoffLimit = retries;
    var app = SparkApplications.application(run, "i", "sa", "c", TrainerFeatureRegistry.NONE);
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("applicationState", Map.of("state", state, "errorMessage", "driver OOMKilled"));
    if (attemptsField != null) {
      status.put(attemptsField, attempts);
    }
    app.setAdditionalProperty("status", status);
    return app;
  }

  @Test
  void failuresAreFinalOnlyOnceTheSparkOperatorsRetriesAreSpent() {
    assertThat(SparkApplications.stage(withStatus("FAILED", "executionAttempts", 1, 1)))
        .isEqualTo(Stage.WAITING);
    assertThat(SparkApplications.stage(withStatus("FAILED", "executionAttempts", 2, 1)))
        .isEqualTo(Stage.FAILED);
    assertThat(SparkApplications.stage(withStatus("FAILED", null, 0, 0))).isEqualTo(Stage.FAILED);
    assertThat(SparkApplications.stage(withStatus("SUBMISSION_FAILED", "submissionAttempts", 1, 2)))
        .isEqualTo(Stage.WAITING);
    assertThat(SparkApplications.stage(withStatus("SUBMISSION_FAILED", "submissionAttempts", 3, 2)))
        .isEqualTo(Stage.FAILED);
    assertThat(SparkApplications.errorMessage(withStatus("FAILED", null, 0, 0)))
        .isEqualTo("driver OOMKilled");
  }

  @Test
  void statesBeforeTheEndWaitAndCompletedCompletes() {
    List<String> waiting =
        new ArrayList<>(
            List.of("SUBMITTED", "PENDING_RERUN", "INVALIDATING", "FAILING", "UNKNOWN"));
    for (String s : waiting) {
      assertThat(SparkApplications.stage(withStatus(s, null, 0, 1))).as(s).isEqualTo(Stage.WAITING);
    }
    var fresh =
        SparkApplications.application(sparkRun(), "i", "sa", "c", TrainerFeatureRegistry.NONE);
    assertThat(SparkApplications.state(fresh)).isEmpty();
    assertThat(SparkApplications.stage(fresh)).isEqualTo(Stage.WAITING);
    assertThat(SparkApplications.stage(withStatus("RUNNING", null, 0, 1))).isEqualTo(Stage.RUNNING);
    assertThat(SparkApplications.stage(withStatus("COMPLETED", null, 0, 1)))
        .isEqualTo(Stage.COMPLETED);
  }
}
