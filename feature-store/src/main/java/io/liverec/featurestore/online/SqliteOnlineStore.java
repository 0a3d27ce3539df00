package io.liverec.featurestore.online;

import io.liverec.api.errors.LiverecException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Feast's {@code sqlite} online store: table {@code <project>_<view>} with one row per (entity key,
 * feature), the value a serialized {@code feast.types.Value}, event and created times as epoch
 * seconds (Feast Python reads them back correctly when it runs with {@code TZ=UTC}). Writes are
 * upserts, as Feast's: the last write wins.
 */
public final class SqliteOnlineStore implements OnlineStore {
  private final Path path;
  private final Connection conn;

  public SqliteOnlineStore(Path path) {
    this.path = path;
    try {
      Files.createDirectories(path.toAbsolutePath().getParent());
      conn = DriverManager.getConnection("jdbc:sqlite:" + path);
      try (Statement st = conn.createStatement()) {
        st.execute("PRAGMA busy_timeout = 10000");
      }
    } catch (Exception e) {
      throw LiverecException.badInput("cannot open the SQLite online store " + path + ": " + e);
    }
  }

  static String table(String project, String view) {
    return project + "_" + view;
  }

  private static String quote(String id) {
    return '"' + id.replace("\"", "\"\"") + '"';
  }

  private void ensureTable(String t) throws SQLException {
    try (Statement st = conn.createStatement()) {
      st.execute(
          "CREATE TABLE IF NOT EXISTS "
              + quote(t)
              + " (entity_key BLOB, feature_name TEXT, value BLOB, value_text TEXT,"
              + " vector_value BLOB, event_ts timestamp, created_ts timestamp,"
              + " PRIMARY KEY(entity_key, feature_name))");
      st.execute(
          "CREATE INDEX IF NOT EXISTS " + quote(t + "_ek") + " ON " + quote(t) + " (entity_key)");
    }
  }

  @Override
  public synchronized void prepare(String project, String view) {
    try {
      ensureTable(table(project, view));
    } catch (SQLException e) {
      throw LiverecException.unreachable(
          "cannot create " + table(project, view) + " in " + path, e);
    }
  }

  @Override
  public synchronized int write(String project, String view, List<Row> rows) {
    String t = table(project, view);
    try {
      ensureTable(t);
      conn.setAutoCommit(false);
      try (PreparedStatement ps =
          conn.prepareStatement(
              "INSERT INTO "
                  + quote(t)
                  + " (entity_key, feature_name, value, value_text, event_ts, created_ts)"
                  + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(entity_key, feature_name) DO UPDATE SET"
                  + " value = excluded.value, value_text = excluded.value_text,"
                  + " event_ts = excluded.event_ts, created_ts = excluded.created_ts")) {
        for (Row r : rows) {
          for (var e : r.values().entrySet()) {
            ps.setBytes(1, r.entityKey());
            ps.setString(2, e.getKey());
            ps.setBytes(3, e.getValue().toByteArray());
            ps.setString(4, valueText(e.getValue()));
            ps.setLong(5, r.eventTs().getEpochSecond());
            if (r.createdTs() == null) {
              ps.setNull(6, java.sql.Types.INTEGER);
            } else {
              ps.setLong(6, r.createdTs().getEpochSecond());
            }
            ps.addBatch();
          }
        }
        ps.executeBatch();
      }
      conn.commit();
      return rows.size();
    } catch (SQLException e) {
      try {
        conn.rollback();
      } catch (SQLException ignored) {
        // the write failed already; report that
      }
      throw LiverecException.unreachable("cannot write " + t + " in " + path + ": " + e, e);
    } finally {
      try {
        conn.setAutoCommit(true);
      } catch (SQLException ignored) {
        // connection broken: the next call reports it
      }
    }
  }

  /** Feast's {@code value_text}: the text of scalar values, null otherwise. */
  private static String valueText(feast.proto.types.ValueProto.Value v) {
    return switch (v.getValCase()) {
      case STRING_VAL -> v.getStringVal();
      case INT64_VAL -> Long.toString(v.getInt64Val());
      case INT32_VAL -> Integer.toString(v.getInt32Val());
      case DOUBLE_VAL -> pythonFloat(v.getDoubleVal());
      case FLOAT_VAL -> pythonFloat(v.getFloatVal());
      case BOOL_VAL -> v.getBoolVal() ? "True" : "False";
      default -> null;
    };
  }

  private static String pythonFloat(double d) {
    return Double.toString(d);
  }

  @Override
  public synchronized List<Stored> read(
      String project, String view, List<byte[]> keys, List<String> features) {
    String t = table(project, view);
    List<Stored> out = new ArrayList<>(keys.size());
    Map<ByteBuffer, Stored> found = new HashMap<>();
    try {
      if (!tableExists(t)) {
        keys.forEach(k -> out.add(null));
        return out;
      }
      for (int from = 0; from < keys.size(); from += 500) {
        List<byte[]> chunk = keys.subList(from, Math.min(keys.size(), from + 500));
        String in = String.join(",", java.util.Collections.nCopies(chunk.size(), "?"));
        try (PreparedStatement ps =
            conn.prepareStatement(
                "SELECT entity_key, feature_name, value, event_ts FROM "
                    + quote(t)
                    + " WHERE entity_key IN ("
                    + in
                    + ")")) {
          for (int i = 0; i < chunk.size(); i++) {
            ps.setBytes(i + 1, chunk.get(i));
          }
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              ByteBuffer k = ByteBuffer.wrap(rs.getBytes(1));
              Stored s =
                  found.computeIfAbsent(
                      k, x -> new Stored(instantOf(rs), new HashMap<>(features.size())));
              s.values().put(rs.getString(2), rs.getBytes(3));
            }
          }
        }
      }
    } catch (SQLException e) {
      throw LiverecException.unreachable("cannot read " + t + " in " + path + ": " + e, e);
    }
    for (byte[] k : keys) {
      Stored s = found.get(ByteBuffer.wrap(k));
      if (s != null) {
        s.values().keySet().retainAll(features);
      }
      out.add(s);
    }
    return out;
  }

  private static Instant instantOf(ResultSet rs) {
    try {
      Object ts = rs.getObject(4);
      if (ts instanceof Number n) {
        return Instant.ofEpochSecond(n.longValue());
      }
      // written by an older Feast as ISO text
      return ts == null
          ? Instant.EPOCH
          : java.time.LocalDateTime.parse(ts.toString().replace(' ', 'T'))
              .toInstant(java.time.ZoneOffset.UTC);
    } catch (SQLException | RuntimeException e) {
      return Instant.EPOCH;
    }
  }

  private boolean tableExists(String t) throws SQLException {
    try (PreparedStatement ps =
        conn.prepareStatement("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?")) {
      ps.setString(1, t);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  @Override
  public synchronized void close() {
    try {
      conn.close();
    } catch (SQLException ignored) {
      // closing
    }
  }
}
