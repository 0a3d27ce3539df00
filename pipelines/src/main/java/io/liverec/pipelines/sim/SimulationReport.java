package io.liverec.pipelines.sim;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a simulation produced: counts, CTR by position, conversion-given-click and gift rates, and
 * the oracle (Bayes-optimal) AUCs of the true probabilities, computed on 10 000 probability bins.
 * Written as {@code simulation-report.json} and {@code simulation-report.md} next to the log.
 */
public record SimulationReport(
    Map<String, Object> config,
    long days,
    long requests,
    long impressions,
    long clicks,
    long conversions,
    long giftEvents,
    long flowerEvents,
    long followEvents,
    long asyncViewEvents,
    double ctr,
    double conversionGivenClick,
    double giftRatePerImpression,
    double meanWatchSecondsPerClick,
    List<PositionStats> byPosition,
    double oracleCtrAuc,
    double oracleCvrAuc,
    double oracleCtcvrAuc) {

  /** Impressions and clicks at one list position. */
  public record PositionStats(int position, long impressions, long clicks, double ctr) {}

  public static final String JSON = "simulation-report.json";
  public static final String MARKDOWN = "simulation-report.md";

  void write(Path dir) {
    try {
      ObjectMapper om = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
      Files.writeString(dir.resolve(JSON), om.writeValueAsString(this));
      Files.writeString(dir.resolve(MARKDOWN), toMarkdown());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the simulation report under " + dir, e);
    }
  }

  /** A human-readable summary. */
  public String toMarkdown() {
    StringBuilder sb = new StringBuilder("# Simulation report\n\n");
    sb.append("| figure | value |\n|---|---|\n");
    row(sb, "days", days);
    row(sb, "requests", requests);
    row(sb, "impressions", impressions);
    row(sb, "clicks", clicks);
    row(sb, "conversions (watch >= threshold)", conversions);
    row(sb, "gift events", giftEvents);
    row(sb, "flower events", flowerEvents);
    row(sb, "follow events", followEvents);
    row(sb, "async-work view events", asyncViewEvents);
    row(sb, "CTR", String.format("%.4f", ctr));
    row(sb, "conversion given click", String.format("%.4f", conversionGivenClick));
    row(sb, "gift rate per impression", String.format("%.5f", giftRatePerImpression));
    row(sb, "mean watch seconds per click", String.format("%.1f", meanWatchSecondsPerClick));
    row(sb, "oracle CTR AUC (simulator-only)", String.format("%.4f", oracleCtrAuc));
    row(sb, "oracle CVR-given-click AUC (simulator-only)", String.format("%.4f", oracleCvrAuc));
    row(sb, "oracle CTCVR AUC (simulator-only)", String.format("%.4f", oracleCtcvrAuc));
    sb.append(
        "\n## CTR by position\n\n| position | impressions | clicks | CTR |\n|---|---|---|---|\n");
    for (PositionStats p : byPosition) {
      sb.append(
          String.format("| %d | %d | %d | %.4f |%n", p.position, p.impressions, p.clicks, p.ctr));
    }
    return sb.toString();
  }

  private static void row(StringBuilder sb, String k, Object v) {
    sb.append("| ").append(k).append(" | ").append(v).append(" |\n");
  }

  /** AUC from per-bin positive and negative counts (ties within a bin count one half). */
  static double binnedAuc(long[] pos, long[] neg) {
    double negBelow = 0;
    double area = 0;
    long totalPos = 0;
    long totalNeg = 0;
    for (int b = 0; b < pos.length; b++) {
      area += pos[b] * (negBelow + 0.5 * neg[b]);
      negBelow += neg[b];
      totalPos += pos[b];
      totalNeg += neg[b];
    }
    return totalPos == 0 || totalNeg == 0 ? Double.NaN : area / ((double) totalPos * totalNeg);
  }

  static final class Builder {
    private static final int BINS = 10_000;
    private static final int MAX_POSITIONS = 16;
    private final SimulatorConfig cfg;
    long days;
    long requests;
    long impressions;
    long clicks;
    long conversions;
    long gifts;
    long flowerRows;
    long followRows;
    long asyncViewRows;
    long watchSeconds;
    final long[] posImp = new long[MAX_POSITIONS];
    final long[] posClicks = new long[MAX_POSITIONS];
    final long[] ctrPos = new long[BINS];
    final long[] ctrNeg = new long[BINS];
    final long[] cvrPos = new long[BINS];
    final long[] cvrNeg = new long[BINS];
    final long[] ctcvrPos = new long[BINS];
    final long[] ctcvrNeg = new long[BINS];

    Builder(SimulatorConfig cfg) {
      this.cfg = cfg;
    }

    private static int bin(double p) {
      return Math.min(BINS - 1, (int) (p * BINS));
    }

    void impression(
        int pos,
        double pctr,
        double pcvr,
        boolean click,
        boolean conversion,
        boolean gift,
        int watch) {
      impressions++;
      if (pos < MAX_POSITIONS) {
        posImp[pos]++;
        if (click) {
          posClicks[pos]++;
        }
      }
      (click ? ctrPos : ctrNeg)[bin(pctr)]++;
      (conversion ? ctcvrPos : ctcvrNeg)[bin(pctr * pcvr)]++;
      if (click) {
        clicks++;
        watchSeconds += watch;
        (conversion ? cvrPos : cvrNeg)[bin(pcvr)]++;
      }
      if (conversion) {
        conversions++;
      }
      if (gift) {
        gifts++;
      }
    }

    SimulationReport build() {
      List<PositionStats> byPos = new ArrayList<>();
      for (int p = 0; p < MAX_POSITIONS; p++) {
        if (posImp[p] > 0) {
          byPos.add(
              new PositionStats(p, posImp[p], posClicks[p], posClicks[p] / (double) posImp[p]));
        }
      }
      Map<String, Object> c = new LinkedHashMap<>();
      for (var f : SimulatorConfig.class.getFields()) {
        try {
          Object v = f.get(cfg);
          c.put(f.getName(), v instanceof Number || v instanceof Boolean ? v : String.valueOf(v));
        } catch (IllegalAccessException e) {
          throw new IllegalStateException(e);
        }
      }
      return new SimulationReport(
          c,
          days,
          requests,
          impressions,
          clicks,
          conversions,
          gifts,
          flowerRows,
          followRows,
          asyncViewRows,
          impressions == 0 ? 0 : clicks / (double) impressions,
          clicks == 0 ? 0 : conversions / (double) clicks,
          impressions == 0 ? 0 : gifts / (double) impressions,
          clicks == 0 ? 0 : watchSeconds / (double) clicks,
          byPos,
          binnedAuc(ctrPos, ctrNeg),
          binnedAuc(cvrPos, cvrNeg),
          binnedAuc(ctcvrPos, ctcvrNeg));
    }
  }
}
