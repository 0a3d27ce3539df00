package io.liverec.pipelines.recall.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.liverec.api.errors.LiverecException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventLogReaderTest {
  @TempDir Path dir;

  private void write(String sql, Path file) throws Exception {
    Files.createDirectories(file.getParent());
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement()) {
      st.execute("COPY (" + sql + ") TO '" + file + "' (FORMAT PARQUET)");
    }
  }

  private void writeLog(boolean roomVectors) throws Exception {
    String vec = "list_transform(range(32), lambda x: 0.5::FLOAT)";
    write(
        "SELECT * FROM (VALUES (10, 1, 0, 2, 20, 5, '2026-01-01', 500, "
            + vec
            + ", "
            + vec
            + ", "
            + vec
            + "), (20, 3, 1, 0, 0, 24, '2026-01-02', NULL, "
            + (roomVectors ? vec : "NULL::FLOAT[]")
            + ", "
            + vec
            + ", "
            + vec
            + ")) t(room_id, category, language, cover_style, live_start_hour, live_hours,"
            + " first_day, followers, audio_vec, visual_vec, text_vec)",
        dir.resolve("rooms.parquet"));
    write(
        "SELECT * FROM (VALUES (1::BIGINT, 2), (2, NULL)) t(user_id, language)",
        dir.resolve("users.parquet"));
    long day1 = LocalDate.parse("2026-01-01").toEpochDay() * RecallDataset.DAY_MS;
    write(
        "SELECT * FROM (VALUES (1::BIGINT, 1::BIGINT, 10::BIGINT, 0, "
            + (day1 + 1000)
            + "::BIGINT), (2, 2, 10, 1, "
            + (day1 + 2000)
            + "), (3, 9, 10, 0, "
            + (day1 + 3000)
            + ")) t(request_id, user_id, room_id, position, ts)",
        dir.resolve("clicks/day=2026-01-01/part-00000.parquet"));
    write(
        "SELECT * FROM (VALUES (4::BIGINT, 1::BIGINT, 20::BIGINT, 0, "
            + (day1 + RecallDataset.DAY_MS + 5000)
            + "::BIGINT)) t(request_id, user_id, room_id, position, ts)",
        dir.resolve("clicks/day=2026-01-02/part-00000.parquet"));
    write(
        "SELECT * FROM (VALUES (1::BIGINT, 1::BIGINT, 10::BIGINT, 0, 0::BIGINT, 45),"
            + " (2, 2, 10, 1, 0, 10)) t(request_id, user_id, room_id, position, ts,"
            + " watch_seconds)",
        dir.resolve("watches/day=2026-01-01/part-00000.parquet"));
  }

  @Test
  void readsRoomsUsersClicksConversionsAndSchedules() throws Exception {
    writeLog(true);
    Path quarantine = dir.resolve("quarantine");
    EventLogReader.Loaded l = EventLogReader.read(dir, 30, quarantine);
    RecallDataset d = l.data();
    assertThat(l.roomIds()).containsExactly(10, 20);
    assertThat(l.userIds()).containsExactly(1, 2);
    assertThat(d.userLanguage()).containsExactly(2, -1);
    // no profile columns in this users.parquet: every field unknown
    assertThat(d.userProfile()[0]).containsOnly(-1);
    assertThat(d.clicks()).hasSize(3);
    assertThat(d.clicks().get(0).converted()).isTrue(); // 45 s watch
    assertThat(d.clicks().get(1).converted()).isFalse(); // 10 s watch
    assertThat(l.counts()).containsEntry("unknown_user", 1L);
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        ResultSet rs =
            c.createStatement()
                .executeQuery(
                    "SELECT user_id, reason FROM '"
                        + quarantine.resolve("recall-clicks.parquet")
                        + "'")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getLong(1)).isEqualTo(9);
      assertThat(rs.getString(2)).isEqualTo("unknown_user");
    }
    RoomCatalog rooms = d.rooms();
    assertThat(rooms.tags(0)).containsExactly(2);
    assertThat(rooms.followers(0)).isEqualTo(500);
    assertThat(rooms.followers(1)).isZero(); // unknown -> 0
    long day1 = LocalDate.parse("2026-01-01").toEpochDay() * RecallDataset.DAY_MS;
    long h = 3_600_000L;
    // room 10 lives 20:00-01:00 daily: wraps into the next morning
    assertThat(rooms.liveAt(day1 + 21 * h).isLive(0)).isTrue();
    assertThat(rooms.liveAt(day1 + RecallDataset.DAY_MS + h / 2).isLive(0)).isTrue();
    assertThat(rooms.liveAt(day1 + 12 * h).isLive(0)).isFalse();
    // room 20 is always on, but only from its first day
    assertThat(rooms.liveAt(day1 + 12 * h).isLive(1)).isFalse();
    assertThat(rooms.liveAt(day1 + RecallDataset.DAY_MS + 12 * h).isLive(1)).isTrue();
  }

  @Test
  void profileColumnsAreReadWhereTheyExistAndUnknownElsewhere() throws Exception {
    writeLog(true);
    write(
        "SELECT * FROM (VALUES (2::BIGINT, 1, 0, NULL), (1, 2, 1, 5))"
            + " t(user_id, language, gender, age_bucket)",
        dir.resolve("users.parquet"));
    RecallDataset d = EventLogReader.read(dir, 30, dir.resolve("q")).data();
    // rows follow sorted user ids; fields: gender, age_bucket, city (absent), device (absent)
    assertThat(d.userProfile()[0]).containsExactly(1, 5, -1, -1);
    assertThat(d.userProfile()[1]).containsExactly(0, -1, -1, -1);
  }

  @Test
  void roomWithoutVectorsGetsZerosAndIsCounted() throws Exception {
    writeLog(false);
    EventLogReader.Loaded l = EventLogReader.read(dir, 30, null);
    assertThat(l.counts()).containsEntry("rooms_without_content", 1L);
    assertThat(l.data().rooms().hasContent(1)).isFalse();
    assertThat(l.data().rooms().content(1)).hasSize(96).containsOnly(0f);
  }

  @Test
  void missingColumnFailsNamingFileAndColumn() throws Exception {
    writeLog(true);
    write("SELECT 1::BIGINT AS user_id", dir.resolve("users.parquet"));
    assertThatThrownBy(() -> EventLogReader.read(dir, 30, null))
        .isInstanceOf(LiverecException.class)
        .hasMessageContaining("users.parquet")
        .hasMessageContaining("'language'");
  }
}
