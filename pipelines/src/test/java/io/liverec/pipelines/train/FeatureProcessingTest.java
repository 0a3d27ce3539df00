package io.liverec.pipelines.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.liverec.api.errors.LiverecException;
import io.liverec.pipelines.features.Batch;
import io.liverec.pipelines.features.ColumnSpec;
import io.liverec.pipelines.features.FeatureColumn;
import io.liverec.pipelines.features.FeatureCounters;
import io.liverec.pipelines.features.FeatureSchema;
import io.liverec.pipelines.features.FeatureTransform;
import io.liverec.pipelines.features.TransformSpec;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeatureProcessingTest {

  @TempDir static Path dir;
  static Path samples;

  @BeforeAll
  static void data() throws Exception {
    samples = TestSamples.write(dir);
  }

  private static SampleData open() {
    return SampleData.open(samples, TestSamples.spec(), null, null, 1);
  }

  @Test
  void splitHoldsOutTheLastDayAndFitsOnTrainingRowsOnly() throws Exception {
    try (SampleData data = open()) {
      assertThat(data.holdoutFrom()).hasToString("2026-01-04");
      // day = i % 4: days 0..2 train (1500 rows), day 3 holdout (500 rows)
      assertThat(data.count(Split.HOLDOUT)).isEqualTo(500);
      assertThat(data.count(Split.TRAIN) + data.count(Split.VALIDATION)).isEqualTo(1500);
      // validation is the latest tenth of the training window by ts (every row of a day shares
      // one ts here, so the row hash picks 150 of day 2's rows)
      assertThat(data.count(Split.VALIDATION)).isEqualTo(150);
      try (java.sql.Statement st = data.connection().createStatement();
          java.sql.ResultSet rs =
              st.executeQuery(
                  "SELECT min(_day), max(_day) FROM samples WHERE "
                      + data.where(Split.VALIDATION))) {
        rs.next();
        assertThat(rs.getString(1)).isEqualTo("2026-01-03");
        assertThat(rs.getString(2)).isEqualTo("2026-01-03");
      }
      assertThat(data.describe(Split.VALIDATION)).startsWith("the latest 1/10 (by ts)");
      // holdout rows are i % 4 == 3; weight 1 + i % 3; click i % 5 == 0
      double posW = 0;
      double pos = 0;
      double negW = 0;
      double neg = 0;
      for (int i = 3; i < TestSamples.ROWS; i += 4) {
        if (i % 5 == 0) {
          posW += 1 + i % 3;
          pos++;
        } else {
          negW += 1 + i % 3;
          neg++;
        }
      }
      assertThat(data.weightOddsFactor(Split.HOLDOUT, data.taskLabels().get("ctr")))
          .isCloseTo((posW / pos) / (negW / neg), org.assertj.core.data.Offset.offset(1e-9));
      TransformSpec t = data.fitTransform();
      // viewers is 10 on every finite training row and 1000 only on the holdout day
      TransformSpec.Fitted viewers = t.fitted().get(5);
      assertThat(viewers.mean()).isEqualTo(10.0);
      assertThat(viewers.std()).isEqualTo(1.0); // zero spread → 1, never a division by 0
      // category frequencies a:b:c = 1:2:3 → vocabulary by frequency
      assertThat(t.fitted().get(2).vocab()).containsExactly("c", "b", "a");
      FeatureSchema s = t.schema();
      assertThat(s.sparseFields())
          .extracting(FeatureSchema.SparseField::name)
          .containsExactly("user_id", "room_id", "category", "position", "viewers_b");
      assertThat(s.sparseFields().get(2).vocabSize()).isEqualTo(4);
      assertThat(s.denseNames()).containsExactly("viewers", "activity");
      assertThat(s.seqLength()).isEqualTo(3);
      assertThat(s.multimodalDim()).isEqualTo(3);
    }
  }

  @Test
  void batchAndSingleRowPathsGiveIdenticalTensors() throws Exception {
    try (SampleData data = open()) {
      TransformSpec spec = data.fitTransform();
      Path file = dir.resolve("transform.json");
      spec.save(file);
      // serving loads the saved file; training uses the in-memory spec
      FeatureTransform serving = new FeatureTransform(TransformSpec.load(file));
      FeatureTransform training = new FeatureTransform(spec);
      List<Batch> batches = new ArrayList<>();
      try (var it = data.batches(Split.HOLDOUT, training, 64, null, new FeatureCounters())) {
        it.forEachRemaining(b -> batches.add(b.batch()));
      }
      List<Map<String, Object>> rows = rawRows(data, Split.HOLDOUT);
      assertThat(batches.stream().mapToInt(Batch::size).sum()).isEqualTo(rows.size());
      int r = 0;
      for (Batch b : batches) {
        for (int i = 0; i < b.size(); i++, r++) {
          Batch one = serving.transformOne(rows.get(r), new FeatureCounters());
          assertThat(one.sparse()[0]).containsExactly(b.sparse()[i]);
          assertThat(one.dense()[0]).containsExactly(b.dense()[i]);
          assertThat(one.seq()[0]).containsExactly(b.seq()[i]);
          assertThat(one.multimodal()[0]).containsExactly(b.multimodal()[i]);
        }
      }
    }
  }

  @Test
  void aCategoryIsTheSameIdWhateverTypeCarriesIt() {
    try (SampleData data = open()) {
      FeatureTransform t = new FeatureTransform(data.fitTransform());
      // room_id is a hash feature, user_id too; a request may carry 7, 7L, 7.0 or "7"
      List<Object> forms = List.of(7, 7L, 7.0, 7.0f, "7");
      Set<Long> roomIds = new java.util.HashSet<>();
      for (Object v : forms) {
        Map<String, Object> row = new HashMap<>();
        row.put("room_id", v);
        row.put("user_id", v);
        roomIds.add(t.transformOne(row, new FeatureCounters()).sparse()[0][1]);
      }
      assertThat(roomIds).hasSize(1).doesNotContain(0L);
      // a vocab feature: the ids the fitted vocabulary gives are 1..3, unknown values 0
      Map<String, Object> row = new HashMap<>(Map.of("category", "b"));
      assertThat(t.transformOne(row, new FeatureCounters()).sparse()[0][2]).isEqualTo(2);
      row.put("category", "zzz");
      assertThat(t.transformOne(row, new FeatureCounters()).sparse()[0][2]).isZero();
    }
  }

  @Test
  void validationDaysMakesTheLastWholeTrainingDaysTheValidation() throws Exception {
    // days 0..2 train+validation (500 rows each), day 3 holdout
    try (SampleData data = SampleData.open(samples, TestSamples.spec(), null, null, 1, 2)) {
      assertThat(data.count(Split.HOLDOUT)).isEqualTo(500);
      assertThat(data.count(Split.VALIDATION)).isEqualTo(1000);
      assertThat(data.count(Split.TRAIN)).isEqualTo(500);
      for (Split split : List.of(Split.TRAIN, Split.VALIDATION)) {
        try (java.sql.Statement st = data.connection().createStatement();
            java.sql.ResultSet rs =
                st.executeQuery(
                    "SELECT min(_day), max(_day) FROM samples WHERE " + data.where(split))) {
          rs.next();
          if (split == Split.TRAIN) {
            assertThat(rs.getString(1)).isEqualTo("2026-01-01");
            assertThat(rs.getString(2)).isEqualTo("2026-01-01");
          } else {
            assertThat(rs.getString(1)).isEqualTo("2026-01-02");
            assertThat(rs.getString(2)).isEqualTo("2026-01-03");
          }
        }
      }
      assertThat(data.describe(Split.VALIDATION)).isEqualTo("days 2026-01-02 .. 2026-01-03");
      assertThat(data.describe(Split.TRAIN)).isEqualTo("days 2026-01-01 .. 2026-01-01");
    }
    // three validation days leave nothing to train on
    assertThatThrownBy(() -> SampleData.open(samples, TestSamples.spec(), null, null, 1, 3))
        .isInstanceOf(LiverecException.class)
        .hasMessageContaining("data.validationDays=3")
        .hasMessageContaining("leaves no training days");
    assertThatThrownBy(() -> SampleData.open(samples, TestSamples.spec(), null, null, 1, -1))
        .isInstanceOf(LiverecException.class)
        .hasMessageContaining("data.validationDays");
  }

  @Test
  void fromAndToRestrictTheDays() {
    try (SampleData data = SampleData.open(samples, TestSamples.spec(), "2026-01-02", null, 1)) {
      assertThat(data.firstDay()).hasToString("2026-01-02");
      assertThat(data.count(Split.HOLDOUT)).isEqualTo(500);
      assertThat(data.count(Split.TRAIN) + data.count(Split.VALIDATION)).isEqualTo(1000);
    }
    try (SampleData data = SampleData.open(samples, TestSamples.spec(), null, "2026-01-03", 1)) {
      assertThat(data.holdoutFrom()).hasToString("2026-01-03");
    }
  }

  @Test
  void nanInfAndNullAreReplacedByTheDocumentedRuleAndCounted() {
    try (SampleData data = open()) {
      FeatureTransform t = new FeatureTransform(data.fitTransform());
      FeatureCounters counters = new FeatureCounters();
      List<Batch> batches = new ArrayList<>();
      try (var it = data.batches(Split.HOLDOUT, t, 1000, null, counters)) {
        it.forEachRemaining(b -> batches.add(b.batch()));
      }
      Batch b = batches.get(0);
      // holdout rows are i ≡ 3 (mod 4), in file order
      long nan = 0;
      long inf = 0;
      long nul = 0;
      for (int k = 0; k < b.size(); k++) {
        int i = 4 * k + 3;
        float dense = b.dense()[k][0];
        long bucket = b.sparse()[k][4];
        if (i % 97 == 0 || i % 89 == 0 || i % 83 == 0) {
          assertThat(dense).as("row %d: replaced by the training mean → 0", i).isZero();
          assertThat(bucket).as("row %d: missing bucket", i).isZero();
          if (i % 97 == 0) {
            nan++;
          } else if (i % 89 == 0) {
            inf++;
          } else {
            nul++;
          }
        } else {
          // (1000 − 10) / 1, and the top bucket
          assertThat(dense).isEqualTo(990f);
          assertThat(bucket).isEqualTo(2);
        }
      }
      assertThat(nan + inf).isPositive();
      assertThat(nul).isPositive();
      assertThat(counters.nonFinite()).containsEntry("viewers", nan + inf);
      assertThat(counters.missing()).containsEntry("viewers", nul);
      // rooms 30..36 are not in the rooms table → zero vectors, counted as missing
      long noRoom = 0;
      long nanVec = 0;
      for (int k = 0; k < b.size(); k++) {
        int room = (4 * k + 3) % 37;
        if (room >= 30) {
          noRoom++;
          assertThat(b.multimodal()[k]).containsOnly(0f);
        } else if (room == 5) {
          nanVec++;
          assertThat(b.multimodal()[k]).containsExactly(0.5f, 1f, 0f);
        }
      }
      assertThat(counters.missing()).containsEntry("content", noRoom);
      assertThat(counters.nonFinite()).containsEntry("content", nanVec);
      assertThat(counters.rows()).isEqualTo(500);
    }
  }

  @Test
  void shuffleIsDeterministicPerSeedAndEpochAndReadsEveryRowOnce() {
    try (SampleData data = open()) {
      FeatureTransform t = new FeatureTransform(data.fitTransform());
      List<Long> a = order(data, t, 11L);
      List<Long> again = order(data, t, 11L);
      List<Long> other = order(data, t, 12L);
      assertThat(a).isEqualTo(again);
      assertThat(a).isNotEqualTo(other);
      // the same rows, each once, in another order
      assertThat(a.stream().sorted().toList()).isEqualTo(other.stream().sorted().toList());
      assertThat((long) a.size()).isEqualTo(data.count(Split.TRAIN));
    }
  }

  @Test
  void unknownColumnFailsNamingTheColumnAndPath() {
    ColumnSpec s = TestSamples.spec();
    List<FeatureColumn> f = new ArrayList<>(s.features());
    f.add(FeatureColumn.dense("watch_secs"));
    ColumnSpec bad =
        new ColumnSpec(
            s.userId(), s.click(), s.conversion(), s.weight(), s.day(), f, s.oracle(), s.rooms());
    assertThatThrownBy(() -> SampleData.open(samples, bad, null, null, 1))
        .isInstanceOf(LiverecException.class)
        .hasMessageContaining("'watch_secs'")
        .hasMessageContaining(samples.toString());
    assertThatThrownBy(() -> SampleData.open(samples, s, null, null, 4))
        .hasMessageContaining("holdoutDays");
  }

  /** The sequence of (user, position, weight…) fingerprints of TRAIN rows in stream order. */
  private static List<Long> order(SampleData data, FeatureTransform t, long shuffle) {
    List<Long> keys = new ArrayList<>();
    try (var it = data.batches(Split.TRAIN, t, 100, shuffle, new FeatureCounters())) {
      it.forEachRemaining(
          sb -> {
            Batch b = sb.batch();
            for (int i = 0; i < b.size(); i++) {
              keys.add((long) Arrays.hashCode(b.sparse()[i]) * 31 + Arrays.hashCode(b.dense()[i]));
            }
          });
    }
    return keys;
  }

  private static List<Map<String, Object>> rawRows(SampleData data, Split split) throws Exception {
    List<Map<String, Object>> rows = new ArrayList<>();
    Set<String> skip = Set.of("_file", "_row", "_day");
    try (Statement st = data.connection().createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT * FROM samples WHERE " + data.where(split) + " ORDER BY _file, _row")) {
      ResultSetMetaData md = rs.getMetaData();
      while (rs.next()) {
        Map<String, Object> row = new HashMap<>();
        for (int c = 1; c <= md.getColumnCount(); c++) {
          if (skip.contains(md.getColumnName(c))) {
            continue;
          }
          Object v = rs.getObject(c);
          // a request carries plain lists, not JDBC arrays
          row.put(md.getColumnName(c), v instanceof Array a ? List.of((Object[]) a.getArray()) : v);
        }
        rows.add(row);
      }
    }
    return rows;
  }
}
