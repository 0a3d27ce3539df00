package io.liverec.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.javaoperatorsdk.operator.api.reconciler.dependent.ReconcileResult.Operation;
import io.liverec.api.v1alpha1.Conditions;
import io.liverec.api.v1alpha1.FeatureViewStatus;
import io.liverec.api.v1alpha1.Reason;
import io.liverec.operator.Fixtures;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The Events a FeatureView's reconcile emits and its Invalid phase, without a server. */
class FeatureViewProgressTest {
  static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void anInvalidSpecIsInvalidOnlyWhileTheViewWasNeverRegistered() {
    FeatureViewStatus st = new FeatureViewStatus();
    FeatureViewProgress.invalid(st);
    assertThat(st.phase).isEqualTo("Invalid");

    FeatureViewProgress.onDemand(st, 1, 1, NOW);
    FeatureViewProgress.invalid(st);
    assertThat(st.phase).as("the registered view keeps serving").isEqualTo("Registered");
  }

  @Test
  void aNewRegistryVersionIsToldOnce() {
    FeatureViewStatus st = new FeatureViewStatus();
    assertThat(FeatureViewProgress.registered(st, 1))
        .contains(Notice.normal(Reason.Registered, "registered as version 1"));
    FeatureViewProgress.onDemand(st, 1, 1, NOW);
    assertThat(FeatureViewProgress.registered(st, 1)).isEmpty();
    assertThat(FeatureViewProgress.registered(st, 2))
        .contains(Notice.normal(Reason.Registered, "registered as version 2"));
  }

  @Test
  void aRegistryFailureIsAWarningWithTheCause() {
    FeatureViewStatus st = new FeatureViewStatus();
    Notice n = FeatureViewProgress.registryFailed(st, "connection refused", 1, NOW);
    assertThat(n)
        .isEqualTo(
            Notice.warning(Reason.RegistryFailed, "registration failed: connection refused"));
    assertThat(Conditions.find(st.conditions, Conditions.READY).message)
        .isEqualTo("connection refused");
  }

  @Test
  void theScheduleIsToldWhenTheCronJobIsCreatedChangedOrDeleted() {
    CronJob cron = MaterializationJobs.cronJob(Fixtures.featureView("ns", "v"), "img", "sa");
    assertThat(FeatureViewProgress.scheduleChanged(cron, Operation.CREATED))
        .contains(
            Notice.normal(
                Reason.MaterializationScheduled, "CronJob v-materialize at '*/10 * * * *'"));
    assertThat(FeatureViewProgress.scheduleChanged(cron, Operation.UPDATED))
        .contains(
            Notice.normal(
                Reason.MaterializationScheduled,
                "CronJob v-materialize updated to '*/10 * * * *'"));
    assertThat(FeatureViewProgress.scheduleChanged(cron, Operation.NONE)).isEmpty();
    assertThat(FeatureViewProgress.unscheduled(cron))
        .isEqualTo(
            Notice.normal(Reason.MaterializationUnscheduled, "deleted CronJob v-materialize"));
  }
}
