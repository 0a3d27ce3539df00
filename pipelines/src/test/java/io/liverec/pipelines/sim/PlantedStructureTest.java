package io.liverec.pipelines.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.liverec.api.v1alpha1.DataSpec;
import io.liverec.pipelines.sampling.DuckDbSampler;
import io.liverec.pipelines.sampling.SamplingOptions;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The simulated log has the structure docs/DATA.md promises. */
class PlantedStructureTest {
  @TempDir static Path dir;
  static Path events;
  static SimulationReport report;
  static Connection conn;
  static Statement st;

  @BeforeAll
  static void simulate() throws Exception {
    events = dir.resolve("events");
    SimulatorConfig cfg = Simulations.smallConfig(21);
    cfg.days = 3;
    report = new Simulator(cfg).run(events, n -> {});
    conn = DriverManager.getConnection("jdbc:duckdb:");
    st = conn.createStatement();
    st.execute(
        "CREATE VIEW imp AS SELECT * FROM read_parquet('"
            + events
            + "/impressions/*/*.parquet', hive_partitioning=true, hive_types={'day': VARCHAR})");
    st.execute(
        "CREATE VIEW clk AS SELECT * FROM read_parquet('" + events + "/clicks/*/*.parquet')");
    st.execute("CREATE VIEW rooms AS SELECT * FROM read_parquet('" + events + "/rooms.parquet')");
  }

  @AfterAll
  static void close() throws Exception {
    conn.close();
  }

