package io.liverec.pipelines.events;

import io.liverec.api.errors.LiverecException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Checks that a Parquet file has every column of its table with the expected type, before any work:
 * a missing column or a wrong type is a bad-input error naming the file and the column. Extra
 * columns are allowed (and ignored by the samplers).
 */
public final class SchemaCheck {
  private SchemaCheck() {}

  /** Column name → DuckDB type of a Parquet file, read through DuckDB. */
  public static Map<String, String> columns(Connection conn, Path file) {
    Map<String, String> cols = new LinkedHashMap<>();
    try (Statement st = conn.createStatement();
        ResultSet rs =
            st.executeQuery(
                "DESCRIBE SELECT * FROM read_parquet("
                    + ParquetLogWriter.sqlString(file.toString())
                    + ")")) {
      while (rs.next()) {
        cols.put(rs.getString("column_name"), rs.getString("column_type"));
      }
    } catch (SQLException e) {
      throw LiverecException.badInput(
          "file " + file + ": not a readable Parquet file (" + e.getMessage() + ")");
    }
    return cols;
  }

  /** Fails unless {@code actual} (column → type) holds every column of {@code table}. */
  public static void require(EventSchema.Table table, String file, Map<String, String> actual) {
    for (EventSchema.Column c : table.columns()) {
      String type = actual.get(c.name());
      if (type == null) {
        throw LiverecException.badInput(
            "file "
                + file
                + ": missing column '"
                + c.name()
                + "' ("
                + c.type()
                + ") of table "
                + table.name()
                + "; see docs/DATA.md");
      }
      if (!type.equalsIgnoreCase(c.type())) {
        throw LiverecException.badInput(
            "file "
                + file
                + ": column '"
                + c.name()
                + "' has type "
                + type
                + ", expected "
                + c.type()
                + " (table "
                + table.name()
                + "; see docs/DATA.md)");
      }
    }
  }

  /** Reads and checks one file. */
  public static void check(Connection conn, EventSchema.Table table, Path file) {
    require(table, file.toString(), columns(conn, file));
  }
}
