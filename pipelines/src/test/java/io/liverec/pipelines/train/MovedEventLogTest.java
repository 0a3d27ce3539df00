package io.liverec.pipelines.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.liverec.api.v1alpha1.TrainingRunSpec;
import io.liverec.pipelines.featureviews.FeatureSnapshots;
import io.liverec.pipelines.sim.Simulations;
import io.liverec.pipelines.sim.Simulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A simulated event log is a movable bundle: after the whole directory is renamed (the original
 * path no longer exists), training still resolves its FeatureViews and joins their tables, which
 * their YAML names relative to itself.
 */
class MovedEventLogTest {
  @TempDir Path dir;

  @Test
  void aMovedLogStillJoinsItsFeatureViews() throws Exception {
    Path original = dir.resolve("written-here");
    new Simulator(Simulations.smallConfig(5)).run(original, n -> {});
    Path moved = dir.resolve("elsewhere").resolve("log");
    Files.createDirectories(moved.getParent());
    Files.move(original, moved);
    assertThat(original).doesNotExist();

    TrainingRunSpec spec = new TrainingRunSpec();
    spec.data.events = moved.toString();
    spec.data.featureViews =
        new ArrayList<>(List.of(FeatureSnapshots.ROOM_REALTIME, FeatureSnapshots.USER_ACTIVITY));
    TrainingInputs in =
        TrainingInputs.prepare(
            spec,
            new RunLayout(dir.resolve("run")),
            RankingTrainer.Options.defaults().withExport(false));
    assertThat(in.views())
        .allSatisfy(v -> assertThat(v.spec().source.uri).startsWith(moved.toString()));
    try (SampleData data = SampleData.open(in.samples(), in.columns(), null, null, 1);
        Statement st = data.connection().createStatement();
        ResultSet rs =
            st.executeQuery("SELECT count(*) FROM samples WHERE room_impressions_1h > 0")) {
      rs.next();
      assertThat(rs.getLong(1)).isPositive();
    }
  }
}
