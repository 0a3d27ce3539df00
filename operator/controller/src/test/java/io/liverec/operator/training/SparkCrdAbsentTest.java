package io.liverec.operator.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.liverec.api.v1alpha1.Conditions;
import io.liverec.api.v1alpha1.DataSpec;
import io.liverec.api.v1alpha1.Reason;
import io.liverec.api.v1alpha1.TrainingRun;
import io.liverec.api.v1alpha1.TrainingRunStatus;
import io.liverec.operator.Fixtures;
import io.liverec.operator.OperatorSettings;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Where the Kubeflow Spark Operator is not installed the API server answers 404 for the
 * SparkApplication kind (an expectations-mode mock server answers 404 to every request it was not
 * told about, as an API server does for a kind it does not serve). The run then says so in a
 * condition and looks again later; nothing throws (no crash loop), and without a runs claim the
 * stage does not even ask the API server.
 */
class SparkCrdAbsentTest {
  private KubernetesMockServer server;
  private KubernetesClient client;

  @BeforeEach
  void start() {
    server = new KubernetesMockServer(false);
    server.init();
    client = server.createClient();
  }

  @AfterEach
  void stop() {
    client.close();
    server.destroy();
  }

  static OperatorSettings settings(Map<String, Object> values) {
    return (OperatorSettings)
        Proxy.newProxyInstance(
            OperatorSettings.class.getClassLoader(),
            new Class<?>[] {OperatorSettings.class},
            (proxy, method, args) -> {
              if (values.containsKey(method.getName())) {
                return values.get(method.getName());
              }
              return method.getReturnType() == Optional.class ? Optional.empty() : null;
            });
  }

  private static TrainingRun run() {
    TrainingRun run = Fixtures.trainingRun("ns", "ranker");
    run.getMetadata().setGeneration(1L);
    run.getMetadata().setUid("uid-r");
    run.getSpec().data.engine = DataSpec.Engine.SPARK;
    return run;
  }

  @Test
  void anUnservedKindIsAConditionAndASlowRetryNotAnError() {
    var stage =
        new SparkStage(
            client,
            settings(
                Map.of(
                    "runsClaim",
                    Optional.of("liverec-runs"),
                    "sparkImage",
                    "spark:1",
                    "sparkServiceAccount",
                    "liverec-spark",
                    "sparkPoll",
                    Duration.ofSeconds(1))));
    TrainingRunStatus before = new TrainingRunStatus();
    TrainingRunStatus st = new TrainingRunStatus();
    SparkStage.Outcome o = stage.reconcile(run(), before, st, 1, Instant.EPOCH);

    assertThat(o.proceed()).isFalse();
    assertThat(o.requeue()).isEqualTo(SparkStage.CRD_ABSENT_RETRY);
    assertThat(o.notices()).singleElement().satisfies(n -> assertThat(n.warning()).isTrue());
    assertThat(st.phase).isEqualTo("Pending");
    var ready = Conditions.find(st.conditions, Conditions.READY);
    assertThat(ready.reason).isEqualTo(Reason.SparkUnavailable.name());
    assertThat(ready.message).contains("Kubeflow Spark Operator", "404", "SparkApplication");
    assertThat(server.getRequestCount()).isPositive();

    // told once: the next look with the condition already set emits nothing new
    SparkStage.Outcome again =
        stage.reconcile(run(), st, new TrainingRunStatus(), 1, Instant.EPOCH);
    assertThat(again.notices()).isEmpty();
    // deleting the run does not fail either
    stage.deleteAll(run());
  }

  @Test
  void withoutARunsClaimTheStageSaysWhichSettingIsMissing() {
    var stage = new SparkStage(client, settings(Map.of()));
    TrainingRunStatus st = new TrainingRunStatus();
    int requests = server.getRequestCount();
    SparkStage.Outcome o = stage.reconcile(run(), new TrainingRunStatus(), st, 1, Instant.EPOCH);
    assertThat(o.proceed()).isFalse();
    assertThat(o.requeue()).isNull();
    assertThat(Conditions.find(st.conditions, Conditions.READY).message)
        .contains("liverec.operator.runs-claim");
    assertThat(server.getRequestCount()).isEqualTo(requests);
  }
}
