package io.liverec.pipelines.train;

import io.liverec.api.errors.LiverecException;
import io.liverec.pipelines.features.BatchBuilder;
import io.liverec.pipelines.features.ColumnSpec;
import io.liverec.pipelines.features.FeatureCounters;
import io.liverec.pipelines.features.FeatureTransform;
import io.liverec.pipelines.features.Hashing;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Properties;
import java.util.Set;

/**
 * Sample Parquet opened through embedded DuckDB: the time-based split, and mini-batches streamed
 * from a streaming result set (DuckDB sorts and spills; the JVM holds one batch at a time). The
 * training order is a per-epoch hash of (file, row, seed, epoch): a different order each epoch, the
 * same order for the same seed.
 *
 * <p>Size: one class because everything it does runs on one DuckDB connection and one split: {@code
 * open} builds the views and fixes the holdout and validation predicates, and {@link #where}, the
 * statistics and {@link BatchIterator} all read those predicates. The seams are {@code open}'s view
 * building and column checks (about 190 lines) and the nested {@link BatchIterator} (about 130);
 * they are not cut because both need the private split state, and the iterator is public API that
 * RankingEpochs and the batch benchmark use as {@code SampleData.BatchIterator}.
 */
public final class SampleData implements AutoCloseable {

  private final Connection conn;
  private final String source;
  private final ColumnSpec spec;
  private final LocalDate firstDay;
  private final LocalDate lastDay;
  private final LocalDate holdoutFrom;
  private final Set<String> oracleColumns;

  /** SQL predicate of the validation rows within the training window. */
  private final String validation;

  /** True when validation is the latest tenth by time (else a hashed tenth: no {@code ts}). */
  private final boolean validationByTime;

  /** First day of a whole-day validation, or null (validation is a tenth of the rows). */
  private final LocalDate validationFrom;

  private SampleData(
      Connection conn,
      String source,
      ColumnSpec spec,
      LocalDate firstDay,
      LocalDate lastDay,
      LocalDate holdoutFrom,
      Set<String> oracleColumns,
      String validation,
      LocalDate validationFrom) {
    this.conn = conn;
    this.validation = validation;
    this.validationByTime = !validation.equals(HASHED_VALIDATION);
    this.validationFrom = validationFrom;
    this.source = source;
    this.spec = spec;
    this.firstDay = firstDay;
    this.lastDay = lastDay;
    this.holdoutFrom = holdoutFrom;
    this.oracleColumns = oracleColumns;
  }

  /**
   * Opens the samples under {@code samples} (a Parquet file, or a directory searched recursively
   * for {@code *.parquet}), checks that every column the spec names exists (failing with the column
   * and the path), and fixes the split.
   *
   * @param from first day kept (null = all)
   * @param to last day kept (null = all)
   * @param holdoutDays days at the end held out for evaluation (≥ 1)
   */
  public static SampleData open(
      Path samples, ColumnSpec spec, String from, String to, int holdoutDays) {
    return open(samples, spec, from, to, holdoutDays, 0);
  }

