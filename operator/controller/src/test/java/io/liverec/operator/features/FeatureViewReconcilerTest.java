package io.liverec.operator.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.liverec.api.v1alpha1.Conditions;
import io.liverec.api.v1alpha1.FeatureView;
import io.liverec.api.v1alpha1.FeatureViewSpec;
import io.liverec.featurestore.FeatureRegistry;
import io.liverec.operator.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithKubernetesTestServer(crud = true)
class FeatureViewReconcilerTest {
  static final String NS = "features";
  static final Duration WAIT = Duration.ofSeconds(20);

  @Inject KubernetesClient client;
  @Inject FeatureRegistry registry;

  @Test
  void registersSchedulesUpdatesAndCleansUp() {
    client.resource(Fixtures.featureView(NS, "user-profile")).create();

    CronJob cron =
        await()
            .atMost(WAIT)
            .ignoreExceptions()
            .until(() -> cron("user-profile-materialize"), c -> c != null);
    assertThat(cron.getSpec().getSchedule()).isEqualTo("*/10 * * * *");
    assertThat(cron.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(o -> assertThat(o.getName()).isEqualTo("user-profile"));
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              FeatureView fv = get("user-profile");
              assertThat(fv.getStatus().phase).isEqualTo("Ready");
              assertThat(fv.getStatus().registryVersion).isEqualTo(1L);
              assertThat(fv.getStatus().cronJobName).isEqualTo("user-profile-materialize");
              assertThat(Conditions.isTrue(fv.getStatus().conditions, Conditions.READY)).isTrue();
            });
    assertThat(registry.get(NS, "user-profile"))
        .hasValueSatisfying(
            e -> assertThat(e.spec().features).extracting(f -> f.name).contains("gift_7d"));

    // a new feature and schedule -> registry version 2, CronJob updated
    client
        .resources(FeatureView.class)
        .inNamespace(NS)
        .withName("user-profile")
        .edit(
            fv -> {
              fv.getSpec()
                  .features
                  .add(new FeatureViewSpec.Field("flowers_7d", FeatureViewSpec.ValueType.DOUBLE));
              fv.getSpec().materialization.schedule = "0 * * * *";
              return fv;
            });
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              assertThat(get("user-profile").getStatus().registryVersion).isEqualTo(2L);
              assertThat(cron("user-profile-materialize").getSpec().getSchedule())
                  .isEqualTo("0 * * * *");
            });

    // no schedule -> CronJob removed, still registered
    client
        .resources(FeatureView.class)
        .inNamespace(NS)
        .withName("user-profile")
        .edit(
            fv -> {
              fv.getSpec().materialization = null;
              return fv;
            });
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              assertThat(cron("user-profile-materialize")).isNull();
              assertThat(get("user-profile").getStatus().phase).isEqualTo("Registered");
            });
    assertThat(Fixtures.eventReasons(client, NS, "user-profile"))
        .contains("Registered", "MaterializationScheduled", "MaterializationUnscheduled");

    // deletion -> unregistered (finalizer), resource gone
    client.resource(get("user-profile")).delete();
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              assertThat(get("user-profile")).isNull();
              assertThat(registry.get(NS, "user-profile")).isEmpty();
            });
  }

  @Test
  void invalidScheduleIsReportedWithItsFieldAndNotRegistered() {
    FeatureView fv = Fixtures.featureView(NS, "bad-view");
    fv.getSpec().materialization.schedule = "*/10 25 * * *";
    client.resource(fv).create();
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              FeatureView got = get("bad-view");
              assertThat(got.getStatus().phase).isEqualTo("Invalid");
              assertThat(Conditions.find(got.getStatus().conditions, Conditions.VALID).message)
                  .contains("spec.materialization.schedule")
                  .contains("hour field");
            });
    assertThat(registry.get(NS, "bad-view")).isEmpty();
    assertThat(cron("bad-view-materialize")).isNull();
  }

  private FeatureView get(String name) {
    return client.resources(FeatureView.class).inNamespace(NS).withName(name).get();
  }

  private CronJob cron(String name) {
    return client.batch().v1().cronjobs().inNamespace(NS).withName(name).get();
  }
}
