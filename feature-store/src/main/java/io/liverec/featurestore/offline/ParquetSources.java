package io.liverec.featurestore.offline;

import io.liverec.api.errors.LiverecException;
import io.liverec.api.v1alpha1.FeatureViewSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A feature view's Parquet source as DuckDB reads it, and the check of its declared columns. */
public final class ParquetSources {
  private ParquetSources() {}

  /** A local path for {@code file://} URIs (Feast and DuckDB read paths); other URIs unchanged. */
  public static String sourcePath(String uri) {
    return uri.startsWith("file://") ? java.net.URI.create(uri).getPath() : uri;
  }

  /** {@code read_parquet(…)} over a file or, for a directory, every Parquet file below it. */
  public static String duckDbRelation(String uri) {
    String path = sourcePath(uri);
    boolean dir = !path.contains("://") && Files.isDirectory(Path.of(path));
    String glob = dir ? path.replaceAll("/+$", "") + "/**/*.parquet" : path;
    return "read_parquet('"
        + glob.replace("'", "''")
        + "'"
        + (dir ? ", union_by_name=true" : "")
        + ")";
  }

  /** The local path of a source, when it is one that exists on this machine. */
  public static Optional<Path> localPath(String uri) {
    String path = sourcePath(uri);
    if (path.contains("://")) {
      return Optional.empty();
    }
    Path p = Path.of(path);
    return Files.exists(p) ? Optional.of(p) : Optional.empty();
  }

  /** Column name → DuckDB type of a source. */
  public static Map<String, String> columns(Connection c, String uri) throws SQLException {
    Map<String, String> cols = new LinkedHashMap<>();
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("DESCRIBE SELECT * FROM " + duckDbRelation(uri))) {
      while (rs.next()) {
        cols.put(rs.getString(1), rs.getString(2));
      }
    }
    return cols;
  }

  /**
   * Rejects a spec whose local source lacks a declared column, naming the field ({@code
   * spec.features[2].name: column 'gift_7d' is not in …}). Sources that are not local files (S3,
   * HDFS, or not present on this machine) are checked when they are read, and so is every source
   * where DuckDB is not on the class path (the operator's image).
   */
  public static void requireDeclaredColumns(FeatureViewSpec spec) {
    if (localPath(spec.source.uri).isEmpty() || !available("org.duckdb.DuckDBDriver")) {
      return;
    }
    Map<String, String> cols;
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
      cols = columns(c, spec.source.uri);
    } catch (SQLException e) {
      throw LiverecException.badInput(
          "spec.source.uri: cannot read Parquet at " + spec.source.uri + ": " + e.getMessage());
    }
    List<String> missing = new ArrayList<>();
    for (int i = 0; i < spec.entities.size(); i++) {
      check(cols, spec.entities.get(i).name, "spec.entities[" + i + "].name", missing);
    }
    for (int i = 0; i < spec.features.size(); i++) {
      check(cols, spec.features.get(i).name, "spec.features[" + i + "].name", missing);
    }
    check(cols, spec.source.timestampField, "spec.source.timestampField", missing);
    if (spec.source.createdTimestampField != null) {
      check(cols, spec.source.createdTimestampField, "spec.source.createdTimestampField", missing);
    }
    if (!missing.isEmpty()) {
      throw LiverecException.badInput(
          String.join("; ", missing)
              + " (source "
              + spec.source.uri
              + " has columns "
              + String.join(", ", cols.keySet())
              + ")");
    }
  }

  /** Whether an optional engine (DuckDB, SQLite: optional dependencies) is on the class path. */
  public static boolean available(String driverClass) {
    try {
      Class.forName(driverClass, false, ParquetSources.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  private static void check(Map<String, String> cols, String name, String field, List<String> out) {
    if (!cols.containsKey(name)) {
      out.add(field + ": column '" + name + "' is not in the source");
    }
  }
}
