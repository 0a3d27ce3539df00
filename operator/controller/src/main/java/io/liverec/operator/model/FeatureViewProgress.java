package io.liverec.operator.model;

import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.liverec.api.v1alpha1.Conditions;
import io.liverec.api.v1alpha1.FeatureViewStatus;
import io.liverec.api.v1alpha1.Reason;
import java.time.Instant;

/** A FeatureView's registration and CronJob → its status. Pure: no I/O. */
public final class FeatureViewProgress {
  private FeatureViewProgress() {}

  /** The registry refused or could not be reached: Failed, not Ready. */
  public static void registryFailed(FeatureViewStatus st, String why, long gen, Instant now) {
    st.phase = "Failed";
    Conditions.set(st.conditions, Conditions.READY, false, Reason.RegistryFailed, why, gen, now);
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
