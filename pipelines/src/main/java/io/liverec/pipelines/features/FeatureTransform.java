package io.liverec.pipelines.features;

import java.sql.Array;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Applies a fitted {@link TransformSpec} to raw rows. Training (batches streamed from Parquet) and
 * serving (one request row as a map) both go through {@link #transformRow}, so the tensors are the
 * same for the same raw values.
 *
 * <p>Repair rule for bad values (counted in {@link FeatureCounters}): numeric null/NaN/±inf → the
 * training mean for {@code dense} (so 0 after standardisation), bucket 0 for {@code bucket};
 * categorical null → id 0; vector element NaN/±inf → 0; vector of the wrong width → zeros; sequence
 * shorter than its length → padded with 0, longer → the first {@code length} (most recent) kept.
 */
public final class FeatureTransform {

  private final TransformSpec spec;
  private final FeatureSchema schema;
  private final List<FeatureColumn> columns;
  private final Map<String, Long>[] vocabIds;

  /** For a sequence feature: index of the vocab feature whose ids it shares, or -1 (hashed). */
  private final int[] seqVocab;

  @SuppressWarnings("unchecked")
  public FeatureTransform(TransformSpec spec) {
    this.spec = spec;
    this.schema = spec.schema();
    this.columns = spec.columns().features();
    this.vocabIds = new Map[columns.size()];
    for (int i = 0; i < columns.size(); i++) {
      if (columns.get(i).kind() == FeatureKind.VOCAB) {
        Map<String, Long> ids = new HashMap<>();
        List<String> vocab = spec.fitted().get(i).vocab();
        for (int v = 0; v < vocab.size(); v++) {
          ids.put(vocab.get(v), v + 1L);
        }
        vocabIds[i] = ids;
      }
    }
    this.seqVocab = new int[columns.size()];
    for (int i = 0; i < columns.size(); i++) {
      seqVocab[i] =
          columns.get(i).kind() == FeatureKind.SEQUENCE
              ? spec.vocabFeature(columns.get(i).hashSalt())
              : -1;
    }
  }

  public TransformSpec spec() {
    return spec;
  }

  public FeatureSchema schema() {
    return schema;
  }

  /**
   * Transforms one raw row into the given per-row arrays (widths per {@link #schema()}).
   *
   * @param raw column name → raw value (Number, String, Boolean, List, array or java.sql.Array)
   */
  public void transformRow(
      Function<String, Object> raw,
      long[] sparse,
      float[] dense,
      long[] seq,
      float[] multimodal,
      FeatureCounters counters) {
    transformRow(raw, sparse, dense, seq, multimodal, counters, null);
  }

  /** The raw column each feature reads, by feature position (for {@code only} masks). */
  public List<String> sources() {
    return columns.stream().map(FeatureColumn::source).toList();
  }

  /**
   * As {@link #transformRow(Function, long[], float[], long[], float[], FeatureCounters)}, but only
   * the features with {@code only[i]} set are written; the others' slots are left as they are. A
   * caller transforming many rows that share some raw columns (serving: one user, many rooms)
   * transforms the shared features once and copies them.
   *
   * @param only per feature position (see {@link #sources()}), or null for all
   */
  public void transformRow(
      Function<String, Object> raw,
      long[] sparse,
      float[] dense,
      long[] seq,
      float[] multimodal,
      FeatureCounters counters,
      boolean[] only) {
    int s = 0;
    int d = 0;
    int m = 0;
    for (int i = 0; i < columns.size(); i++) {
      FeatureColumn c = columns.get(i);
      if (only != null && !only[i]) {
        switch (c.kind()) {
          case HASH, VOCAB, BUCKET -> s++;
          case DENSE -> d++;
          case VECTOR -> m += c.length();
          case SEQUENCE -> {}
        }
        continue;
      }
      TransformSpec.Fitted f = spec.fitted().get(i);
      Object v = raw.apply(c.source());
      switch (c.kind()) {
        case HASH -> {
          String key = categoricalKey(v);
          if (key == null) {
            counters.missing(c.name());
          }
          sparse[s++] = key == null ? 0 : Hashing.bucket(c.hashSalt(), key, c.size());
        }
        case VOCAB -> {
          String key = categoricalKey(v);
          if (key == null) {
            counters.missing(c.name());
          }
          sparse[s++] = key == null ? 0 : vocabIds[i].getOrDefault(key, 0L);
        }
        case BUCKET -> {
          double x = numeric(v, c.name(), counters);
          sparse[s++] = Double.isNaN(x) ? 0 : bucketId(f.boundaries(), x);
        }
        case DENSE -> {
          double x = numeric(v, c.name(), counters);
          double filled = Double.isNaN(x) ? f.mean() : x;
          dense[d++] = (float) ((filled - f.mean()) / f.std());
        }
        case SEQUENCE -> {
          List<?> items = asList(v);
          if (items == null) {
            counters.missing(c.name());
          }
          int n = items == null ? 0 : Math.min(items.size(), c.length());
          for (int k = 0; k < c.length(); k++) {
            String key = k < n ? categoricalKey(items.get(k)) : null;
            if (key == null) {
              seq[k] = 0;
            } else if (seqVocab[i] >= 0) {
              seq[k] = vocabIds[seqVocab[i]].getOrDefault(key, 0L);
            } else {
              seq[k] = Hashing.bucket(c.hashSalt(), key, c.size());
            }
          }
        }
        case VECTOR -> {
          List<?> items = asList(v);
          int width = c.length();
          if (items == null || items.size() != width) {
            if (items == null) {
              counters.missing(c.name());
            } else {
              counters.badWidth(c.name());
            }
            Arrays.fill(multimodal, m, m + width, 0f);
          } else {
            boolean bad = false;
            for (int k = 0; k < width; k++) {
              double x = toDouble(items.get(k));
              bad |= !Double.isFinite(x);
              multimodal[m + k] = Double.isFinite(x) ? (float) x : 0f;
            }
            if (bad) {
              counters.nonFinite(c.name());
            }
          }
          m += width;
        }
      }
    }
  }

  /** Serving path: one raw row (as a request carries it) → a batch of one row, labels zero. */
  public Batch transformOne(Map<String, ?> row, FeatureCounters counters) {
    BatchBuilder b = new BatchBuilder(schema, 1);
    transformRow(row::get, b.sparse[0], b.dense[0], b.seq[0], b.multimodal[0], counters);
    return b.build(1);
  }

  static long bucketId(double[] boundaries, double x) {
    int pos = Arrays.binarySearch(boundaries, x);
    // number of boundaries ≤ x
    int le = pos >= 0 ? pos + 1 : -pos - 1;
    if (pos >= 0) {
      while (le < boundaries.length && boundaries[le] == x) {
        le++;
      }
    }
    return 1L + le;
  }

  private static double numeric(Object v, String name, FeatureCounters counters) {
    if (v == null) {
      counters.missing(name);
      return Double.NaN;
    }
    double x = toDouble(v);
    if (!Double.isFinite(x)) {
      counters.nonFinite(name);
      return Double.NaN;
    }
    return x;
  }

  /**
   * A categorical value's canonical string, the same whatever type carries it: integral numbers
   * print without a fraction (5, 5L, 5.0 and "5" are one category, as a JSON request may carry any
   * of them), other numbers as Java prints a double, everything else as its string. {@link
   * TransformFitter} builds vocabularies with the same rule in SQL.
   */
  static String categoricalKey(Object v) {
    if (v == null) {
      return null;
    }
    if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
      return Long.toString(((Number) v).longValue());
    }
    if (v instanceof Number n) {
      double d = n.doubleValue();
      if (d == Math.rint(d) && Math.abs(d) < 1e15) {
        return Long.toString((long) d);
      }
      return Double.toString(d);
    }
    return v.toString();
  }

  static double toDouble(Object v) {
    if (v == null) {
      return Double.NaN;
    }
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    if (v instanceof Boolean b) {
      return b ? 1 : 0;
    }
    try {
      return Double.parseDouble(v.toString().trim());
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  /** Lists arrive as java.sql.Array (DuckDB), List, or Java arrays; null stays null. */
  static List<?> asList(Object v) {
    if (v == null) {
      return null;
    }
    if (v instanceof List<?> l) {
      return l;
    }
    if (v instanceof Array a) {
      try {
        return Arrays.asList((Object[]) a.getArray());
      } catch (SQLException e) {
        throw new IllegalStateException("cannot read a list value", e);
      }
    }
    if (v instanceof Object[] arr) {
      return Arrays.asList(arr);
    }
    if (v instanceof float[] arr) {
      Float[] boxed = new Float[arr.length];
      for (int i = 0; i < arr.length; i++) {
        boxed[i] = arr[i];
      }
      return Arrays.asList(boxed);
    }
    if (v instanceof double[] arr) {
      return Arrays.stream(arr).boxed().toList();
    }
    if (v instanceof long[] arr) {
      return Arrays.stream(arr).boxed().toList();
    }
    throw new IllegalArgumentException("not a list: " + v.getClass().getName());
  }
}