  /**
   * As {@link #open(Path, ColumnSpec, String, String, int)}, with {@code validationDays} whole days
   * before the holdout as the validation (0 = the latest tenth of the training rows by time).
   */
  public static SampleData open(
      Path samples, ColumnSpec spec, String from, String to, int holdoutDays, int validationDays) {
    if (validationDays < 0) {
      throw LiverecException.badInput(
          "data.validationDays must be ≥ 0 for ranking, was " + validationDays);
    }
    if (!Files.exists(samples)) {
      throw LiverecException.badInput("sample path does not exist: " + samples);
    }
    if (holdoutDays < 1) {
      throw LiverecException.badInput(
          "data.holdoutDays must be ≥ 1 for ranking, was " + holdoutDays);
    }
    String glob =
        Files.isDirectory(samples)
            ? samples.toAbsolutePath() + "/**/*.parquet"
            : samples.toAbsolutePath().toString();
    // the file's path below the sample root (day=…/part.parquet): a row key independent of where
    // the samples are stored, unique across partitions that reuse file names
    String fileKey =
        Files.isDirectory(samples)
            ? "substr(filename, " + (samples.toAbsolutePath().toString().length() + 2) + ")"
            : "parse_filename(filename)";
    Connection conn = null;
    try {
      Properties props = new Properties();
      props.setProperty("jdbc_stream_results", "true");
      conn = DriverManager.getConnection("jdbc:duckdb:", props);
      try (Statement st = conn.createStatement()) {
        st.execute(
            "CREATE VIEW raw_samples AS SELECT *, "
                + fileKey
                + " AS _file, file_row_number AS _row FROM read_parquet("
                + sqlString(glob)
                + ", filename = true, file_row_number = true, union_by_name = true)");
      }
      Set<String> sampleCols = columns(conn, "raw_samples");
      String roomsJoin = "";
      List<String> fromRooms = new ArrayList<>();
      if (spec.rooms() != null) {
        Path rooms = samples.resolve(spec.rooms().path());
        if (!Files.isDirectory(samples)) {
          rooms = samples.resolveSibling(spec.rooms().path());
        }
        try (Statement st = conn.createStatement()) {
          st.execute(
              "CREATE VIEW rooms AS SELECT * FROM read_parquet("
                  + sqlString(rooms.toAbsolutePath().normalize().toString())
                  + ")");
        } catch (SQLException e) {
          throw LiverecException.badInput(
              "cannot read the rooms table " + rooms + ": " + firstLine(e));
        }
        Set<String> roomCols = columns(conn, "rooms");
        for (String c : spec.featureSources()) {
          if (!sampleCols.contains(c) && roomCols.contains(c)) {
            fromRooms.add(c);
          }
        }
        if (!fromRooms.isEmpty()) {
          StringBuilder sel = new StringBuilder();
          for (String c : fromRooms) {
            sel.append(", r.").append(quote(c));
          }
          roomsJoin = sel.toString();
        }
      }
      Set<String> required = new LinkedHashSet<>(spec.featureSources());
      required.add(spec.userId());
      required.add(spec.click());
      required.add(spec.conversion());
      if (spec.weight() != null) {
        required.add(spec.weight());
      }
      for (String c : required) {
        if (!sampleCols.contains(c) && !fromRooms.contains(c)) {
          throw LiverecException.badInput(
              "column '"
                  + c
                  + "' named by the column spec is not in the samples "
                  + samples
                  + (spec.rooms() != null ? " nor in the rooms table" : "")
                  + "; columns present: "
                  + sampleCols);
        }
      }
      Set<String> oracle = new LinkedHashSet<>();
      for (String c : spec.oracle().values()) {
        if (sampleCols.contains(c)) {
          oracle.add(c);
        }
      }
      String on =
          spec.rooms() == null
              ? null
              : spec.rooms().keyColumns().stream()
                  .map(k -> "s." + quote(k) + " = r." + quote(k))
                  .collect(java.util.stream.Collectors.joining(" AND "));
      String joined =
          "CREATE VIEW joined AS SELECT s.*"
              + roomsJoin
              + " FROM raw_samples s"
              + (roomsJoin.isEmpty() ? "" : " LEFT JOIN rooms r ON " + on);
      String view =
          "CREATE VIEW samples AS SELECT * FROM (SELECT *, CAST("
              + spec.day()
              + " AS DATE) AS _day FROM joined)"
              + dayFilter(from, to);
      try (Statement st = conn.createStatement()) {
        st.execute(joined);
        st.execute(view);
      } catch (SQLException e) {
        throw LiverecException.badInput(
            "cannot evaluate the day expression '"
                + spec.day()
                + "' on "
                + samples
                + ": "
                + firstLine(e));
      }
      LocalDate first;
      LocalDate last;
      try (Statement st = conn.createStatement();
          ResultSet rs = st.executeQuery("SELECT min(_day), max(_day) FROM samples")) {
        rs.next();
        if (rs.getObject(1) == null) {
          throw LiverecException.badInput("no sample rows in " + samples + dayFilter(from, to));
        }
        first = rs.getObject(1, LocalDate.class);
        last = rs.getObject(2, LocalDate.class);
      }
      LocalDate holdoutFrom = last.minusDays(holdoutDays - 1L);
      if (!holdoutFrom.isAfter(first)) {
        throw LiverecException.badInput(
            "data.holdoutDays="
                + holdoutDays
                + " leaves no training days: the samples span "
                + first
                + " .. "
                + last);
      }
      LocalDate validationFrom = null;
      String validation;
      if (validationDays > 0) {
        validationFrom = holdoutFrom.minusDays(validationDays);
        if (!validationFrom.isAfter(first)) {
          throw LiverecException.badInput(
              "data.validationDays="
                  + validationDays
                  + " with data.holdoutDays="
                  + holdoutDays
                  + " leaves no training days: the samples span "
                  + first
                  + " .. "
                  + last);
        }
        validation = "_day >= DATE '" + validationFrom + "'";
      } else {
        validation =
            sampleCols.contains(TIME_COLUMN)
                ? latestTenth(conn, "NOT (" + holdoutPredicate(holdoutFrom) + ")")
                : HASHED_VALIDATION;
      }
      return new SampleData(
          conn,
          samples.toString(),
          spec,
          first,
          last,
          holdoutFrom,
          oracle,
          validation,
          validationFrom);
    } catch (SQLException e) {
      closeQuietly(conn);
      throw LiverecException.badInput("cannot read samples " + samples + ": " + firstLine(e));
    } catch (RuntimeException e) {
      closeQuietly(conn);
      throw e;
    }
  }

