package io.liverec.pipelines.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import io.liverec.api.v1alpha1.DataSpec;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Property tests over random logs: the SQL samplers keep exactly what the rules (restated here in
 * plain Java, independently of the SQL) say, with the right labels and weights.
 */
class SamplingRulesTest {
  private static final List<String> DAYS = List.of("2026-03-01", "2026-03-02");

  @TempDir Path dir;

  record Key(long requestId, int position) {}

  private static Map<Long, List<RandomLog.Imp>> byRequest(RandomLog log) {
    Map<Long, List<RandomLog.Imp>> m = new HashMap<>();
    for (RandomLog.Imp i : log.rows) {
      m.computeIfAbsent(i.requestId(), k -> new ArrayList<>()).add(i);
    }
    return m;
  }

  static Set<Key> expectedSkipAbove(RandomLog log, boolean keepTopK, int topK) {
    Set<Key> keep = new HashSet<>();
    for (List<RandomLog.Imp> req : byRequest(log).values()) {
      int last =
          req.stream()
              .filter(RandomLog.Imp::click)
              .mapToInt(RandomLog.Imp::position)
              .max()
              .orElse(-1);
      for (RandomLog.Imp i : req) {
        boolean noClick = last < 0;
        if (i.click()
            || (!noClick && i.position() < last)
            || (noClick && keepTopK && i.position() < topK)) {
          keep.add(new Key(i.requestId(), i.position()));
        }
      }
    }
    return keep;
  }

  static Set<Key> expectedClickAround(RandomLog log, int k) {
    Set<Key> keep = new HashSet<>();
    for (List<RandomLog.Imp> req : byRequest(log).values()) {
      List<Integer> clicks =
          req.stream().filter(RandomLog.Imp::click).map(RandomLog.Imp::position).toList();
      for (RandomLog.Imp i : req) {
        if (clicks.stream().anyMatch(c -> Math.abs(c - i.position()) <= k)) {
          keep.add(new Key(i.requestId(), i.position()));
        }
      }
    }
    return keep;
  }

  static double expectedWeight(RandomLog.Imp i, SamplingOptions o) {
    if (!i.click()) {
      return 1.0;
    }
    return 1.0
        + o.giftWeight() * (i.gift() > 0 ? 1 : 0)
        + o.flowerWeight() * (i.flowers() > 0 ? 1 : 0)
        + o.watchWeight() * Math.log1p(i.watch())
        + o.asyncViewWeight() * (i.async() > 0 ? 1 : 0);
  }

  private Map<Key, Object[]> readSamples(Path out) throws Exception {
    Map<Key, Object[]> m = new HashMap<>();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT request_id, position, click, conversion, gift, weight, watch_seconds FROM "
                    + "read_parquet('"
                    + out
                    + "/samples/*/*.parquet')")) {
      while (rs.next()) {
        Object[] prev =
            m.put(
                new Key(rs.getLong(1), rs.getInt(2)),
                new Object[] {
                  rs.getInt(3), rs.getInt(4), rs.getInt(5), rs.getDouble(6), rs.getInt(7)
                });
        assertThat(prev).as("duplicate sample row").isNull();
      }
    }
    return m;
  }

  @Test
  void skipAboveKeepsExactlyClicksAndSkippedImpressionsAboveTheLastClick() throws Exception {
    for (long seed = 1; seed <= 3; seed++) {
      Path events = dir.resolve("events-" + seed);
      RandomLog log = RandomLog.write(events, seed, 400, DAYS);
      SamplingOptions o = SamplingOptions.defaults();
      Path out = dir.resolve("out-sa-" + seed);
      SamplingReport report = new DuckDbSampler().sample(events, out, o, d -> {});
      Map<Key, Object[]> got = readSamples(out);
      assertThat(got.keySet()).isEqualTo(expectedSkipAbove(log, false, 0));
      assertThat(report.kept()).isEqualTo(got.size());
      assertThat(report.quarantinedTotal()).isZero();
      Map<Key, RandomLog.Imp> rows =
          log.rows.stream()
              .collect(Collectors.toMap(i -> new Key(i.requestId(), i.position()), i -> i));
      for (Map.Entry<Key, Object[]> e : got.entrySet()) {
        RandomLog.Imp i = rows.get(e.getKey());
        Object[] v = e.getValue();
        assertThat(v[0]).isEqualTo(i.click() ? 1 : 0);
        assertThat(v[1]).isEqualTo(i.click() && i.watch() >= 30 ? 1 : 0);
        assertThat(v[2]).isEqualTo(i.gift() > 0 ? 1 : 0);
        // weights are rounded to 6 decimals (docs/DATA.md)
        assertThat((double) v[3])
            .isCloseTo(expectedWeight(i, o), org.assertj.core.data.Offset.offset(5.000001e-7));
        assertThat(v[4]).isEqualTo(i.watch());
      }
    }
  }

  @Test
  void skipAboveKeepTopKKeepsTheFirstImpressionsOfRequestsWithoutClicks() throws Exception {
    Path events = dir.resolve("events");
    RandomLog log = RandomLog.write(events, 42, 400, DAYS);
    SamplingOptions o =
        SamplingOptions.defaults().withNoClick(DataSpec.NoClickPolicy.KEEP_TOP_K, 3);
    Path out = dir.resolve("out");
    new DuckDbSampler().sample(events, out, o, d -> {});
    assertThat(readSamples(out).keySet()).isEqualTo(expectedSkipAbove(log, true, 3));
  }

  @Test
  void clickAroundKeepsExactlyImpressionsWithinTheWindowOfSomeClick() throws Exception {
    Path events = dir.resolve("events");
    RandomLog log = RandomLog.write(events, 7, 400, DAYS);
    for (int k : new int[] {0, 1, 2, 5}) {
      Path out = dir.resolve("out-ca-" + k);
      SamplingOptions o =
          SamplingOptions.defaults().withStrategy(DataSpec.Strategy.CLICK_AROUND, k);
      SamplingReport r = new DuckDbSampler().sample(events, out, o, d -> {});
      Set<Key> expected = expectedClickAround(log, k);
      assertThat(readSamples(out).keySet()).as("window %d", k).isEqualTo(expected);
      assertThat(r.kept()).isEqualTo(expected.size());
    }
  }

  @Test
  void allKeepsEveryImpressionAndCountsRequests() throws Exception {
    Path events = dir.resolve("events");
    RandomLog log = RandomLog.write(events, 9, 300, DAYS);
    Path out = dir.resolve("out");
    SamplingReport r =
        new DuckDbSampler()
            .sample(
                events,
                out,
                SamplingOptions.defaults().withStrategy(DataSpec.Strategy.ALL, 0),
                d -> {});
    assertThat(readSamples(out)).hasSize(log.rows.size());
    assertThat(r.requests()).isEqualTo(600);
    assertThat(r.impressionsRead()).isEqualTo(log.rows.size());
    assertThat(r.positives().get("click"))
        .isEqualTo(log.rows.stream().filter(RandomLog.Imp::click).count());
  }
}
