package io.liverec.pipelines.features;

import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Fits a {@link TransformSpec} with DuckDB aggregates over the training rows only (vocabularies,
 * quantile bucket boundaries, mean and standard deviation of finite values), so no statistic leaks
 * from validation or holdout days.
 */
public final class TransformFitter {

  private TransformFitter() {}

  /**
   * @param conn a DuckDB connection
   * @param relation SQL relation of the training rows, e.g. {@code (SELECT * FROM samples WHERE
   *     ...)}
   * @param window description of those rows, recorded in the spec
   */
  public static TransformSpec fit(
      Connection conn, String relation, ColumnSpec spec, String window) {
    try (Statement st = conn.createStatement()) {
      long rows;
      try (ResultSet rs = st.executeQuery("SELECT count(*) FROM " + relation + " t")) {
        rs.next();
        rows = rs.getLong(1);
      }
      List<TransformSpec.Fitted> fitted = new ArrayList<>();
      for (FeatureColumn c : spec.features()) {
        String col = '"' + c.source().replace("\"", "\"\"") + '"';
        fitted.add(
            switch (c.kind()) {
              case VOCAB -> vocab(st, relation, c, col);
              case BUCKET -> buckets(st, relation, c, col);
              case DENSE -> moments(st, relation, c, col);
              case HASH, SEQUENCE, VECTOR ->
                  new TransformSpec.Fitted(c.name(), null, null, null, null);
            });
      }
      return new TransformSpec(spec, fitted, window, rows);
    } catch (SQLException e) {
      throw new IllegalStateException("fitting the feature transform on " + window, e);
    }
  }

  private static TransformSpec.Fitted vocab(
      Statement st, String relation, FeatureColumn c, String col) throws SQLException {
    List<String> vocab = new ArrayList<>();
    // most frequent first; ties by value so the vocabulary is deterministic
    // integral floating values print without a fraction, as FeatureTransform.categoricalKey does
    String type = "";
    try (ResultSet rs =
        st.executeQuery("SELECT typeof(" + col + ") FROM " + relation + " t LIMIT 1")) {
      if (rs.next()) {
        type = rs.getString(1);
      }
    }
    String key =
        type.equals("DOUBLE") || type.equals("FLOAT")
            ? "CASE WHEN "
                + col
                + " = round("
                + col
                + ") AND abs("
                + col
                + ") < 1e15 THEN CAST(CAST("
                + col
                + " AS BIGINT) AS VARCHAR) ELSE CAST("
                + col
                + " AS VARCHAR) END"
            : "CAST(" + col + " AS VARCHAR)";
    String sql =
        "SELECT "
            + key
            + " AS v, count(*) AS n FROM "
            + relation
            + " t WHERE "
            + col
            + " IS NOT NULL GROUP BY v ORDER BY n DESC, v LIMIT "
            + c.size();
    try (ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        vocab.add(rs.getString(1));
      }
    }
    return new TransformSpec.Fitted(c.name(), vocab, null, null, null);
  }

  private static TransformSpec.Fitted buckets(
      Statement st, String relation, FeatureColumn c, String col) throws SQLException {
    int k = c.buckets();
    StringBuilder qs = new StringBuilder("[");
    for (int i = 1; i < k; i++) {
      qs.append(i == 1 ? "" : ", ").append((double) i / k);
    }
    qs.append(']');
    String sql =
        "SELECT quantile_cont(x, "
            + qs
            + ") FROM (SELECT CAST("
            + col
            + " AS DOUBLE) AS x FROM "
            + relation
            + " t) WHERE isfinite(x)";
    double[] bounds = new double[0];
    try (ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      Array a = rs.getArray(1);
      if (a != null) {
        Object[] vals = (Object[]) a.getArray();
        bounds =
            Arrays.stream(vals)
                .filter(v -> v != null)
                .mapToDouble(v -> ((Number) v).doubleValue())
                .distinct()
                .sorted()
                .toArray();
      }
    }
    return new TransformSpec.Fitted(c.name(), null, bounds, null, null);
  }

  private static TransformSpec.Fitted moments(
      Statement st, String relation, FeatureColumn c, String col) throws SQLException {
    String sql =
        "SELECT avg(x), stddev_pop(x) FROM (SELECT CAST("
            + col
            + " AS DOUBLE) AS x FROM "
            + relation
            + " t) WHERE isfinite(x)";
    try (ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      double mean = rs.getObject(1) == null ? 0 : rs.getDouble(1);
      double std = rs.getObject(2) == null ? 0 : rs.getDouble(2);
      return new TransformSpec.Fitted(c.name(), null, null, mean, std > 0 ? std : 1.0);
    }
  }
}
