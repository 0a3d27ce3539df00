package io.liverec.pipelines.featureviews;

import static org.assertj.core.api.Assertions.assertThat;

import io.liverec.featurestore.FeatureRegistry;
import io.liverec.featurestore.config.FeatureStores;
import io.liverec.featurestore.feast.FeastFeatureRegistry;
import io.liverec.featurestore.feast.FeastRepo;
import io.liverec.featurestore.offline.PointInTimeSql;
import io.liverec.pipelines.sim.Simulations;
import io.liverec.pipelines.sim.Simulator;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Embedded runs share one registry without flags: the Feast repository {@code feast/} beside the
 * event log, where the simulator's declared views are registered, and from which training resolves
 * a view registered there by another command (as {@code liverec run -f featureview.yaml} does).
 */
class EmbeddedFeatureRegistryTest {
  @TempDir Path dir;

  @Test
  void simulatedViewsAndLaterRegistrationsShareTheRepositoryBesideTheLog() {
    Path log = dir.resolve("out").resolve("events");
    new Simulator(Simulations.smallConfig(5)).run(log, n -> {});

    FeatureRegistry written = TrainingFeatureViews.registerDeclared(Map.of(), log);
    Path repo = dir.resolve("out").resolve("feast");
    assertThat(FeatureStores.embeddedRepo(log)).isEqualTo(repo);
    assertThat(written).isInstanceOf(FeastFeatureRegistry.class);
    assertThat(repo.resolve("registry.db")).exists();
    FeastFeatureRegistry feast = new FeastFeatureRegistry(FeastRepo.load(repo).repo());
    assertThat(feast.list())
        .extracting(FeatureRegistry.Entry::name)
        .contains(FeatureSnapshots.ROOM_REALTIME, FeatureSnapshots.USER_ACTIVITY);

    // a view only the repository holds (registered there by another embedded command)
    var spec = feast.get("default", FeatureSnapshots.USER_ACTIVITY).orElseThrow().spec();
    feast.register("default", "user_activity_copy", spec);

    FeatureRegistry training = TrainingFeatureViews.registry(Map.of(), log, null);
    assertThat(
            TrainingFeatureViews.resolve(
                training, null, List.of("user_activity_copy", FeatureSnapshots.ROOM_REALTIME)))
        .extracting(PointInTimeSql.View::name)
        .containsExactly("user_activity_copy", FeatureSnapshots.ROOM_REALTIME);
  }
}