  public Connection connection() {
    return conn;
  }

  public ColumnSpec columns() {
    return spec;
  }

  public LocalDate firstDay() {
    return firstDay;
  }

  public LocalDate lastDay() {
    return lastDay;
  }

  public LocalDate holdoutFrom() {
    return holdoutFrom;
  }

  /** True when the samples carry the simulator's oracle columns for all tasks. */
  public boolean hasOracle() {
    return oracleColumns.containsAll(spec.oracle().values()) && !spec.oracle().isEmpty();
  }

  /** The request-time column that orders the training window for the validation split. */
  static final String TIME_COLUMN = "ts";

  private static final String HASHED_VALIDATION =
      "hash(_file, _row, 'validation') % " + Split.VALIDATION_MODULUS + " = 0";

  private static String holdoutPredicate(LocalDate holdoutFrom) {
    return "_day >= DATE '" + holdoutFrom + "'";
  }

  /**
   * The predicate of the latest 1/{@link Split#VALIDATION_MODULUS} of the rows matching {@code
   * window}, ordered by time with a row hash breaking ties (so equal timestamps still split): the
   * cut is the (ts, hash) of the first validation row.
   */
  private static String latestTenth(Connection conn, String window) throws SQLException {
    String key = "hash(_file, _row, 'validation')";
    try (Statement st = conn.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT CAST("
                    + TIME_COLUMN
                    + " AS VARCHAR), typeof("
                    + TIME_COLUMN
                    + "), "
                    + key
                    + " FROM samples WHERE "
                    + window
                    + " AND "
                    + TIME_COLUMN
                    + " IS NOT NULL ORDER BY "
                    + TIME_COLUMN
                    + ", "
                    + key
                    + " LIMIT 1 OFFSET (SELECT count(*) FROM samples WHERE "
                    + window
                    + " AND "
                    + TIME_COLUMN
                    + " IS NOT NULL) * "
                    + (Split.VALIDATION_MODULUS - 1)
                    + " // "
                    + Split.VALIDATION_MODULUS)) {
      if (!rs.next()) {
        return HASHED_VALIDATION; // no timestamps in the window
      }
      String ts = "CAST(" + sqlString(rs.getString(1)) + " AS " + rs.getString(2) + ")";
      String h = rs.getBigDecimal(3).toPlainString();
      return "("
          + TIME_COLUMN
          + " > "
          + ts
          + " OR ("
          + TIME_COLUMN
          + " = "
          + ts
          + " AND "
          + key
          + " >= "
          + h
          + "))";
    }
  }

  /** SQL predicate selecting {@code split}'s rows of view {@code samples}. */
  public String where(Split split) {
    String day = holdoutPredicate(holdoutFrom);
    String val = validation;
    return switch (split) {
      case HOLDOUT -> day;
      case VALIDATION -> "NOT (" + day + ") AND " + val;
      case TRAIN -> "NOT (" + day + ") AND NOT (" + val + ")";
    };
  }

  public String describe(Split split) {
    return switch (split) {
      case HOLDOUT -> "days " + holdoutFrom + " .. " + lastDay;
      case VALIDATION ->
          validationFrom != null
              ? "days " + validationFrom + " .. " + holdoutFrom.minusDays(1)
              : (validationByTime ? "the latest 1/" : "a hashed 1/")
                  + Split.VALIDATION_MODULUS
                  + " (by "
                  + (validationByTime ? TIME_COLUMN : "row")
                  + ") of days "
                  + firstDay
                  + " .. "
                  + holdoutFrom.minusDays(1);
      case TRAIN ->
          validationFrom != null
              ? "days " + firstDay + " .. " + validationFrom.minusDays(1)
              : "days " + firstDay + " .. " + holdoutFrom.minusDays(1) + " minus validation";
    };
  }

