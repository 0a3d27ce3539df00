package io.liverec.featurestore.offline;

import io.liverec.api.errors.LiverecException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link PointInTimeSql} run by DuckDB embedded: entity rows from any DuckDB relation (e.g. {@code
 * read_parquet('samples/day=*\/*.parquet', hive_partitioning=true)}), feature views from their
 * Parquet sources, the result written as Parquet.
 */
public final class DuckDbPointInTimeJoin {
  private DuckDbPointInTimeJoin() {}

  /** Joins and writes {@code out} (a Parquet file); returns the number of rows written. */
  public static long toParquet(
      String entityRelation,
      String timestampColumn,
      List<PointInTimeSql.View> views,
      boolean fullFeatureNames,
      Path out) {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement()) {
      PointInTimeSql sql = prepare(st, entityRelation, timestampColumn, views, fullFeatureNames);
      String copy =
          "COPY ("
              + sql.sql()
              + ") TO '"
              + out.toString().replace("'", "''")
              + "' (FORMAT parquet)";
      if (st.execute(copy)) {
        try (ResultSet rs = st.getResultSet()) {
          return rs.next() ? rs.getLong(1) : 0;
        }
      }
      return st.getUpdateCount();
    } catch (SQLException e) {
      throw LiverecException.badInput("point-in-time join failed: " + e.getMessage());
    }
  }

  /**
   * Creates the input views on a DuckDB connection (session time zone set to UTC) and returns the
   * SQL to run there, for callers that stream the result themselves.
   */
  public static PointInTimeSql prepare(
      Statement st,
      String entityRelation,
      String timestampColumn,
      List<PointInTimeSql.View> views,
      boolean fullFeatureNames)
      throws SQLException {
    st.execute("SET TimeZone = 'UTC'");
    List<String> cols = new ArrayList<>();
    try (ResultSet rs = st.executeQuery("DESCRIBE SELECT * FROM " + entityRelation)) {
      while (rs.next()) {
        cols.add(rs.getString(1));
      }
    }
    PointInTimeSql sql;
    try {
      sql = new PointInTimeSql(cols, timestampColumn, views, fullFeatureNames);
    } catch (IllegalArgumentException e) {
      throw LiverecException.badInput(e.getMessage());
    }
    st.execute(
        "CREATE OR REPLACE TEMP VIEW "
            + PointInTimeSql.ENTITY_ROWS
            + " AS "
            + sql.entityViewSql(entityRelation));
    for (int i = 0; i < views.size(); i++) {
      ParquetSources.requireDeclaredColumns(views.get(i).spec());
      st.execute(
          "CREATE OR REPLACE TEMP VIEW "
              + PointInTimeSql.source(i)
              + " AS "
              + sql.sourceViewSql(
                  i, ParquetSources.duckDbRelation(views.get(i).spec().source.uri)));
    }
    return sql;
  }

  /** A connection for {@link #prepare}: in-memory DuckDB. */
  public static Connection connect() throws SQLException {
    return DriverManager.getConnection("jdbc:duckdb:");
  }
}
