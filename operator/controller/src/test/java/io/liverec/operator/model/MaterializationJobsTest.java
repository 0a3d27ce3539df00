package io.liverec.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobStatusBuilder;
import io.liverec.api.v1alpha1.Conditions;
import io.liverec.api.v1alpha1.FeatureView;
import io.liverec.api.v1alpha1.FeatureViewStatus;
import io.liverec.operator.Fixtures;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** FeatureView → CronJob → status, without a server. */
class MaterializationJobsTest {
  static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void cronJobCarriesTheScheduleTheViewAndTheOwner() {
    FeatureView view = Fixtures.featureView("ns", "user-profile");
    view.getMetadata().setUid("u-1");
    CronJob cron = MaterializationJobs.cronJob(view, "img:1", "sa");
    assertThat(cron.getMetadata().getName()).isEqualTo("user-profile-materialize");
    assertThat(cron.getMetadata().getLabels())
        .containsEntry(MaterializationJobs.LABEL_VIEW, "user-profile");
    assertThat(cron.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(o -> assertThat(o.getUid()).isEqualTo("u-1"));
    assertThat(cron.getSpec().getSchedule()).isEqualTo("*/10 * * * *");
    var container = cron.getSpec().getJobTemplate().getSpec().getTemplate().getSpec();
    assertThat(container.getContainers().get(0).getArgs())
        .containsExactly("materialize", "--feature-view", "user-profile");
    assertThat(container.getContainers().get(0).getEnv().get(0).getValue()).contains("gift_7d");
  }

  @Test
  void materializationPodsGetTheOperatorsRegistryAndItsClaim() {
    TrainerFeatureRegistry registry =
        TrainerFeatureRegistry.of(
            java.util.Map.of(
                "LIVEREC_FEATURE_REGISTRY", "feast",
                "LIVEREC_FEAST_REPO", "/var/lib/liverec/feast",
                "HOME", "/home/op"),
            "liverec-feast");
    var pod =
        MaterializationJobs.cronJob(Fixtures.featureView("ns", "v"), "img:1", "sa", registry)
            .getSpec()
            .getJobTemplate()
            .getSpec()
            .getTemplate()
            .getSpec();
    var c = pod.getContainers().get(0);
    assertThat(c.getEnv())
        .extracting(e -> e.getName() + "=" + e.getValue())
        .contains("LIVEREC_FEATURE_REGISTRY=feast", "LIVEREC_FEAST_REPO=/var/lib/liverec/feast")
        .noneMatch(e -> e.startsWith("HOME="));
    assertThat(c.getVolumeMounts())
        .singleElement()
        .satisfies(m -> assertThat(m.getMountPath()).isEqualTo("/var/lib/liverec/feast"));
    assertThat(pod.getVolumes())
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.getName()).isEqualTo(c.getVolumeMounts().get(0).getName());
              assertThat(v.getPersistentVolumeClaim().getClaimName()).isEqualTo("liverec-feast");
            });
    // without a configured registry: no variables beyond the view, no volume
    var plain =
        MaterializationJobs.cronJob(Fixtures.featureView("ns", "v"), "img:1", "sa")
            .getSpec()
            .getJobTemplate()
            .getSpec()
            .getTemplate()
            .getSpec();
    assertThat(plain.getContainers().get(0).getEnv()).hasSize(1);
    assertThat(plain.getVolumes()).isEmpty();
  }

  @Test
  void materializationPodsRunRestrictedLikeTrainerPods() {
    var pod =
        MaterializationJobs.cronJob(Fixtures.featureView("ns", "v"), "img:1", "sa")
            .getSpec()
            .getJobTemplate()
            .getSpec()
            .getTemplate()
            .getSpec();
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    var c = pod.getContainers().get(0).getSecurityContext();
    assertThat(c.getAllowPrivilegeEscalation()).isFalse();
    assertThat(c.getCapabilities().getDrop()).containsExactly("ALL");
  }

  @Test
  void onlyFieldsTheOperatorSetsCountAsDrift() {
    FeatureView view = Fixtures.featureView("ns", "v");
    CronJob desired = MaterializationJobs.cronJob(view, "img:1", "sa");
    CronJob defaulted =
        new CronJobBuilder(desired)
            .editSpec()
            .withSuspend(false)
            .withTimeZone("UTC")
            .endSpec()
            .build();
    assertThat(MaterializationJobs.sameOwnedFields(defaulted, desired)).isTrue();

    view.getSpec().materialization.schedule = "0 * * * *";
    assertThat(MaterializationJobs.sameOwnedFields(defaulted, cron(view, "img:1"))).isFalse();
    assertThat(
            MaterializationJobs.sameOwnedFields(
                desired,
                MaterializationJobs.cronJob(Fixtures.featureView("ns", "v"), "img:2", "sa")))
        .as("a new materializer image")
        .isFalse();
    CronJob noEnv =
        new CronJobBuilder(desired)
            .editSpec()
            .editJobTemplate()
            .editSpec()
            .editTemplate()
            .editSpec()
            .editFirstContainer()
            .withEnv()
            .endContainer()
            .endSpec()
            .endTemplate()
            .endSpec()
            .endJobTemplate()
            .endSpec()
            .build();
    assertThat(MaterializationJobs.sameOwnedFields(noEnv, desired)).as("env removed").isFalse();
  }

  @Test
  void statusSaysScheduledOrOnDemandAndKeepsTheLastMaterialization() {
    FeatureView view = Fixtures.featureView("ns", "v");
    FeatureViewStatus st = new FeatureViewStatus();
    CronJob cron =
        new CronJobBuilder(cron(view, "img"))
            .withStatus(
                new CronJobStatusBuilder().withLastSuccessfulTime("2026-01-01T00:10:00Z").build())
            .build();
    FeatureViewProgress.scheduled(st, 2, cron, 3, NOW);
    assertThat(st.phase).isEqualTo("Ready");
    assertThat(st.registryVersion).isEqualTo(2L);
    assertThat(st.cronJobName).isEqualTo("v-materialize");
    assertThat(st.lastMaterialized).isEqualTo("2026-01-01T00:10:00Z");
    assertThat(Conditions.find(st.conditions, Conditions.READY).message)
        .isEqualTo("registered (version 2), materialized on '*/10 * * * *'");

    FeatureViewProgress.scheduled(st, 2, cron(view, "img"), 3, NOW);
    assertThat(st.lastMaterialized)
        .as("a CronJob without status keeps it")
        .isEqualTo("2026-01-01T00:10:00Z");

    FeatureViewProgress.onDemand(st, 3, 4, NOW);
    assertThat(st.phase).isEqualTo("Registered");
    assertThat(st.cronJobName).isNull();
    assertThat(Conditions.find(st.conditions, Conditions.READY).reason).isEqualTo("Registered");

    FeatureViewProgress.registryFailed(st, "registry down", 5, NOW);
    assertThat(st.phase).isEqualTo("Failed");
    assertThat(Conditions.isTrue(st.conditions, Conditions.READY)).isFalse();
    assertThat(st.registryVersion).as("the last registration stays").isEqualTo(3L);
  }

  private static CronJob cron(FeatureView view, String image) {
    return MaterializationJobs.cronJob(view, image, "sa");
  }
}
