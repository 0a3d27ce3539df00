package io.liverec.gateway.canary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.liverec.api.v1alpha1.ModelVersion;
import io.liverec.api.v1alpha1.ModelVersionSpec;
import io.liverec.api.v1alpha1.ModelVersionStatus;
import io.liverec.gateway.ModelRef;
import io.liverec.gateway.SplitRouter;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The gateway's split follows the ModelVersions' status on the Fabric8 mock API server (CRUD): the
 * weight the operator writes moves users to the canary, a user on the canary stays there while the
 * weight rises, a promotion moves everyone, a rollback brings the canary's users back.
 */
@EnableKubernetesMockClient(crud = true)
class ModelVersionWatchTest {
  static final String NS = "liverec";
  static final int USERS = 4000;
  static final Duration WAIT = Duration.ofSeconds(15);

  static KubernetesClient client;

  @Test
  void statusWeightsDriveTheSplit() {
    SplitRouter router = new SplitRouter("ranker", 1);
    try (ModelVersionWatch watch = ModelVersionWatch.start(client, NS, router, 1)) {
      assertThat(watch.synced()).isTrue();
      assertThat(onVersion(router, 1)).hasSize(USERS);

      Instant t0 = Instant.parse("2026-12-01T00:00:00Z");
      create("ranker-v1", 1, "Promoted", 100, t0);
      create("ranker-v2", 2, "Canary", 10, t0.plusSeconds(60));
      await().atMost(WAIT).until(() -> share(router, 2) > 0);
      Set<String> atTen = onVersion(router, 2);
      assertThat(atTen.size() / (double) USERS).isBetween(0.07, 0.13);
      assertThat(onVersion(router, 1)).hasSize(USERS - atTen.size());

      setStatus("ranker-v2", "Canary", 50, t0.plusSeconds(120));
      await().atMost(WAIT).until(() -> share(router, 2) > 0.3);
      Set<String> atFifty = onVersion(router, 2);
      assertThat(atFifty.size() / (double) USERS).isBetween(0.46, 0.54);
      assertThat(atFifty).as("a user on the canary stays there as it grows").containsAll(atTen);

      // a second rollout of v3 is rolled back: its users return to the stable version
      create("ranker-v3", 3, "Canary", 10, t0.plusSeconds(130));
      await().atMost(WAIT).until(() -> watch.applied().ignored().contains(2));
      assertThat(onVersion(router, 3)).as("one canary per model: the highest version").isNotEmpty();
      setStatus("ranker-v3", "RolledBack", 0, t0.plusSeconds(140));
      await().atMost(WAIT).until(() -> share(router, 2) > 0.3);
      assertThat(onVersion(router, 3)).isEmpty();
      assertThat(onVersion(router, 2)).isEqualTo(atFifty);

      setStatus("ranker-v2", "Promoted", 100, t0.plusSeconds(180));
      await().atMost(WAIT).until(() -> share(router, 2) == 1.0);
      assertThat(router.stable("ranker")).hasValue(2);

      client.resources(ModelVersion.class).inNamespace(NS).withName("ranker-v2").delete();
      await().atMost(WAIT).until(() -> share(router, 1) == 1.0);
    }
  }

  private static double share(SplitRouter router, int version) {
    return onVersion(router, version).size() / (double) USERS;
  }

  private static Set<String> onVersion(SplitRouter router, int version) {
    Set<String> out = new HashSet<>();
    IntStream.range(0, USERS)
        .mapToObj(i -> "user-" + i)
        .filter(u -> router.get().armFor(u).ranker().equals(new ModelRef("ranker", version)))
        .forEach(out::add);
    return out;
  }

  private static void create(String name, int version, String phase, int weight, Instant at) {
    ModelVersion mv = new ModelVersion();
    mv.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
    ModelVersionSpec spec = new ModelVersionSpec();
    spec.model = "ranker";
    spec.version = version;
    spec.source.mlflow = "models:/ranker/" + version;
    mv.setSpec(spec);
    client.resource(mv).create();
    setStatus(name, phase, weight, at);
  }

  private static void setStatus(String name, String phase, int weight, Instant at) {
    ModelVersion mv = client.resources(ModelVersion.class).inNamespace(NS).withName(name).get();
    ModelVersionStatus st = new ModelVersionStatus();
    st.phase = phase;
    st.trafficWeight = weight;
    st.stepStartedAt = at.toString();
    mv.setStatus(st);
    client.resource(mv).updateStatus();
  }
}
