package io.liverec.pipelines.features;

import java.util.Map;
import java.util.TreeMap;

/**
 * Counts of repaired feature values, per feature, reported with the run. The rule (documented in
 * docs/DATA.md and {@link FeatureTransform}): a NaN, ±inf or null numeric becomes the training mean
 * for {@code dense} (0 after standardisation) and bucket 0 for {@code bucket}; a null categorical
 * becomes id 0; a non-finite vector element becomes 0; a vector of the wrong width is zero-filled.
 * Rows whose labels are missing are not trained on and counted as quarantined.
 */
public final class FeatureCounters {
  private final Map<String, Long> nonFinite = new TreeMap<>();
  private final Map<String, Long> missing = new TreeMap<>();
  private final Map<String, Long> badWidth = new TreeMap<>();
  private long rows;
  private long quarantined;

  void nonFinite(String feature) {
    nonFinite.merge(feature, 1L, Long::sum);
  }

  void missing(String feature) {
    missing.merge(feature, 1L, Long::sum);
  }

  void badWidth(String feature) {
    badWidth.merge(feature, 1L, Long::sum);
  }

  public void row() {
    rows++;
  }

  public void quarantine() {
    quarantined++;
  }

  public long rows() {
    return rows;
  }

  public long quarantined() {
    return quarantined;
  }

  /** Feature → number of NaN/±inf values replaced. */
  public Map<String, Long> nonFinite() {
    return nonFinite;
  }

  /** Feature → number of null values replaced. */
  public Map<String, Long> missing() {
    return missing;
  }

  /** Feature → number of vectors of the wrong width (zero-filled). */
  public Map<String, Long> badWidth() {
    return badWidth;
  }

  /** A JSON-friendly view for metrics.json. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new TreeMap<>();
    m.put("rows", rows);
    m.put("quarantinedRows", quarantined);
    m.put("nonFinite", nonFinite);
    m.put("missing", missing);
    m.put("badWidth", badWidth);
    return m;
  }
}
