package io.liverec.operator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.liverec.api.v1alpha1.FeatureView;
import io.liverec.api.v1alpha1.ModelVersion;
import io.liverec.api.v1alpha1.TrainingRun;
import io.liverec.testenv.TestEnv;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/** Custom resources for the controller tests, read from the committed samples. */
public final class Fixtures {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private Fixtures() {}

  public static TrainingRun trainingRun(String namespace, String name) {
    return sample("trainingrun-ranking.yaml", TrainingRun.class, namespace, name);
  }

  /**
   * The sample run deploying what it registers: a 5% canary step (10 min), then 100%, judged on the
   * error rate.
   */
  public static TrainingRun deployingTrainingRun(String namespace, String name) {
    TrainingRun run = trainingRun(namespace, name);
    run.getSpec().deploy = new io.liverec.api.v1alpha1.DeploySpec();
    var first = new io.liverec.api.v1alpha1.ModelVersionSpec.Step();
    first.weight = 5;
    first.pause = "10m";
    var all = new io.liverec.api.v1alpha1.ModelVersionSpec.Step();
    all.weight = 100;
    run.getSpec().deploy.rollout.steps = new java.util.ArrayList<>(List.of(first, all));
    run.getSpec()
        .deploy
        .rollout
        .analysis
        .metrics
        .add(new io.liverec.api.v1alpha1.ModelVersionSpec.Metric("errorRate", null, 0.001));
    return run;
  }

  /** The sample run as a daily schedule at 03:00 UTC over a 7-day window ending yesterday. */
  public static TrainingRun scheduledTrainingRun(String namespace, String name) {
    TrainingRun run = trainingRun(namespace, name);
    run.getSpec().data.from = null;
    run.getSpec().data.to = null;
    run.getSpec().schedule = new io.liverec.api.v1alpha1.ScheduleSpec();
    run.getSpec().schedule.cron = "0 3 * * *";
    run.getMetadata().setUid("uid-" + name);
    return run;
  }

  public static FeatureView featureView(String namespace, String name) {
    return sample("featureview-user-profile.yaml", FeatureView.class, namespace, name);
  }

  public static ModelVersion modelVersion(String namespace, String name) {
    return sample("modelversion-live-ranker.yaml", ModelVersion.class, namespace, name);
  }

  static <T extends HasMetadata> T sample(String file, Class<T> type, String ns, String name) {
    Path p = TestEnv.repoRoot().resolve("manifests/samples").resolve(file);
    try {
      T cr = YAML.readValue(p.toFile(), type);
      cr.getMetadata().setNamespace(ns);
      cr.getMetadata().setName(name);
      return cr;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reasons of the Events recorded on {@code name} in {@code ns}, oldest first. */
  public static List<String> eventReasons(KubernetesClient client, String ns, String name) {
    return client.v1().events().inNamespace(ns).list().getItems().stream()
        .filter(e -> name.equals(e.getInvolvedObject().getName()))
        .sorted(java.util.Comparator.comparing(e -> e.getMetadata().getName()))
        .map(Event::getReason)
        .toList();
  }
}
