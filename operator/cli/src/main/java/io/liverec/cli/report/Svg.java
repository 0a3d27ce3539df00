package io.liverec.cli.report;

import java.util.List;
import java.util.Locale;

/**
 * The report's plots as inline SVG, drawn here (no library, no script): horizontal bars, grouped
 * vertical bars and line charts on linear or log axes. Every chart is one {@code <svg>} element
 * with a {@code <title>} and text labels, so it reads without colour too.
 */
final class Svg {
  static final String[] COLOURS = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd"};
  private static final int W = 640;
  private static final int LEFT = 70;
  private static final int RIGHT = 20;
  private static final int TOP = 30;
  private static final int BOTTOM = 45;

  private Svg() {}

  /**
   * One line of a line chart; {@code step} draws it as a staircase (a value held until the next).
   */
  record Series(String name, double[] x, double[] y, boolean step) {}

  /** A vertical marker at {@code x} with a label. */
  record Mark(double x, String label) {}

  /** Horizontal bars, one per label, with the value printed at the end of each. */
  static String bars(String title, List<String> labels, double[] values, String unit) {
    int rowH = 22;
    int labelW = 230;
    int h = TOP + rowH * labels.size() + 10;
    double max = 0;
    for (double v : values) {
      max = Math.max(max, v);
    }
    double scale = max <= 0 ? 0 : (W - labelW - 80) / max;
    StringBuilder s = open(title, h);
    for (int i = 0; i < labels.size(); i++) {
      int y = TOP + i * rowH;
      double w = Math.max(1, values[i] * scale);
      s.append(text(labelW - 6, y + 15, "end", labels.get(i)));
      s.append(
          fmt(
              "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>",
              labelW, y + 3, w, rowH - 6, COLOURS[0]));
      s.append(text(labelW + w + 4, y + 15, "start", fmt("%.1f %s", values[i], unit)));
    }
    return s.append("</svg>").toString();
  }

  /**
   * Vertical bars grouped by category, one bar per series, on a y axis from {@code min} to {@code
   * max}.
   *
   * @param values {@code values[series][category]}
   */
  static String groupedBars(
      String title,
      List<String> categories,
      List<String> series,
      double[][] values,
      double min,
      double max,
      String yLabel) {
    int h = 300;
    StringBuilder s = open(title, h);
    Axis y = new Axis(min, max, TOP, h - BOTTOM, false, true);
    yAxis(s, y, yLabel);
    double groupW = (double) (W - LEFT - RIGHT) / Math.max(1, categories.size());
    double barW = groupW * 0.8 / Math.max(1, series.size());
    for (int c = 0; c < categories.size(); c++) {
      double gx = LEFT + c * groupW + groupW * 0.1;
      for (int k = 0; k < series.size(); k++) {
        double v = values[k][c];
        if (!Double.isFinite(v)) {
          continue;
        }
        double top = y.at(Math.max(min, Math.min(max, v)));
        s.append(
            fmt(
                "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\">"
                    + "<title>%s %s: %.4f</title></rect>",
                gx + k * barW,
                top,
                barW - 2,
                Math.max(0, h - BOTTOM - top),
                COLOURS[k % COLOURS.length],
                Html.esc(categories.get(c)),
                Html.esc(series.get(k)),
                v));
        s.append(text(gx + k * barW + barW / 2 - 1, top - 3, "middle", fmt("%.3f", v)));
      }
      s.append(text(gx + groupW * 0.4, h - BOTTOM + 16, "middle", categories.get(c)));
    }
    legend(s, series);
    return s.append("</svg>").toString();
  }

  /**
   * Lines on shared axes, with optional vertical markers.
   *
   * @param xFrom left end of the x axis, or NaN to start at the smallest x
   * @param yTo top of the y axis, or NaN for a little above the largest y
   */
  static String lines(
      String title,
      String xLabel,
      String yLabel,
      List<Series> series,
      List<Mark> marks,
      boolean logX,
      double xFrom,
      double yTo) {
    int h = 300;
    double xMin = Double.isNaN(xFrom) ? Double.POSITIVE_INFINITY : xFrom;
    double xMax = Double.NEGATIVE_INFINITY;
    double yMax = 0;
    for (Series ser : series) {
      for (int i = 0; i < ser.x().length; i++) {
        if (Double.isFinite(ser.y()[i])) {
          xMin = Math.min(xMin, ser.x()[i]);
          xMax = Math.max(xMax, ser.x()[i]);
          yMax = Math.max(yMax, ser.y()[i]);
        }
      }
    }
    for (Mark m : marks) {
      xMin = Math.min(xMin, m.x());
      xMax = Math.max(xMax, m.x());
    }
    if (!(xMin < xMax)) {
      xMin = Double.isFinite(xMin) ? xMin - 1 : 0;
      xMax = xMin + 2;
    }
    StringBuilder s = open(title, h);
    Axis x = new Axis(xMin, xMax, LEFT, W - RIGHT, logX, false);
    double top = !Double.isNaN(yTo) ? yTo : yMax <= 0 ? 1 : yMax * 1.1;
    Axis y = new Axis(0, top, TOP, h - BOTTOM, false, true);
    yAxis(s, y, yLabel);
    s.append(
        fmt(
            "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>",
            LEFT, h - BOTTOM, W - RIGHT, h - BOTTOM));
    for (double t : x.ticks()) {
      s.append(text(x.at(t), h - BOTTOM + 16, "middle", tick(t)));
    }
    s.append(text((LEFT + W - RIGHT) / 2.0, h - 8, "middle", xLabel));
    for (int k = 0; k < series.size(); k++) {
      Series ser = series.get(k);
      StringBuilder pts = new StringBuilder();
      double prevY = Double.NaN;
      for (int i = 0; i < ser.x().length; i++) {
        if (!Double.isFinite(ser.y()[i])) {
          continue;
        }
        double px = x.at(ser.x()[i]);
        double py = y.at(ser.y()[i]);
        if (ser.step() && Double.isFinite(prevY)) {
          pts.append(fmt("%.1f,%.1f ", px, prevY));
        }
        pts.append(fmt("%.1f,%.1f ", px, py));
        prevY = py;
      }
      String colour = COLOURS[k % COLOURS.length];
      s.append(
          fmt(
              "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"%s\"/>",
              colour, pts.toString().trim()));
      if (!ser.step()) {
        for (int i = 0; i < ser.x().length; i++) {
          if (Double.isFinite(ser.y()[i])) {
            s.append(
                fmt(
                    "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>",
                    x.at(ser.x()[i]), y.at(ser.y()[i]), colour));
          }
        }
      }
    }
    for (Mark m : marks) {
      double mx = x.at(m.x());
      s.append(
          fmt(
              "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#555\""
                  + " stroke-dasharray=\"4 3\"/>",
              mx, TOP, mx, h - BOTTOM));
      s.append(text(mx - 4, TOP + 12, "end", m.label()));
    }
    legend(s, series.stream().map(Series::name).toList());
    return s.append("</svg>").toString();
  }

