package io.liverec.pipelines.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.liverec.pipelines.features.ColumnSpec;
import io.liverec.pipelines.sampling.DuckDbSampler;
import io.liverec.pipelines.sampling.SamplingOptions;
import io.liverec.pipelines.sim.Simulations;
import io.liverec.pipelines.sim.Simulator;
import io.liverec.pipelines.sim.SimulatorConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live-session content end to end: the simulator writes one vector set per room and day, and the
 * trainer's samples carry the vectors of the impression's day, not the room's usual ones.
 */
class SessionContentTest {
  @TempDir Path dir;

  private static double one(Statement st, String sql) throws Exception {
    try (ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getDouble(1);
    }
  }

  @Test
  void samplesJoinTheVectorsOfTheirDaysSession() throws Exception {
    SimulatorConfig cfg = Simulations.smallConfig(4);
    cfg.sessionContent = 0.6;
    Path log = dir.resolve("log");
    new Simulator(cfg).run(log, n -> {});
    assertThat(log.resolve("room_sessions").resolve("day=2026-01-01")).isDirectory();
    assertThat(log.resolve("room_sessions").resolve("day=2026-01-02")).isDirectory();
    new DuckDbSampler().sample(log, log, SamplingOptions.defaults(), d -> {});
    ColumnSpec spec = ColumnSpec.defaults().withRooms(ColumnSpec.RoomsTable.SESSIONS);
    try (SampleData data = SampleData.open(log.resolve("samples"), spec, null, null, 1);
        Statement st = data.connection().createStatement()) {
      String sessions = "read_parquet('" + log.resolve("room_sessions") + "/*/*.parquet')";
      String rooms = "read_parquet('" + log.resolve("rooms.parquet") + "')";
      st.execute("CREATE TEMP VIEW sess AS SELECT * FROM " + sessions);
      assertThat(one(st, "SELECT COUNT(*) FROM sess")).isEqualTo(cfg.rooms * cfg.days);
      double rows = one(st, "SELECT COUNT(*) FROM samples");
      assertThat(rows).isGreaterThan(1000);
      // every sample row carries its own day's session vectors
      assertThat(
              one(
                  st,
                  "SELECT COUNT(*) FROM samples s JOIN sess r ON s.room_id = r.room_id"
                      + " AND s.day = r.day WHERE s.audio_vec = r.audio_vec"
                      + " AND s.visual_vec = r.visual_vec AND s.text_vec = r.text_vec"))
          .isEqualTo(rows);
      // not the room's usual vectors
      assertThat(
              one(
                  st,
                  "SELECT COUNT(*) FROM samples s JOIN "
                      + rooms
                      + " m ON s.room_id = m.room_id WHERE s.audio_vec = m.audio_vec"))
          .isZero();
      // a session keeps √(1 − 0.6) ≈ 0.63 of the usual vector: correlated with it, not equal
      double corr =
          one(
              st,
              "SELECT corr(a, b) FROM (SELECT unnest(r.audio_vec) AS a, unnest(m.audio_vec) AS b"
                  + " FROM sess r JOIN "
                  + rooms
                  + " m ON r.room_id = m.room_id)");
      assertThat(corr).isBetween(0.55, 0.71);
      // and the two days of one room differ
      assertThat(
              one(
                  st,
                  "SELECT COUNT(*) FROM sess a JOIN sess b ON a.room_id = b.room_id"
                      + " AND a.day < b.day WHERE a.audio_vec = b.audio_vec"))
          .isZero();
    }
  }

  @Test
  void withoutSessionContentNoSessionTableIsWritten() throws Exception {
    SimulatorConfig cfg = Simulations.smallConfig(4);
    cfg.days = 1;
    Path log = dir.resolve("plain");
    new Simulator(cfg).run(log, n -> {});
    assertThat(log.resolve("rooms.parquet")).exists();
    assertThat(Files.exists(log.resolve("room_sessions"))).isFalse();
  }
}
