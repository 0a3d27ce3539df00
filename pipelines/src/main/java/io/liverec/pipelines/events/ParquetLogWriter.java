package io.liverec.pipelines.events;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Streams rows of the event log's tables to Parquet through an in-memory DuckDB: rows go into a
 * DuckDB table through its appender and, every {@code chunkRows} rows and at every day boundary,
 * that table is copied to a new Parquet file and emptied. Memory is bounded by one chunk per table,
 * whatever the length of the log.
 *
 * <p>Layout: {@code <root>/<table>/day=yyyy-MM-dd/part-NNNNN.parquet} for day-partitioned tables,
 * {@code <root>/<table>.parquet} for side tables. Not thread-safe: one writer per thread.
 */
public final class ParquetLogWriter implements AutoCloseable {

  private final Path root;
  private final long chunkRows;
  private final DuckDBConnection conn;
  private final Map<String, Sink> sinks = new LinkedHashMap<>();
  private String day;

  public ParquetLogWriter(Path root, long chunkRows) {
    this.root = root;
    this.chunkRows = chunkRows;
    try {
      Files.createDirectories(root);
      this.conn = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + root, e);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot start embedded DuckDB", e);
    }
  }

  /** The sink of one table (created on first use). */
  public Sink sink(EventSchema.Table table) {
    return sinks.computeIfAbsent(table.name(), n -> new Sink(table));
  }

  /** Starts a new day partition: flushes everything written for the previous day. */
  public void startDay(String newDay) {
    for (Sink s : sinks.values()) {
      if (s.table.partitioned()) {
        s.flush();
      }
    }
    this.day = newDay;
  }

  @Override
  public void close() {
    try {
      for (Sink s : sinks.values()) {
        s.flush();
        s.appender.close();
      }
      conn.close();
    } catch (SQLException e) {
      throw new IllegalStateException("closing the Parquet writer under " + root, e);
    }
  }

  static String sqlString(String s) {
    return "'" + s.replace("'", "''") + "'";
  }

  /** Appends rows to one table. */
  public final class Sink {
    private final EventSchema.Table table;
    private final String tmpName;
    private final DuckDBAppender appender;
    private long pending;
    private long written;
    private final Map<String, Integer> partsPerDay = new LinkedHashMap<>();

    private Sink(EventSchema.Table table) {
      this.table = table;
      this.tmpName = "w_" + table.name();
      try (Statement st = conn.createStatement()) {
        st.execute("CREATE TABLE " + tmpName + " (" + table.ddlColumns() + ")");
        this.appender = conn.createAppender("main", tmpName);
      } catch (SQLException e) {
        throw new IllegalStateException("cannot create writer table for " + table.name(), e);
      }
    }

    /** Begins a row; append exactly one value per column in schema order, then {@link #end()}. */
    public DuckDBAppender begin() throws SQLException {
      return appender.beginRow();
    }

    /** Ends the row begun by {@link #begin()}. */
    public void end() throws SQLException {
      appender.endRow();
      pending++;
      written++;
      if (table.partitioned() && pending >= chunkRows) {
        flush();
      }
    }

    /** Rows written so far (flushed or not). */
    public long rows() {
      return written;
    }

    void flush() {
      if (pending == 0) {
        return;
      }
      try {
        appender.flush();
        Path file;
        if (table.partitioned()) {
          if (day == null) {
            throw new IllegalStateException("startDay() was not called before writing " + table);
          }
          int part = partsPerDay.merge(day, 1, Integer::sum) - 1;
          Path dir = root.resolve(table.name()).resolve(EventSchema.DAY + "=" + day);
          Files.createDirectories(dir);
          file = dir.resolve(String.format("part-%05d.parquet", part));
        } else {
          file = root.resolve(table.name() + ".parquet");
        }
        try (Statement st = conn.createStatement()) {
          st.execute(
              "COPY "
                  + tmpName
                  + " TO "
                  + sqlString(file.toString())
                  + " (FORMAT parquet, COMPRESSION zstd)");
          st.execute("DELETE FROM " + tmpName);
        }
        pending = 0;
      } catch (SQLException e) {
        throw new IllegalStateException("writing " + table.name() + " under " + root, e);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
