package io.liverec.pipelines.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulatorTest {

  @TempDir Path dir;

  @Test
  void smallLogShowsPositionBiasPlausibleConversionAndRareGifts() throws Exception {
    SimulationReport r = Simulations.small(dir, 11);
    System.out.println(r.toMarkdown());
    assertThat(r.impressions()).isGreaterThan(20_000);
    // CTR falls with position over the first positions (every surface shows at least 4).
    var pos = r.byPosition();
    for (int p = 1; p < 4; p++) {
      assertThat(pos.get(p).ctr()).isLessThan(pos.get(p - 1).ctr());
    }
    assertThat(r.conversionGivenClick()).isBetween(0.2, 0.5);
    assertThat(r.giftRatePerImpression()).isBetween(0.0005, 0.02);
    assertThat(r.oracleCtrAuc()).isBetween(0.72, 0.9);

    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement()) {
      ResultSet rs =
          st.executeQuery(
              "SELECT count(*), count(DISTINCT day) FROM read_parquet('"
                  + dir
                  + "/impressions/*/*.parquet', hive_partitioning=true)");
      rs.next();
      assertThat(rs.getLong(1)).isEqualTo(r.impressions());
      assertThat(rs.getLong(2)).isEqualTo(2);
      rs = st.executeQuery("SELECT count(*) FROM read_parquet('" + dir + "/clicks/*/*.parquet')");
      rs.next();
      assertThat(rs.getLong(1)).isEqualTo(r.clicks());
    }
  }

  @Test
  void sameSeedGivesIdenticalSamplesAndAnotherSeedDoesNot() throws Exception {
    Path[] outs = new Path[3];
    long[] seeds = {5, 5, 6};
    for (int i = 0; i < 3; i++) {
      Path events = dir.resolve("events-" + i);
      Simulations.small(events, seeds[i]);
      outs[i] = dir.resolve("samples-" + i);
      new io.liverec.pipelines.sampling.DuckDbSampler()
          .sample(
              events, outs[i], io.liverec.pipelines.sampling.SamplingOptions.defaults(), d -> {});
    }
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement()) {
      String a = "read_parquet('" + outs[0] + "/samples/*/*.parquet', hive_partitioning=true)";
      String b = "read_parquet('" + outs[1] + "/samples/*/*.parquet', hive_partitioning=true)";
      String other = "read_parquet('" + outs[2] + "/samples/*/*.parquet', hive_partitioning=true)";
      // same rows in the same order: compare row number by row number
      String numbered = "SELECT row_number() OVER () AS n, * FROM ";
      ResultSet rs =
          st.executeQuery(
              "SELECT (SELECT COUNT(*) FROM "
                  + a
                  + "), (SELECT COUNT(*) FROM ("
                  + numbered
                  + a
                  + " EXCEPT "
                  + numbered
                  + b
                  + ")), (SELECT COUNT(*) FROM ("
                  + numbered
                  + b
                  + " EXCEPT "
                  + numbered
                  + a
                  + ")), (SELECT COUNT(*) FROM (SELECT * FROM "
                  + a
                  + " EXCEPT SELECT * FROM "
                  + other
                  + "))");
      rs.next();
      assertThat(rs.getLong(1)).isPositive();
      assertThat(rs.getLong(2)).isZero();
      assertThat(rs.getLong(3)).isZero();
      assertThat(rs.getLong(4)).isPositive();
    }
  }

  @Test
  void aPluggedInPolicyDecidesTheLoggedLists() throws Exception {
    // a "model" that ranks live rooms by descending id: every logged list must be in that order
    RankingPolicy byIdDesc =
        (req, candidates, n, rng) ->
            java.util.Arrays.stream(candidates)
                .boxed()
                .sorted(java.util.Comparator.reverseOrder())
                .limit(n)
                .mapToLong(Long::longValue)
                .toArray();
    SimulatorConfig cfg = Simulations.smallConfig(4);
    cfg.days = 1;
    SimulationReport r = new Simulator(cfg).withPolicy(byIdDesc).run(dir, n -> {});
    assertThat(r.impressions()).isPositive();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT COUNT(*) FROM (SELECT room_id < lag(room_id) OVER (PARTITION BY request_id"
                    + " ORDER BY position) AS ok FROM read_parquet('"
                    + dir
                    + "/impressions/*/*.parquet')) WHERE ok = false")) {
      rs.next();
      assertThat(rs.getLong(1)).isZero();
    }
  }
}