  private static long one(String sql) throws Exception {
    try (ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void roomsAreShownOnlyWhenLiveAndColdRoomsOnlyFromTheirFirstDay() throws Exception {
    assertThat(one("SELECT COUNT(*) FROM imp")).isEqualTo(report.impressions());
    assertThat(
            one(
                "SELECT COUNT(*) FROM imp JOIN rooms USING (room_id)"
                    + " WHERE (hour - live_start_hour + 24) % 24 >= live_hours OR day < first_day"))
        .isZero();
    // there are cold rooms, and they do get impressions on the last day
    assertThat(one("SELECT COUNT(*) FROM rooms WHERE first_day = '2026-01-03'")).isPositive();
    assertThat(
            one(
                "SELECT COUNT(*) FROM imp JOIN rooms USING (room_id)"
                    + " WHERE first_day = '2026-01-03'"))
        .isPositive();
  }

  @Test
  void recentRoomsAreTheUsersLastClickedRoomsBeforeTheRequest() throws Exception {
    assertThat(one("SELECT MAX(len(recent_rooms)) FROM imp")).isEqualTo(20);
    // the newest entry of a request's list is the last clicked room of the user's previous
    // request that had a click (clicks of one request are recorded in position order)
    long mismatches =
        one(
            "WITH req AS (SELECT DISTINCT request_id, user_id, ts, recent_rooms FROM imp),"
                + " lastclick AS (SELECT request_id, arg_max(room_id, position) AS room"
                + " FROM clk GROUP BY request_id),"
                + " seq AS (SELECT r.*, l.room AS clicked_room FROM req r"
                + " LEFT JOIN lastclick l USING (request_id)),"
                + " prev AS (SELECT *, last_value(clicked_room IGNORE NULLS) OVER ("
                + " PARTITION BY user_id ORDER BY request_id ROWS BETWEEN UNBOUNDED PRECEDING"
                + " AND 1 PRECEDING) AS expected FROM seq)"
                + " SELECT COUNT(*) FROM prev WHERE expected IS NOT NULL"
                + " AND recent_rooms[1] <> expected");
    assertThat(mismatches).isZero();
    assertThat(one("SELECT COUNT(*) FROM imp WHERE len(recent_rooms) > 0")).isPositive();
  }

  @Test
  void coverStylePushesClickUpAndConversionDown() throws Exception {
    List<double[]> byStyle = new ArrayList<>();
    try (ResultSet rs =
        st.executeQuery(
            "SELECT cover_style, AVG(oracle_pctr), AVG(oracle_pcvr)"
                + " FROM imp JOIN rooms USING (room_id) GROUP BY cover_style ORDER BY cover_style")) {
      while (rs.next()) {
        byStyle.add(new double[] {rs.getDouble(2), rs.getDouble(3)});
      }
    }
    assertThat(byStyle).hasSize(4);
    for (int s = 1; s < 4; s++) {
      assertThat(byStyle.get(s)[0]).as("pctr, style %d", s).isGreaterThan(byStyle.get(s - 1)[0]);
      assertThat(byStyle.get(s)[1]).as("pcvr, style %d", s).isLessThan(byStyle.get(s - 1)[1]);
    }
  }

  @Test
  void pureThreeWayTablesHaveNoLowerOrderPart() {
    assertNoLowerOrderPart(EffectTables.pureThreeWay(new SplittableRandom(3), 3, 6, 20));
  }

  @Test
  void lowRankThreeWayTablesHaveNoLowerOrderPartAndTheirRank() {
    double[][][] t = EffectTables.lowRankThreeWay(new SplittableRandom(3), 1, 3, 6, 20);
    assertNoLowerOrderPart(t);
    // rank one: every (x, ·, ·) slice is a multiple of the (0, ·, ·) slice
    for (int x = 1; x < 3; x++) {
      double ratio = t[x][0][0] / t[0][0][0];
      for (int y = 0; y < 6; y++) {
        for (int z = 0; z < 20; z++) {
          assertThat(t[x][y][z])
              .isCloseTo(ratio * t[0][y][z], org.assertj.core.data.Offset.offset(1e-9));
        }
      }
    }
    double[][][] r3 = EffectTables.lowRankThreeWay(new SplittableRandom(3), 3, 3, 6, 20);
    assertNoLowerOrderPart(r3);
    double ratio = r3[1][0][0] / r3[0][0][0];
    assertThat(Math.abs(r3[1][2][7] - ratio * r3[0][2][7])).isGreaterThan(1e-3);
  }

  private static void assertNoLowerOrderPart(double[][][] t) {
    double ss = 0;
    for (int x = 0; x < 3; x++) {
      for (int y = 0; y < 6; y++) {
        double m = 0;
        for (int z = 0; z < 20; z++) {
          m += t[x][y][z];
          ss += t[x][y][z] * t[x][y][z];
        }
        assertThat(m / 20).isCloseTo(0.0, org.assertj.core.data.Offset.offset(1e-9));
      }
    }
    for (int x = 0; x < 3; x++) {
      for (int z = 0; z < 20; z++) {
        double m = 0;
        for (int y = 0; y < 6; y++) {
          m += t[x][y][z];
        }
        assertThat(m / 6).isCloseTo(0.0, org.assertj.core.data.Offset.offset(1e-9));
      }
    }
    assertThat(ss / (3 * 6 * 20)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void turningAnEffectOffRemovesItsSignalFromTheTruth() throws Exception {
    SimulatorConfig cfg = Simulations.smallConfig(21);
    cfg.days = 1;
    cfg.conflict = false;
    Path off = dir.resolve("no-conflict");
    new Simulator(cfg).run(off, n -> {});
    try (ResultSet rs =
        st.executeQuery(
            "SELECT MAX(p) - MIN(p) FROM (SELECT cover_style,"
                + " AVG(oracle_pcvr) AS p FROM read_parquet('"
                + off
                + "/impressions/*/*.parquet') i"
                + " JOIN read_parquet('"
                + off
                + "/rooms.parquet') USING (room_id) GROUP BY cover_style)")) {
      rs.next();
      double spreadOff = rs.getDouble(1);
      try (ResultSet on =
          conn.createStatement()
              .executeQuery(
                  "SELECT MAX(p) - MIN(p) FROM"
                      + " (SELECT cover_style, AVG(oracle_pcvr) AS p FROM imp JOIN rooms USING (room_id)"
                      + " GROUP BY cover_style)")) {
        on.next();
        assertThat(spreadOff).isLessThan(on.getDouble(1) / 2);
      }
    }
  }

  @Test
  void roomBaitMovesClickAndConversionOppositeWaysPerRoomAndNothingElse() {
    SimulatorConfig base = Simulations.smallConfig(5);
    SimulatorConfig on = base.copy();
    on.roomBait = true;
    on.roomBaitStrength = 0.8;
    on.roomBaitCvrRatio = 2.0;
    World a = new World(base);
    World b = new World(on);
    int surfaces = Surface.values().length;
    double sumBait = 0;
    double sumBait2 = 0;
    for (int r = 0; r < base.rooms; r++) {
      // the rest of the world is the same draw
      assertThat(b.content[r]).containsExactly(a.content[r]);
      assertThat(b.roomTaste[r]).containsExactly(a.roomTaste[r]);
      assertThat(b.coverStyle[r]).isEqualTo(a.coverStyle[r]);
      sumBait += b.bait[r];
      sumBait2 += b.bait[r] * b.bait[r];
      for (int u = 0; u < 5; u++) {
        int hour = (7 * r + u) % 24;
        int surface = (r + u) % surfaces;
        double dClick =
            b.effects.clickLogit(u, r, hour, surface, 2, false)
                - a.effects.clickLogit(u, r, hour, surface, 2, false);
        double dConv =
            b.effects.conversionLogit(u, r, hour, surface)
                - a.effects.conversionLogit(u, r, hour, surface);
        assertThat(dClick).isCloseTo(0.8 * b.bait[r], org.assertj.core.data.Offset.offset(1e-9));
        assertThat(dConv).isCloseTo(-1.6 * b.bait[r], org.assertj.core.data.Offset.offset(1e-9));
      }
    }
    // a standard normal score per room, not a constant
    double mean = sumBait / base.rooms;
    assertThat(mean).isBetween(-0.4, 0.4);
    assertThat(sumBait2 / base.rooms - mean * mean).isBetween(0.6, 1.5);
  }

  @Test
  void tasteSeesawFlipsTheConversionTasteOfTheSecondHalfOnly() {
    SimulatorConfig base = Simulations.smallConfig(5);
    SimulatorConfig on = base.copy();
    on.tasteSeesaw = true;
    World a = new World(base);
    World b = new World(on);
    int k = base.latentDim;
    for (int u = 0; u < 20; u++) {
      for (int r = 0; r < 10; r++) {
        double first = 0;
        double second = 0;
        for (int d = 0; d < k; d++) {
          double p = a.userTaste[u][d] * a.roomTaste[r][d];
          if (d < k / 2) {
            first += p;
          } else {
            second += p;
          }
        }
        // conversion taste: (1·first + 0.3·second)/‖(1,…,0.3,…)‖ off, (first − second)/1 on
        double normOff = Math.sqrt((k / 2 * 1.0 + k / 2 * 0.09) / k);
        double dConv =
            b.effects.conversionLogit(u, r, 20, 0) - a.effects.conversionLogit(u, r, 20, 0);
        double expected =
            base.cvrTasteStrength * ((first - second) - (first + 0.3 * second) / normOff);
        assertThat(dConv).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-9));
        // clicks do not change
        assertThat(b.effects.clickLogit(u, r, 20, 0, 1, false))
            .isEqualTo(a.effects.clickLogit(u, r, 20, 0, 1, false));
      }
    }
  }

  /**
   * A logistic regression on hashed one-hot features (ids, position, fields and a few crosses)
   * trained on the first two days and scored on the third reaches a clearly useful AUC, below the
   * oracle's: the planted signal is learnable, and not trivially so.
   */
  @Test
  void aLogisticBaselineLearnsTheClickSignal() throws Exception {
    Path out = dir.resolve("samples-all");
    new DuckDbSampler()
        .sample(
            events,
            out,
            SamplingOptions.defaults().withStrategy(DataSpec.Strategy.ALL, 0),
            d -> {});
    List<int[]> xs = new ArrayList<>();
    List<Integer> ys = new ArrayList<>();
    List<Boolean> test = new ArrayList<>();
    List<Double> oracle = new ArrayList<>();
    int dim = 1 << 18;
    try (ResultSet rs =
        st.executeQuery(
            "SELECT day, click, user_id, room_id, position, surface,"
                + " hour, category, cover_style, age_bucket, gender, device, user_language, room_language,"
                + " list_contains(recent_rooms, room_id), oracle_pctr FROM read_parquet('"
                + out
                + "/samples/*/*.parquet', hive_partitioning=true) ORDER BY request_id, position")) {
      while (rs.next()) {
        String[] f = {
          "u" + rs.getLong(3),
          "r" + rs.getLong(4),
          "p" + rs.getInt(5),
          "s" + rs.getString(6),
          "c" + rs.getInt(8),
          "cs" + rs.getInt(9),
          "ac" + rs.getInt(10) + "_" + rs.getInt(8),
          "gc" + rs.getInt(11) + "_" + rs.getInt(8),
          "ds" + rs.getInt(12) + rs.getString(6),
          "hc" + rs.getInt(7) / 4 + "_" + rs.getInt(8),
          "lm" + (rs.getInt(13) == rs.getInt(14)),
          "rec" + rs.getBoolean(15),
          "bias"
        };
        int[] idx = new int[f.length];
        for (int i = 0; i < f.length; i++) {
          idx[i] = Math.floorMod(f[i].hashCode() * 0x9E3779B1, dim);
        }
        xs.add(idx);
        ys.add(rs.getInt(2));
        test.add(rs.getString(1).equals("2026-01-03"));
        oracle.add(rs.getDouble(16));
      }
    }
    double[] w = new double[dim];
    double lr = 0.05;
    for (int epoch = 0; epoch < 4; epoch++) {
      for (int n = 0; n < xs.size(); n++) {
        if (test.get(n)) {
          continue;
        }
        double z = 0;
        for (int i : xs.get(n)) {
          z += w[i];
        }
        double g = 1 / (1 + Math.exp(-z)) - ys.get(n);
        for (int i : xs.get(n)) {
          w[i] -= lr * (g + 1e-4 * w[i]);
        }
      }
    }
    List<double[]> scored = new ArrayList<>();
    List<double[]> truth = new ArrayList<>();
    for (int n = 0; n < xs.size(); n++) {
      if (test.get(n)) {
        double z = 0;
        for (int i : xs.get(n)) {
          z += w[i];
        }
        scored.add(new double[] {z, ys.get(n)});
        truth.add(new double[] {oracle.get(n), ys.get(n)});
      }
    }
    double auc = auc(scored);
    double oracleAuc = auc(truth);
    System.out.printf("logistic baseline AUC %.4f, oracle AUC %.4f (test day)%n", auc, oracleAuc);
    assertThat(auc).isGreaterThan(0.66);
    assertThat(auc).isLessThan(oracleAuc);
  }

  private static double auc(List<double[]> scoreLabel) {
    scoreLabel.sort((a, b) -> Double.compare(a[0], b[0]));
    double rankSum = 0;
    long pos = 0;
    int n = scoreLabel.size();
    int i = 0;
    while (i < n) {
      int j = i;
      while (j < n && scoreLabel.get(j)[0] == scoreLabel.get(i)[0]) {
        j++;
      }
      double avgRank = (i + 1 + j) / 2.0;
      for (int k = i; k < j; k++) {
        if (scoreLabel.get(k)[1] == 1) {
          rankSum += avgRank;
          pos++;
        }
      }
      i = j;
    }
    long neg = n - pos;
    return (rankSum - pos * (pos + 1) / 2.0) / ((double) pos * neg);
  }
}
