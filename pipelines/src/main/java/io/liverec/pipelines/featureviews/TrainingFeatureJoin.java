package io.liverec.pipelines.featureviews;

import io.liverec.api.errors.LiverecException;
import io.liverec.api.v1alpha1.FeatureViewSpec;
import io.liverec.featurestore.offline.DuckDbPointInTimeJoin;
import io.liverec.featurestore.offline.PointInTimeSql;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Joins training samples with feature views point-in-time ({@link PointInTimeSql}, Feast's SQL
 * offline-store semantics): each sample gets, per view, the source row of its entity with the
 * latest {@code event_timestamp ≤} the sample's request time {@code ts} and within the view's ttl
 * (ties: latest created time), or nulls. Run by embedded DuckDB ({@link DuckDbPointInTimeJoin});
 * the output is a sample table of the same files ({@code day=D/part-00000.parquet}) with the
 * features as extra columns, rows in the input's order.
 */
public final class TrainingFeatureJoin {
  /** The samples' request time (epoch milliseconds): the entity timestamp of the join. */
  public static final String TIME_COLUMN = "ts";

  private static final String PIT_TS = "_pit_ts";
  private static final Set<FeatureViewSpec.ValueType> NUMERIC =
      Set.of(
          FeatureViewSpec.ValueType.INT32,
          FeatureViewSpec.ValueType.INT64,
          FeatureViewSpec.ValueType.FLOAT,
          FeatureViewSpec.ValueType.DOUBLE);

  private TrainingFeatureJoin() {}

  /**
   * The views {@code spec.data.featureViews} names as the embedded registry over {@code log} holds
   * them ({@link TrainingFeatureViews#embedded}); a missing or invalid definition is bad input
   * naming the list entry.
   */
  public static List<PointInTimeSql.View> resolve(Path log, List<String> names) {
    return TrainingFeatureViews.resolve(TrainingFeatureViews.embedded(log, null), null, names);
  }

  /** The joined features a model can take as numbers (bucketized by the default column spec). */
  public static List<String> numericFeatures(List<PointInTimeSql.View> views) {
    List<String> out = new ArrayList<>();
    for (PointInTimeSql.View v : views) {
      for (FeatureViewSpec.Field f : v.spec().features) {
        if (v.features().contains(f.name) && NUMERIC.contains(f.type)) {
          out.add(f.name);
        }
      }
    }
    return out;
  }

  /**
   * Joins the sample table under {@code samples} (a directory of Parquet files, e.g. {@code
   * day=D/part-00000.parquet}) with {@code views} and writes the result to {@code out}, replacing
   * it: file by file, each to the same relative path with its rows in the same order and the
   * features as extra columns, so a reader keying rows by (file, row) — the trainer's shuffle and
   * split — sees the same rows as in the input. Returns the number of rows written (the number of
   * samples: the join is a left join).
   */
  public static long join(Path samples, List<PointInTimeSql.View> views, Path out) {
    Path root = samples.toAbsolutePath();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(root)) {
      files = walk.filter(f -> f.toString().endsWith(".parquet")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the samples under " + samples, e);
    }
    if (files.isEmpty()) {
      throw LiverecException.badInput(
          "spec.data.featureViews: no sample files (*.parquet) under " + samples);
    }
    Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
    deleteRecursively(tmp);
    long rows = 0;
    try (Connection c = DuckDbPointInTimeJoin.connect();
        Statement st = c.createStatement()) {
      for (Path file : files) {
        Path target = tmp.resolve(root.relativize(file).toString());
        Files.createDirectories(target.getParent());
        rows += joinFile(st, file, views, target);
      }
    } catch (SQLException e) {
      throw LiverecException.badInput(
          "spec.data.featureViews: joining "
              + samples
              + " point-in-time failed: "
              + e.getMessage());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the joined samples under " + tmp, e);
    }
    deleteRecursively(out);
    try {
      Files.move(tmp, out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot move " + tmp + " to " + out, e);
    }
    return rows;
  }

  private static long joinFile(
      Statement st, Path file, List<PointInTimeSql.View> views, Path target) throws SQLException {
    String rows =
        "read_parquet("
            + str(file.toString())
            + ", hive_partitioning = false, file_row_number = true)";
    requireTime(st, rows, file);
    String entities =
        "(SELECT * EXCLUDE (file_row_number), file_row_number AS _src_row, epoch_ms(CAST("
            + TIME_COLUMN
            + " AS BIGINT)) AS "
            + PIT_TS
            + " FROM "
            + rows
            + ")";
    PointInTimeSql sql;
    try {
      sql = DuckDbPointInTimeJoin.prepare(st, entities, PIT_TS, views, false);
    } catch (LiverecException e) {
      throw LiverecException.badInput("spec.data.featureViews: " + e.getMessage());
    }
    st.execute(
        "COPY (SELECT * EXCLUDE ("
            + PIT_TS
            + ", _src_row) FROM ("
            + sql.sql()
            + ") j ORDER BY _src_row) TO "
            + str(target.toString())
            + " (FORMAT parquet)");
    return st.getUpdateCount();
  }

  private static void requireTime(Statement st, String rows, Path file) throws SQLException {
    List<String> cols = new ArrayList<>();
    try (var rs = st.executeQuery("DESCRIBE SELECT * FROM " + rows)) {
      while (rs.next()) {
        cols.add(rs.getString(1));
      }
    }
    if (!cols.contains(TIME_COLUMN)) {
      throw LiverecException.badInput(
          "spec.data.featureViews: the samples "
              + file
              + " have no request-time column '"
              + TIME_COLUMN
              + "' (epoch ms) to join the features as of; columns: "
              + cols);
    }
  }

  static void deleteRecursively(Path p) {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(p)) {
      for (Path f : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(f);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + p, e);
    }
  }

  private static String str(String s) {
    return "'" + s.replace("'", "''") + "'";
  }
}
