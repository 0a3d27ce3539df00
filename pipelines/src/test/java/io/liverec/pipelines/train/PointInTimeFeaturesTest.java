package io.liverec.pipelines.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.liverec.api.errors.LiverecException;
import io.liverec.api.v1alpha1.FeatureView;
import io.liverec.api.v1alpha1.TrainingRunSpec;
import io.liverec.featurestore.FeatureViewFiles;
import io.liverec.featurestore.feast.FeastFeatureRegistry;
import io.liverec.featurestore.feast.FeastRepo;
import io.liverec.featurestore.feast.OnlineStoreConfig;
import io.liverec.pipelines.features.FeatureCounters;
import io.liverec.pipelines.features.FeatureTransform;
import io.liverec.pipelines.features.TransformSpec;
import io.liverec.pipelines.featureviews.FeatureSnapshots;
import io.liverec.pipelines.featureviews.TrainingFeatureViews;
import io.liverec.pipelines.sampling.DuckDbSampler;
import io.liverec.pipelines.sampling.SamplingOptions;
import io.liverec.pipelines.sim.Simulations;
import io.liverec.pipelines.sim.Simulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ranking trainer's inputs joined point-in-time with feature views, asserted on the rows the
 * trainer reads (its {@link SampleData} over {@link TrainingInputs}): a feature row written after
 * an impression never reaches that impression's sample, a row older than the ttl comes back null,
 * equal event times go to the latest created row, and the simulator's derived room and user views
 * give each sample the window that closed before its impression.
 */
class PointInTimeFeaturesTest {
  @TempDir static Path dir;
  static Path log;

  /** Codes of the probe view's rows: which row a sample got. */
  static final int STALE = 1;

  static final int FUTURE = 2;
  static final int TIE_EARLY = 3;
  static final int TIE_LATE = 4;
  static final long TTL_MS = 3_600_000L;

  @BeforeAll
  static void simulate() throws Exception {
    log = dir.resolve("log");
    new Simulator(Simulations.smallConfig(11)).run(log, n -> {});
    // the samples the trainer will draw (same rules), to place the probe rows around them
    Path pre = dir.resolve("pre");
    new DuckDbSampler().sample(log, pre, SamplingOptions.from(spec().data), d -> {});
    writeProbe(pre.resolve("samples"));
  }

  static TrainingRunSpec spec() {
    TrainingRunSpec spec = new TrainingRunSpec();
    spec.data.events = log.toString();
    spec.data.featureViews =
        new ArrayList<>(
            List.of("probe", FeatureSnapshots.ROOM_REALTIME, FeatureSnapshots.USER_ACTIVITY));
    return spec;
  }

