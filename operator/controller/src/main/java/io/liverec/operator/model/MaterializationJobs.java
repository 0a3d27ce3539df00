package io.liverec.operator.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.liverec.api.v1alpha1.FeatureView;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** FeatureView → its materialization CronJob. Pure: no I/O. */
public final class MaterializationJobs {
  public static final String LABEL_VIEW = "liverec.io/featureview";
  private static final ObjectMapper JSON = new ObjectMapper();

  private MaterializationJobs() {}

  public static String cronJobName(String view) {
    return Names.child(view, "-materialize");
  }

  /** The CronJob without a configured registry (see the four-argument form). */
  public static CronJob cronJob(FeatureView view, String image, String serviceAccount) {
    return cronJob(view, image, serviceAccount, TrainerFeatureRegistry.NONE);
  }

  /**
   * The CronJob; the container gets the view as JSON in {@code LIVEREC_FEATUREVIEW} and the
   * registry the operator writes ({@code registry}: its variables and claim, as trainer pods get
   * them), so {@code liverec materialize} records its intervals in that one registry.
   */
  public static CronJob cronJob(
      FeatureView view, String image, String serviceAccount, TrainerFeatureRegistry registry) {
    String name = view.getMetadata().getName();
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(LABEL_VIEW, name);
    labels.put(TrainingJobs.LABEL_MANAGED_BY, TrainingJobs.MANAGER);
    String spec;
    try {
      spec = JSON.writeValueAsString(view.getSpec());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    int backoff =
        view.getSpec().materialization.backoffLimit == null
            ? 1
            : view.getSpec().materialization.backoffLimit;
    return new CronJobBuilder()
        .withNewMetadata()
        .withName(cronJobName(name))
        .withNamespace(view.getMetadata().getNamespace())
        .withLabels(labels)
        .withOwnerReferences(TrainingJobs.owner(view))
        .endMetadata()
        .withNewSpec()
        .withSchedule(view.getSpec().materialization.schedule)
        .withConcurrencyPolicy("Forbid")
        .withSuccessfulJobsHistoryLimit(1)
        .withFailedJobsHistoryLimit(3)
        .withNewJobTemplate()
        .withNewMetadata()
        .withLabels(labels)
        .endMetadata()
        .withNewSpec()
        .withBackoffLimit(backoff)
        .withTemplate(
            RunOncePods.template(
                labels,
                serviceAccount,
                new ContainerBuilder()
                    .withName("materialize")
                    .withImage(image)
                    .withArgs("materialize", "--feature-view", name)
                    .addNewEnv()
                    .withName("LIVEREC_FEATUREVIEW")
                    .withValue(spec)
                    .endEnv()
                    .addAllToEnv(
                        registry.env().entrySet().stream()
                            .map(e -> new EnvVar(e.getKey(), e.getValue(), null))
                            .toList())
                    .addAllToVolumeMounts(registry.volumeMounts())
                    .build(),
                List.of(),
                registry.plusVolume(List.of())))
        .endSpec()
        .endJobTemplate()
        .endSpec()
        .build();
  }

  /**
   * Whether an existing CronJob already has what this operator sets (schedule, backoff, container
   * image, args, env). Fields the API server defaults are not compared, so a defaulted object does
   * not look changed on every reconcile.
   */
  public static boolean sameOwnedFields(CronJob current, CronJob desired) {
    var c = current.getSpec();
    var d = desired.getSpec();
    var cc = c.getJobTemplate().getSpec().getTemplate().getSpec().getContainers().get(0);
    var dc = d.getJobTemplate().getSpec().getTemplate().getSpec().getContainers().get(0);
    return java.util.Objects.equals(c.getSchedule(), d.getSchedule())
        && java.util.Objects.equals(
            c.getJobTemplate().getSpec().getBackoffLimit(),
            d.getJobTemplate().getSpec().getBackoffLimit())
        && java.util.Objects.equals(cc.getImage(), dc.getImage())
        && java.util.Objects.equals(cc.getArgs(), dc.getArgs())
        && java.util.Objects.equals(cc.getEnv(), dc.getEnv());
  }
}
