package io.liverec.pipelines.sampling;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a sampling run did: impressions read, kept and dropped per rule, positives per label, the
 * weight distribution of kept rows, and quarantined rows per table and reason. Written as {@code
 * sample-report.json} and {@code sample-report.md} in the output directory.
 */
public record SamplingReport(
    String engine,
    String events,
    String out,
    String strategy,
    int window,
    String noClick,
    int noClickTopK,
    int conversionWatchSeconds,
    Map<String, Double> weights,
    List<String> days,
    long requests,
    long impressionsRead,
    long impressionsValid,
    long kept,
    Map<String, Long> byRule,
    Map<String, Long> positives,
    WeightStats weight,
    Map<String, Long> quarantined,
    long quarantinedTotal,
    long elapsedMs) {

  /** Weight distribution of kept rows; histogram keys are floor(weight). */
  public record WeightStats(
      long count, double min, double max, double mean, Map<Long, Long> histogram) {}

  public static final String JSON = "sample-report.json";
  public static final String MARKDOWN = "sample-report.md";

  /** The report as indented JSON. */
  public String toJson() {
    try {
      return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(this);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes the JSON and markdown files into {@code dir}. */
  public void write(Path dir) {
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve(JSON), toJson());
      Files.writeString(dir.resolve(MARKDOWN), toMarkdown());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the sample report under " + dir, e);
    }
  }

  /** Reads a report written by {@link #write(Path)}. */
  public static SamplingReport read(Path dir) {
    try {
      return new ObjectMapper().readValue(dir.resolve(JSON).toFile(), SamplingReport.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String toMarkdown() {
    StringBuilder sb = new StringBuilder("# Sample report\n\n");
    sb.append("| figure | value |\n|---|---|\n");
    row(sb, "engine", engine);
    row(sb, "events", events);
    row(
        sb,
        "strategy",
        strategy + (strategy.equals("click-around") ? " (window " + window + ")" : ""));
    if (strategy.equals("skip-above")) {
      row(sb, "requests without click", noClick + (noClickTopK > 0 ? " " + noClickTopK : ""));
    }
    row(sb, "conversion = click and watch seconds >=", conversionWatchSeconds);
    row(sb, "weights", weights);
    row(sb, "days", String.join(", ", days));
    row(sb, "requests", requests);
    row(sb, "impressions read", impressionsRead);
    row(sb, "impressions valid", impressionsValid);
    row(sb, "impressions kept", kept);
    row(sb, "quarantined rows", quarantinedTotal);
    row(sb, "elapsed ms", elapsedMs);
    sb.append("\n## Impressions per rule\n\n| rule | impressions |\n|---|---|\n");
    byRule.forEach((k, v) -> row(sb, k, v));
    sb.append("\n## Positives among kept samples\n\n| label | positives |\n|---|---|\n");
    positives.forEach((k, v) -> row(sb, k, v));
    sb.append("\n## Weight of kept samples\n\n");
    sb.append(
        String.format(
            "count %d, min %.3f, mean %.3f, max %.3f%n%n| floor(weight) | samples |%n|---|---|%n",
            weight.count, weight.min, weight.mean, weight.max));
    weight.histogram.forEach((k, v) -> row(sb, String.valueOf(k), v));
    sb.append("\n## Quarantined rows\n\n| table/reason | rows |\n|---|---|\n");
    if (quarantined.isEmpty()) {
      sb.append("| (none) | 0 |\n");
    }
    quarantined.forEach((k, v) -> row(sb, k, v));
    return sb.toString();
  }

  private static void row(StringBuilder sb, String k, Object v) {
    sb.append("| ").append(k).append(" | ").append(v).append(" |\n");
  }

  /** Adds up the report queries' rows (once per processed chunk of days). */
  static final class Accumulator {
    long requests;
    long impressionsRead;
    final Map<String, Long> byRule = new TreeMap<>();
    final Map<String, Long> positives = new TreeMap<>();
    final Map<Long, Long> histogram = new TreeMap<>();
    final Map<String, Long> quarantined = new TreeMap<>();
    double weightSum;
    double weightMin = Double.POSITIVE_INFINITY;
    double weightMax = Double.NEGATIVE_INFINITY;
    long keptCount;

    void totals(long impressions, long reqs) {
      impressionsRead += impressions;
      requests += reqs;
    }

    void rule(
        String rule,
        long n,
        long clicks,
        long conversions,
        long gifts,
        double wSum,
        double wMin,
        double wMax) {
      byRule.merge(rule, n, Long::sum);
      if (rule.startsWith("kept")) {
        keptCount += n;
        positives.merge("click", clicks, Long::sum);
        positives.merge("conversion", conversions, Long::sum);
        positives.merge("gift", gifts, Long::sum);
        weightSum += wSum;
        weightMin = Math.min(weightMin, wMin);
        weightMax = Math.max(weightMax, wMax);
      }
    }

    /** Adds another accumulator's counts (one more chunk of days). */
    void add(Accumulator o) {
      requests += o.requests;
      impressionsRead += o.impressionsRead;
      o.byRule.forEach((k, v) -> byRule.merge(k, v, Long::sum));
      o.positives.forEach((k, v) -> positives.merge(k, v, Long::sum));
      o.histogram.forEach((k, v) -> histogram.merge(k, v, Long::sum));
      o.quarantined.forEach((k, v) -> quarantined.merge(k, v, Long::sum));
      weightSum += o.weightSum;
      weightMin = Math.min(weightMin, o.weightMin);
      weightMax = Math.max(weightMax, o.weightMax);
      keptCount += o.keptCount;
    }

    void bucket(long bucket, long n) {
      histogram.merge(bucket, n, Long::sum);
    }

    void quarantine(String source, String reason, long n) {
      quarantined.merge(source + "/" + reason, n, Long::sum);
    }

    SamplingReport build(
        String engine,
        String events,
        String out,
        SamplingOptions o,
        List<String> days,
        long elapsedMs) {
      long valid = byRule.values().stream().mapToLong(Long::longValue).sum();
      long q = quarantined.values().stream().mapToLong(Long::longValue).sum();
      positives.putIfAbsent("click", 0L);
      positives.putIfAbsent("conversion", 0L);
      positives.putIfAbsent("gift", 0L);
      Map<String, Double> w = new TreeMap<>();
      w.put("gift", o.giftWeight());
      w.put("flower", o.flowerWeight());
      w.put("watch", o.watchWeight());
      w.put("asyncView", o.asyncViewWeight());
      WeightStats ws =
          new WeightStats(
              keptCount,
              keptCount == 0 ? 0 : weightMin,
              keptCount == 0 ? 0 : weightMax,
              keptCount == 0 ? 0 : weightSum / keptCount,
              histogram);
      return new SamplingReport(
          engine,
          events,
          out,
          o.strategyName(),
          o.window(),
          o.noClick().name().toLowerCase(java.util.Locale.ROOT),
          o.noClickTopK(),
          o.conversionWatchSeconds(),
          w,
          days,
          requests,
          impressionsRead,
          valid,
          keptCount,
          byRule,
          positives,
          ws,
          quarantined,
          q,
          elapsedMs);
    }
  }
}