  /** Fits the feature transform on the training split only. */
  public io.liverec.pipelines.features.TransformSpec fitTransform() {
    return io.liverec.pipelines.features.TransformFitter.fit(
        conn,
        "(SELECT * FROM samples WHERE " + where(Split.TRAIN) + ")",
        spec,
        describe(Split.TRAIN));
  }

  /**
   * Behaviour-weight odds factor of a label on {@code split}: mean weight of rows where {@code
   * label} (a SQL boolean over the sample columns) holds, over the mean weight of the other rows.
   * NaN without a weight column or when either side is empty. See {@link
   * io.liverec.pipelines.eval.Calibration#weightCorrected}.
   */
  public double weightOddsFactor(Split split, String label) {
    if (spec.weight() == null) {
      return Double.NaN;
    }
    String w = "coalesce(" + quote(spec.weight()) + ", 1.0)";
    String sql =
        "SELECT avg("
            + w
            + ") FILTER (WHERE "
            + label
            + "), avg("
            + w
            + ") FILTER (WHERE NOT ("
            + label
            + ")) FROM samples WHERE "
            + where(split);
    try (Statement st = conn.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      double pos = rs.getDouble(1);
      boolean noPos = rs.wasNull();
      double neg = rs.getDouble(2);
      boolean noNeg = rs.wasNull();
      return noPos || noNeg || !(neg > 0) ? Double.NaN : pos / neg;
    } catch (SQLException e) {
      throw new IllegalStateException("weight odds factor on " + split + " of " + source, e);
    }
  }

  /** The label predicates of the ctr and ctcvr tasks, for {@link #weightOddsFactor}. */
  public Map<String, String> taskLabels() {
    String click = "coalesce(CAST(" + quote(spec.click()) + " AS DOUBLE), 0) > 0.5";
    String conv = "coalesce(CAST(" + quote(spec.conversion()) + " AS DOUBLE), 0) > 0.5";
    Map<String, String> m = new LinkedHashMap<>();
    m.put("ctr", click);
    m.put("ctcvr", click + " AND " + conv);
    return m;
  }