  /**
   * The probe view (user_id, ttl 1h) around each user's first sample time t0: odd users get a row
   * at t0 − 1h − 1s (outside the ttl at t0) and one at t0 + 1 ms (after the impression); even users
   * get two rows at t0 − 10 min with created times one second apart.
   */
  static void writeProbe(Path samples) throws Exception {
    Path table = FeatureSnapshots.dir(log).resolve("probe.parquet");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement()) {
      st.execute("SET TimeZone = 'UTC'");
      st.execute(
          "CREATE TABLE firsts AS SELECT user_id, min(ts) AS t0 FROM read_parquet('"
              + samples
              + "/**/*.parquet') GROUP BY user_id");
      st.execute(
          "COPY (SELECT user_id, epoch_ms(e) AS event_timestamp, epoch_ms(cr) AS created_timestamp,"
              + " CAST(code AS BIGINT) AS probe_code FROM ("
              + " SELECT user_id, t0 - "
              + (TTL_MS + 1000)
              + " AS e, t0 - "
              + (TTL_MS + 1000)
              + " AS cr, "
              + STALE
              + " AS code FROM firsts WHERE user_id % 2 = 1"
              + " UNION ALL SELECT user_id, t0 + 1, t0 + 1, "
              + FUTURE
              + " FROM firsts WHERE user_id % 2 = 1"
              + " UNION ALL SELECT user_id, t0 - 600000, t0 - 600000, "
              + TIE_EARLY
              + " FROM firsts WHERE user_id % 2 = 0"
              + " UNION ALL SELECT user_id, t0 - 600000, t0 - 599000, "
              + TIE_LATE
              + " FROM firsts WHERE user_id % 2 = 0)) TO '"
              + table
              + "' (FORMAT parquet)");
    }
    Files.writeString(
        FeatureSnapshots.definition(log, "probe"),
        """
        apiVersion: liverec.io/v1alpha1
        kind: FeatureView
        metadata: {name: probe}
        spec:
          entities: [{name: user_id, type: INT64}]
          features: [{name: probe_code, type: INT64}]
          source:
            uri: %s
            timestampField: event_timestamp
            createdTimestampField: created_timestamp
          ttl: 1h
        """
            .formatted(table.toUri()));
  }

  private static long count(Statement st, String sql) throws Exception {
    try (ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static TrainingInputs inputs(Path runDir) {
    return TrainingInputs.prepare(
        spec(), new RunLayout(runDir), RankingTrainer.Options.defaults().withExport(false));
  }

  @Test
  void theTrainersRowsCarryOnlyFeaturesKnownAtImpressionTime() throws Exception {
    TrainingInputs in = inputs(dir.resolve("run"));
    assertThat(in.samples()).isEqualTo(dir.resolve("run").resolve("samples_pit"));
    assertThat(in.columns().featureSources())
        .contains("probe_code", "room_clicks_1h", "user_impressions_1d");
    try (SampleData data = SampleData.open(in.samples(), in.columns(), null, null, 1);
        Statement st = data.connection().createStatement()) {
      st.execute(
          "CREATE TEMP TABLE firsts AS SELECT user_id, min(ts) AS t0 FROM samples GROUP BY"
              + " user_id");
      st.execute("CREATE TEMP VIEW s AS SELECT * FROM samples JOIN firsts USING (user_id)");
      long rows = count(st, "SELECT count(*) FROM s");
      assertThat(rows).isEqualTo(count(st, "SELECT count(*) FROM samples")).isGreaterThan(1000);

      // no leak: the row written 1 ms after a user's first impression is in none of its samples
      long atFirstOdd = count(st, "SELECT count(*) FROM s WHERE user_id % 2 = 1 AND ts = t0");
      assertThat(atFirstOdd).isPositive();
      assertThat(count(st, "SELECT count(*) FROM s WHERE probe_code = " + FUTURE + " AND ts <= t0"))
          .isZero();
      // ... and the one written 1h + 1s before is outside the ttl: those samples get null
      assertThat(
              count(
                  st,
                  "SELECT count(*) FROM s WHERE user_id % 2 = 1 AND ts = t0 AND probe_code IS"
                      + " NULL"))
          .isEqualTo(atFirstOdd);
      assertThat(count(st, "SELECT count(*) FROM s WHERE probe_code = " + STALE)).isZero();
      // once written, the later row reaches the user's later samples, for the ttl only
      assertThat(
              count(
                  st,
                  "SELECT count(*) FROM s WHERE user_id % 2 = 1 AND ts > t0 AND ts <= t0 + 1 + "
                      + TTL_MS
                      + " AND probe_code IS DISTINCT FROM "
                      + FUTURE))
          .isZero();
      assertThat(
              count(
                  st,
                  "SELECT count(*) FROM s WHERE user_id % 2 = 1 AND ts > t0 AND probe_code = "
                      + FUTURE))
          .isPositive();
      assertThat(
              count(
                  st,
                  "SELECT count(*) FROM s WHERE user_id % 2 = 1 AND ts > t0 + 1 + "
                      + TTL_MS
                      + " AND probe_code IS NOT NULL"))
          .isZero();
      // equal event times: the later created row wins
      assertThat(count(st, "SELECT count(*) FROM s WHERE probe_code = " + TIE_EARLY)).isZero();
      assertThat(
              count(
                  st,
                  "SELECT count(*) FROM s WHERE user_id % 2 = 0 AND ts = t0 AND probe_code"
                      + " IS DISTINCT FROM "
                      + TIE_LATE))
          .isZero();

      // the trainer fits its transform on these columns and batches them
      TransformSpec t = data.fitTransform();
      assertThat(t.fitted().stream().map(TransformSpec.Fitted::name))
          .contains("probe_code", "room_impressions_1h", "user_clicks_1d");
      try (SampleData.BatchIterator it =
          data.batches(Split.TRAIN, new FeatureTransform(t), 256, null, new FeatureCounters())) {
        assertThat(it.hasNext()).isTrue();
      }
    }
  }

  @Test
  void derivedViewsGiveEachSampleTheWindowThatClosedBeforeIt() throws Exception {
    TrainingInputs in = inputs(dir.resolve("run2"));
    String imps = "read_parquet('" + log.resolve("impressions") + "/**/*.parquet')";
    try (SampleData data = SampleData.open(in.samples(), in.columns(), null, null, 1);
        Statement st = data.connection().createStatement()) {
      st.execute(
          "CREATE TEMP TABLE room_hours AS SELECT room_id, ts // 3600000 AS h, count(*) AS n"
              + " FROM "
              + imps
              + " GROUP BY ALL");
      st.execute(
          "CREATE TEMP TABLE user_days AS SELECT user_id, ts // 86400000 AS d, count(*) AS n"
              + " FROM "
              + imps
              + " GROUP BY ALL");
      // room: the previous clock hour's impressions (ttl 1h), none when the room had none
      assertThat(
              count(
                  st,
                  "SELECT count(*) FROM samples s LEFT JOIN room_hours r ON s.room_id = r.room_id"
                      + " AND r.h = s.ts // 3600000 - 1"
                      + " WHERE s.room_impressions_1h IS DISTINCT FROM r.n"))
          .isZero();
      assertThat(count(st, "SELECT count(*) FROM samples WHERE room_impressions_1h > 0"))
          .isPositive();
      // user: the previous day's impressions (ttl 24h); nothing is known on the first day
      assertThat(
              count(
                  st,
                  "SELECT count(*) FROM samples s LEFT JOIN user_days u ON s.user_id = u.user_id"
                      + " AND u.d = s.ts // 86400000 - 1"
                      + " WHERE s.user_impressions_1d IS DISTINCT FROM u.n"))
          .isZero();
      assertThat(
              count(
                  st,
                  "SELECT count(*) FROM samples WHERE _day = (SELECT min(_day) FROM samples)"
                      + " AND user_impressions_1d IS NOT NULL"))
          .isZero();
      assertThat(count(st, "SELECT count(*) FROM samples WHERE user_impressions_1d > 0"))
          .isPositive();
    }
  }

  @Test
  void theJoinedTableHasTheSamplesFilesAndRowsInTheirOrder() throws Exception {
    Path run = dir.resolve("run4");
    TrainingInputs in = inputs(run);
    Path before = new RunLayout(run).samples();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement()) {
      String keyed =
          "SELECT substr(filename, %d) AS f, file_row_number AS r, request_id, position, room_id"
              + " FROM read_parquet('%s/**/*.parquet', filename = true, file_row_number = true)";
      st.execute("CREATE TABLE a AS " + keyed.formatted(before.toString().length() + 2, before));
      st.execute(
          "CREATE TABLE b AS "
              + keyed.formatted(in.samples().toString().length() + 2, in.samples()));
      long n = count(st, "SELECT count(*) FROM a");
      assertThat(n).isPositive().isEqualTo(count(st, "SELECT count(*) FROM b"));
      // same file names, same row at every (file, row): the trainer's shuffle and split keys
      assertThat(
              count(
                  st, "SELECT count(*) FROM a JOIN b USING (f, r, request_id, position, room_id)"))
          .isEqualTo(n);
    }
  }

  @Test
  void viewsResolveInTheConfiguredRegistryNotNextToTheLog() throws Exception {
    // the registry the operator writes from FeatureView resources: Feast's registry.db
    FeastFeatureRegistry registry =
        new FeastFeatureRegistry(
            new FeastRepo(
                dir.resolve("feast"),
                "liverec",
                new OnlineStoreConfig.Sqlite(dir.resolve("feast").resolve("online_store.db"))));
    FeatureView probe =
        FeatureViewFiles.read(FeatureSnapshots.definition(log, "probe"), "probe.yaml");
    registry.register("team-a", "probe-registered", probe.getSpec());
    TrainingRunSpec spec = spec();
    spec.data.featureViews = new ArrayList<>(List.of("probe-registered"));
    TrainingInputs in =
        TrainingInputs.prepare(
            registry,
            "team-a",
            spec,
            new RunLayout(dir.resolve("run5")),
            RankingTrainer.Options.defaults().withExport(false));
    assertThat(in.views()).extracting(v -> v.name()).containsExactly("probe-registered");
    try (SampleData data = SampleData.open(in.samples(), in.columns(), null, null, 1);
        Statement st = data.connection().createStatement()) {
      assertThat(count(st, "SELECT count(*) FROM samples WHERE probe_code IS NOT NULL"))
          .isPositive();
    }
    // a view declared next to the log but not registered is not found in the registry
    spec.data.featureViews = new ArrayList<>(List.of(FeatureSnapshots.ROOM_REALTIME));
    assertThatThrownBy(
            () ->
                TrainingInputs.prepare(
                    registry,
                    "team-a",
                    spec,
                    new RunLayout(dir.resolve("run6")),
                    RankingTrainer.Options.defaults()))
        .isInstanceOf(LiverecException.class)
        .hasMessageContaining("spec.data.featureViews[0]")
        .hasMessageContaining("no FeatureView 'room-realtime' in namespace team-a")
        .hasMessageContaining("Feast registry")
        .hasMessageContaining("probe-registered");
    // ... nor is a registered one from another namespace
    spec.data.featureViews = new ArrayList<>(List.of("probe-registered"));
    assertThatThrownBy(
            () ->
                TrainingInputs.prepare(
                    registry,
                    "team-b",
                    spec,
                    new RunLayout(dir.resolve("run7")),
                    RankingTrainer.Options.defaults()))
        .hasMessageContaining("spec.data.featureViews[0]");
  }

  @Test
  void theSimulatorsViewsNameTheirTablesRelativeToThemselves() throws Exception {
    String yaml =
        Files.readString(FeatureSnapshots.definition(log, FeatureSnapshots.ROOM_REALTIME));
    assertThat(yaml).contains("uri: \"room_realtime.parquet\"").doesNotContain(dir.toString());
    // the embedded registry holds them with the source resolved against the YAML's directory
    assertThat(
            TrainingFeatureViews.embedded(log, null)
                .get("default", FeatureSnapshots.ROOM_REALTIME)
                .orElseThrow()
                .spec()
                .source
                .uri)
        .isEqualTo(FeatureSnapshots.dir(log).resolve("room_realtime.parquet").toString());
  }

  @Test
  void anUnknownViewIsBadInputNamingTheField() {
    TrainingRunSpec spec = spec();
    spec.data.featureViews = new ArrayList<>(List.of(FeatureSnapshots.ROOM_REALTIME, "nope"));
    assertThatThrownBy(
            () ->
                TrainingInputs.prepare(
                    spec, new RunLayout(dir.resolve("run3")), RankingTrainer.Options.defaults()))
        .isInstanceOf(LiverecException.class)
        .hasMessageContaining("spec.data.featureViews[1]")
        .hasMessageContaining("nope");
  }
}
