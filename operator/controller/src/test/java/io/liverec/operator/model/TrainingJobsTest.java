package io.liverec.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.liverec.api.v1alpha1.TrainingRun;
import io.liverec.operator.Fixtures;
import io.liverec.operator.model.TrainingJobs.Phase;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Pure model → objects tests: no server. */
class TrainingJobsTest {

  @Test
  void namesAreDeterministicPerGenerationAndFitLabelValues() {
    assertThat(TrainingJobs.jobName("ranker", 3)).isEqualTo("ranker-g3");
    String longName = "a-very-long-training-run-name-that-goes-on-and-on-and-on-for-ever";
    String a = TrainingJobs.jobName(longName, 12);
    assertThat(a)
        .hasSizeLessThanOrEqualTo(63)
        .endsWith("-g12")
        .isEqualTo(TrainingJobs.jobName(longName, 12));
    assertThat(a).isNotEqualTo(TrainingJobs.jobName(longName + "x", 12));
  }

  @Test
  void cpuOnlyRunHasNoGpuLimitOrToleration() {
    TrainingRun run = Fixtures.trainingRun("ns", "cpu-run");
    run.getMetadata().setGeneration(4L);
    run.getSpec().resources.gpu = 0;
    run.getSpec().resources.deadlineSeconds = null;
    Job job = TrainingJobs.job(run, "img:1", "sa");
    var pod = job.getSpec().getTemplate().getSpec();
    assertThat(job.getMetadata().getName()).isEqualTo("cpu-run-g4");
    assertThat(job.getMetadata().getLabels()).containsEntry(TrainingJobs.LABEL_GENERATION, "4");
    assertThat(pod.getContainers().get(0).getResources().getLimits())
        .containsOnlyKeys("cpu", "memory");
    assertThat(pod.getTolerations()).isEmpty();
    assertThat(job.getSpec().getActiveDeadlineSeconds()).isNull();
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getVolumes().get(0).getConfigMap().getName())
        .isEqualTo(TrainingJobs.specConfigMap(run).getMetadata().getName());
  }

  @Test
  void runsAskingForGpusGetTheGpuTrainerImage() {
    TrainingRun run = Fixtures.trainingRun("ns", "gpu-run");
    run.getSpec().resources.gpu = 0;
    assertThat(TrainingJobs.trainerImage(run, "trainer:1", "trainer-gpu:1")).isEqualTo("trainer:1");
    run.getSpec().resources.gpu = null;
    assertThat(TrainingJobs.trainerImage(run, "trainer:1", "trainer-gpu:1")).isEqualTo("trainer:1");
    run.getSpec().resources = null;
    assertThat(TrainingJobs.trainerImage(run, "trainer:1", "trainer-gpu:1")).isEqualTo("trainer:1");

    run = Fixtures.trainingRun("ns", "gpu-run");
    run.getSpec().resources.gpu = 2;
    String image = TrainingJobs.trainerImage(run, "trainer:1", "trainer-gpu:1");
    assertThat(image).isEqualTo("trainer-gpu:1");
    var c = TrainingJobs.job(run, image, "sa").getSpec().getTemplate().getSpec().getContainers();
    assertThat(c.get(0).getImage()).isEqualTo("trainer-gpu:1");
    assertThat(c.get(0).getResources().getLimits().get(TrainingJobs.GPU).getAmount())
        .isEqualTo("2");
  }

  @Test
  void trackingServerAndPersistentRunsReachTheTrainerPod() {
    TrainingRun run = Fixtures.trainingRun("ml", "tracked");
    run.getMetadata().setGeneration(2L);
    var pod =
        TrainingJobs.job(
                run,
                "img:1",
                "sa",
                "http://mlflow.ml:5000",
                "liverec-runs",
                TrainerFeatureRegistry.NONE)
            .getSpec()
            .getTemplate()
            .getSpec();
    var c = pod.getContainers().get(0);
    assertThat(c.getEnv())
        .anySatisfy(
            e -> {
              assertThat(e.getName()).isEqualTo("MLFLOW_TRACKING_URI");
              assertThat(e.getValue()).isEqualTo("http://mlflow.ml:5000");
            });
    assertThat(c.getArgs())
        .containsSequence("--work-dir", TrainingJobs.RUNS_DIR + "/ml/tracked-g2");
    assertThat(pod.getVolumes())
        .filteredOn(v -> v.getName().equals("runs"))
        .singleElement()
        .extracting(v -> v.getPersistentVolumeClaim().getClaimName())
        .isEqualTo("liverec-runs");

    var plain = TrainingJobs.job(run, "img:1", "sa").getSpec().getTemplate().getSpec();
    assertThat(plain.getContainers().get(0).getEnv())
        .noneMatch(e -> e.getName().equals("MLFLOW_TRACKING_URI"));
    assertThat(plain.getVolumes())
        .filteredOn(v -> v.getName().equals("runs"))
        .singleElement()
        .extracting(v -> v.getEmptyDir())
        .isNotNull();
  }

  @Test
  void jobStatusMapsToPhases() {
    Job job = new Job();
    assertThat(TrainingJobs.phaseOf(null)).isEqualTo(Phase.Pending);
    assertThat(TrainingJobs.phaseOf(job)).isEqualTo(Phase.Pending);
    job.setStatus(new JobStatusBuilder().withActive(1).build());
    assertThat(TrainingJobs.phaseOf(job)).isEqualTo(Phase.Running);
    job.setStatus(new JobStatusBuilder().withFailed(1).withActive(1).build());
    assertThat(TrainingJobs.phaseOf(job)).as("a retry is still running").isEqualTo(Phase.Running);
    job.setStatus(
        new JobStatusBuilder()
            .withConditions(
                new JobConditionBuilder()
                    .withType("Failed")
                    .withStatus("True")
                    .withReason("DeadlineExceeded")
                    .build())
            .build());
    assertThat(TrainingJobs.phaseOf(job)).isEqualTo(Phase.Failed);
    assertThat(TrainingJobs.failureOf(job)).startsWith("DeadlineExceeded");
    job.setStatus(new JobStatusBuilder().withSucceeded(1).build());
    assertThat(TrainingJobs.phaseOf(job)).isEqualTo(Phase.Succeeded);
  }

  @Test
  void theTrainerGetsTheOperatorsFeatureRegistry() {
    TrainingRun run = Fixtures.trainingRun("ml", "featured");
    var features =
        TrainerFeatureRegistry.of(
            Map.of(
                "LIVEREC_FEATURE_REGISTRY", "feast",
                "LIVEREC_FEAST_REPO", "/var/lib/liverec/feast",
                "HOME", "/root"),
            "liverec-feast");
    var pod =
        TrainingJobs.job(run, "img:1", "sa", null, null, features)
            .getSpec()
            .getTemplate()
            .getSpec();
    var c = pod.getContainers().get(0);
    assertThat(c.getEnv())
        .extracting(e -> e.getName() + "=" + e.getValue())
        .contains("LIVEREC_FEATURE_REGISTRY=feast", "LIVEREC_FEAST_REPO=/var/lib/liverec/feast")
        .noneMatch(e -> e.startsWith("HOME="));
    assertThat(c.getVolumeMounts())
        .filteredOn(m -> m.getMountPath().equals("/var/lib/liverec/feast"))
        .singleElement()
        .extracting(m -> m.getName())
        .isEqualTo("feature-registry");
    assertThat(pod.getVolumes())
        .filteredOn(v -> v.getName().equals("feature-registry"))
        .singleElement()
        .extracting(v -> v.getPersistentVolumeClaim().getClaimName())
        .isEqualTo("liverec-feast");
    // without a claim only the variables pass; without variables, nothing changes
    var noClaim = TrainerFeatureRegistry.of(Map.of("LIVEREC_FEAST_REPO", "/r"), null);
    assertThat(
            TrainingJobs.job(run, "img:1", "sa", null, null, noClaim)
                .getSpec()
                .getTemplate()
                .getSpec()
                .getVolumes())
        .noneMatch(v -> v.getName().equals("feature-registry"));
    assertThat(
            TrainingJobs.job(run, "img:1", "sa").getSpec().getTemplate().getSpec().getContainers())
        .singleElement()
        .satisfies(
            x -> assertThat(x.getEnv()).noneMatch(e -> e.getName().startsWith("LIVEREC_FEAST")));
  }
}
