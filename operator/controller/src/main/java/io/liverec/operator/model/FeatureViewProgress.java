package io.liverec.operator.model;

import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.javaoperatorsdk.operator.api.reconciler.dependent.ReconcileResult.Operation;
import io.liverec.api.v1alpha1.Conditions;
import io.liverec.api.v1alpha1.FeatureViewStatus;
import io.liverec.api.v1alpha1.Reason;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A FeatureView's registration and CronJob → its status, and the Events ({@link Notice}) that tell
 * each step. Pure: no I/O.
 */
public final class FeatureViewProgress {
  private FeatureViewProgress() {}

  /** An invalid spec: Invalid while the view was never registered, else the phase stays. */
  public static void invalid(FeatureViewStatus st) {
    if (st.registryVersion == null) {
      st.phase = "Invalid";
    }
  }

  /** The registry refused or could not be reached: Failed, not Ready; the Warning telling why. */
  public static Notice registryFailed(FeatureViewStatus st, String why, long gen, Instant now) {
    st.phase = "Failed";
    Conditions.set(st.conditions, Conditions.READY, false, Reason.RegistryFailed, why, gen, now);
    return Notice.warning(Reason.RegistryFailed, "registration failed: " + why);
  }

  /** The Event when the registry gave a version other than the one {@code st} records. */
  public static Optional<Notice> registered(FeatureViewStatus st, long version) {
    if (Objects.equals(version, st.registryVersion)) {
      return Optional.empty();
    }
    return Optional.of(Notice.normal(Reason.Registered, "registered as version " + version));
  }

  /** The Event when reconciling {@code cron} ({@code op}) created it or changed its schedule. */
  public static Optional<Notice> scheduleChanged(CronJob cron, Operation op) {
    String at = "CronJob " + cron.getMetadata().getName();
    String schedule = "'" + cron.getSpec().getSchedule() + "'";
    return switch (op) {
      case CREATED ->
          Optional.of(Notice.normal(Reason.MaterializationScheduled, at + " at " + schedule));
      case UPDATED ->
          Optional.of(
              Notice.normal(Reason.MaterializationScheduled, at + " updated to " + schedule));
      case NONE -> Optional.empty();
    };
  }

  /** The Event telling that {@code cron} was deleted because the schedule went away. */
  public static Notice unscheduled(CronJob cron) {
    String msg = "deleted CronJob " + cron.getMetadata().getName();
    return Notice.normal(Reason.MaterializationUnscheduled, msg);
  }

  /** Registered as {@code version} and materialized by {@code cron}, as reconciled. */
  public static void scheduled(
      FeatureViewStatus st, long version, CronJob cron, long gen, Instant now) {
    st.registryVersion = version;
    st.cronJobName = cron.getMetadata().getName();
    if (cron.getStatus() != null && cron.getStatus().getLastSuccessfulTime() != null) {
      st.lastMaterialized = cron.getStatus().getLastSuccessfulTime();
    }
    st.phase = "Ready";
    String msg =
        "registered (version "
            + version
            + "), materialized on '"
            + cron.getSpec().getSchedule()
            + "'";
    Conditions.set(
        st.conditions, Conditions.READY, true, Reason.MaterializationScheduled, msg, gen, now);
  }

  /** Registered as {@code version}, no schedule: materialized only when asked. */
  public static void onDemand(FeatureViewStatus st, long version, long gen, Instant now) {
    st.registryVersion = version;
    st.cronJobName = null;
    st.phase = "Registered";
    String msg = "registered (version " + version + "); materialized on demand";
    Conditions.set(st.conditions, Conditions.READY, true, Reason.Registered, msg, gen, now);
  }
}