  private static StringBuilder open(String title, int h) {
    return new StringBuilder()
        .append(
            fmt(
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                    + " viewBox=\"0 0 %d %d\" role=\"img\" font-family=\"sans-serif\""
                    + " font-size=\"11\">",
                W, h, W, h))
        .append("<title>")
        .append(Html.esc(title))
        .append("</title>")
        .append(
            text(W / 2.0, 16, "middle", title).replace("<text ", "<text font-weight=\"bold\" "));
  }

  private static void yAxis(StringBuilder s, Axis y, String label) {
    s.append(
        fmt(
            "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%.1f\" stroke=\"#333\"/>",
            LEFT, TOP, LEFT, y.at(y.min)));
    for (double t : y.ticks()) {
      double py = y.at(t);
      s.append(
          fmt(
              "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>",
              LEFT, py, W - RIGHT, py));
      s.append(text(LEFT - 4, py + 4, "end", tick(t)));
    }
    s.append(
        fmt(
            "<text x=\"14\" y=\"%.1f\" text-anchor=\"middle\" transform=\"rotate(-90 14 %.1f)\">"
                + "%s</text>",
            (y.from + y.to) / 2.0, (y.from + y.to) / 2.0, Html.esc(label)));
  }

  private static void legend(StringBuilder s, List<String> names) {
    double x = LEFT + 10;
    for (int k = 0; k < names.size(); k++) {
      s.append(
          fmt(
              "<rect x=\"%.1f\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/>",
              x, TOP - 2, COLOURS[k % COLOURS.length]));
      s.append(text(x + 14, TOP + 7, "start", names.get(k)));
      x += 24 + 6.5 * names.get(k).length();
    }
  }

  private static String text(double x, double y, String anchor, String t) {
    return fmt(
        "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">%s</text>", x, y, anchor, Html.esc(t));
  }

  private static String tick(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e6) {
      return fmt("%.0f", v);
    }
    return Math.abs(v) >= 0.1 ? fmt("%.2f", v) : fmt("%.3f", v);
  }

  private static String fmt(String f, Object... args) {
    return String.format(Locale.ROOT, f, args);
  }

  /** A value range mapped onto pixels; {@code inverted} for y (larger values higher up). */
  private record Axis(
      double min, double max, double from, double to, boolean log, boolean inverted) {
    double at(double v) {
      double f =
          log
              ? (Math.log(Math.max(v, 1e-9)) - Math.log(min)) / (Math.log(max) - Math.log(min))
              : (v - min) / (max - min);
      return inverted ? to - f * (to - from) : from + f * (to - from);
    }

    double[] ticks() {
      if (log) {
        java.util.List<Double> t = new java.util.ArrayList<>();
        for (double d = Math.pow(10, Math.floor(Math.log10(min))); d <= max * 1.0001; d *= 10) {
          for (double m : new double[] {1, 2, 5}) {
            if (d * m >= min * 0.9999 && d * m <= max * 1.0001) {
              t.add(d * m);
            }
          }
        }
        return t.stream().mapToDouble(Double::doubleValue).toArray();
      }
      double raw = (max - min) / 5;
      double mag = Math.pow(10, Math.floor(Math.log10(raw)));
      double step =
          raw / mag < 1.5 ? mag : raw / mag < 3.5 ? 2 * mag : raw / mag < 7.5 ? 5 * mag : 10 * mag;
      java.util.List<Double> t = new java.util.ArrayList<>();
      for (double v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) {
        t.add(Math.abs(v) < step * 1e-9 ? 0 : v);
      }
      return t.stream().mapToDouble(Double::doubleValue).toArray();
    }
  }
}