  public long count(Split split) {
    try (Statement st = conn.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) FROM samples WHERE " + where(split))) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException("counting " + split + " rows of " + source, e);
    }
  }

  /**
   * Streams {@code split}'s rows as batches. {@code shuffle} null reads in file order; otherwise
   * rows are ordered by a hash of (file, row, shuffle) — pass a value derived from seed and epoch.
   * Rows without labels are skipped and counted as quarantined.
   */
  public BatchIterator batches(
      Split split, FeatureTransform transform, int batchSize, Long shuffle, FeatureCounters c) {
    Set<String> cols = new LinkedHashSet<>(spec.featureSources());
    cols.add(spec.userId());
    cols.add(spec.click());
    cols.add(spec.conversion());
    if (spec.weight() != null) {
      cols.add(spec.weight());
    }
    cols.addAll(oracleColumns);
    StringBuilder sql = new StringBuilder("SELECT ");
    List<String> names = new ArrayList<>(cols);
    for (int i = 0; i < names.size(); i++) {
      sql.append(i == 0 ? "" : ", ").append(quote(names.get(i)));
    }
    sql.append(" FROM samples WHERE ").append(where(split)).append(" ORDER BY ");
    if (shuffle != null) {
      sql.append("hash(_file, _row, ").append(shuffle).append("::BIGINT), ");
    }
    sql.append("_file, _row");
    try {
      Statement st = conn.createStatement();
      st.setFetchSize(batchSize);
      ResultSet rs = st.executeQuery(sql.toString());
      return new BatchIterator(st, rs, names, transform, batchSize, c);
    } catch (SQLException e) {
      throw LiverecException.badInput("cannot read samples " + source + ": " + firstLine(e));
    }
  }

  /** Batches of a streaming result set; close it when stopping early. */
  public final class BatchIterator implements Iterator<SampleBatch>, AutoCloseable {
    private final Statement st;
    private final ResultSet rs;
    private final Map<String, Integer> index = new HashMap<>();
    private final FeatureTransform transform;
    private final int batchSize;
    private final FeatureCounters counters;
    private SampleBatch next;
    private boolean done;

    private BatchIterator(
        Statement st,
        ResultSet rs,
        List<String> names,
        FeatureTransform transform,
        int batchSize,
        FeatureCounters counters) {
      this.st = st;
      this.rs = rs;
      for (int i = 0; i < names.size(); i++) {
        index.put(names.get(i), i + 1);
      }
      this.transform = transform;
      this.batchSize = batchSize;
      this.counters = counters;
    }

    @Override
    public boolean hasNext() {
      if (next == null && !done) {
        next = read();
      }
      return next != null;
    }

    @Override
    public SampleBatch next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      SampleBatch b = next;
      next = null;
      return b;
    }

    private SampleBatch read() {
      BatchBuilder b = new BatchBuilder(transform.schema(), batchSize);
      Map<String, double[]> oracle = new LinkedHashMap<>();
      for (Map.Entry<String, String> e : spec.oracle().entrySet()) {
        if (oracleColumns.contains(e.getValue())) {
          oracle.put(e.getKey(), new double[batchSize]);
        }
      }
      int n = 0;
      try {
        while (n < batchSize && rs.next()) {
          Object click = rs.getObject(index.get(spec.click()));
          Object conv = rs.getObject(index.get(spec.conversion()));
          if (click == null || conv == null) {
            counters.quarantine();
            continue;
          }
          counters.row();
          float w = 1f;
          if (spec.weight() != null) {
            Object wv = rs.getObject(index.get(spec.weight()));
            w = wv == null ? 1f : (float) ((Number) wv).doubleValue();
          }
          b.set(
              n,
              transform,
              this::value,
              (float) label(click),
              (float) label(conv),
              w,
              userKey(rs.getObject(index.get(spec.userId()))),
              counters);
          for (Map.Entry<String, double[]> e : oracle.entrySet()) {
            Object o = rs.getObject(index.get(spec.oracle().get(e.getKey())));
            e.getValue()[n] = o == null ? Double.NaN : ((Number) o).doubleValue();
          }
          n++;
        }
        if (n < batchSize) {
          done = true;
          close();
        }
      } catch (SQLException e) {
        throw LiverecException.badInput("cannot read samples " + source + ": " + firstLine(e));
      }
      if (n == 0) {
        return null;
      }
      if (n < batchSize) {
        for (Map.Entry<String, double[]> e : oracle.entrySet()) {
          e.setValue(java.util.Arrays.copyOf(e.getValue(), n));
        }
      }
      if (!oracle.containsKey("ctcvr") && oracle.containsKey("ctr") && oracle.containsKey("cvr")) {
        // ESMM's identity: p(click ∧ conversion) = p(click) · p(conversion | click)
        double[] ctcvr = new double[n];
        for (int i = 0; i < n; i++) {
          ctcvr[i] = oracle.get("ctr")[i] * oracle.get("cvr")[i];
        }
        oracle.put("ctcvr", ctcvr);
      }
      return new SampleBatch(b.build(n), oracle);
    }

    private Object value(String column) {
      try {
        return rs.getObject(index.get(column));
      } catch (SQLException e) {
        throw new IllegalStateException("reading column " + column, e);
      }
    }

    @Override
    public void close() {
      done = true;
      try {
        rs.close();
        st.close();
      } catch (SQLException e) {
        // closing a finished stream; nothing to recover
      }
    }
  }

  static double label(Object v) {
    if (v instanceof Boolean b) {
      return b ? 1 : 0;
    }
    return ((Number) v).doubleValue() > 0.5 ? 1 : 0;
  }

  /** A user id as a long: integral ids as they are, anything else hashed. */
  static long userKey(Object v) {
    if (v instanceof Long || v instanceof Integer || v instanceof Short) {
      return ((Number) v).longValue();
    }
    return v == null ? 0 : Hashing.fnv1a64(v.toString());
  }

  private static String dayFilter(String from, String to) {
    List<String> parts = new ArrayList<>();
    if (from != null) {
      parts.add("_day >= DATE " + sqlString(LocalDate.parse(from).toString()));
    }
    if (to != null) {
      parts.add("_day <= DATE " + sqlString(LocalDate.parse(to).toString()));
    }
    return parts.isEmpty() ? "" : " WHERE " + String.join(" AND ", parts);
  }

  static Set<String> columns(Connection conn, String relation) throws SQLException {
    Set<String> cols = new LinkedHashSet<>();
    try (Statement st = conn.createStatement();
        ResultSet rs = st.executeQuery("DESCRIBE " + relation)) {
      while (rs.next()) {
        cols.add(rs.getString(1));
      }
    }
    return cols;
  }

  static String quote(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }

  static String sqlString(String s) {
    return "'" + s.replace("'", "''") + "'";
  }

  private static String firstLine(SQLException e) {
    String m = String.valueOf(e.getMessage());
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }

  private static void closeQuietly(Connection c) {
    if (c != null) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // already failing with a better message
      }
    }
  }

  @Override
  public void close() {
    closeQuietly(conn);
  }
}
