package io.liverec.pipelines.tracking;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** PNG plots stored with a run: ROC curves per task and loss curves per epoch (XChart). */
public final class Plots {
  private Plots() {}

  /**
   * Writes ROC curves, one series per task.
   *
   * @param tasks task name → (scores, labels)
   */
  public static Path roc(Path file, Map<String, double[][]> tasks) {
    XYChart chart =
        new XYChartBuilder()
            .width(640)
            .height(480)
            .title("ROC")
            .xAxisTitle("false positive rate")
            .yAxisTitle("true positive rate")
            .build();
    chart.getStyler().setMarkerSize(0);
    chart.addSeries("chance", new double[] {0, 1}, new double[] {0, 1});
    tasks.forEach(
        (name, sl) -> {
          double[][] curve = rocCurve(sl[0], sl[1]);
          if (curve[0].length > 1) {
            chart.addSeries(name, curve[0], curve[1]).setMarker(SeriesMarkers.NONE);
          }
        });
    return write(chart, file);
  }

  /** Writes loss (or any metric) curves over epochs, one series per name. */
  public static Path curves(Path file, String title, Map<String, List<Double>> series) {
    XYChart chart =
        new XYChartBuilder()
            .width(640)
            .height(480)
            .title(title)
            .xAxisTitle("epoch")
            .yAxisTitle(title)
            .build();
    series.forEach(
        (name, values) -> {
          if (!values.isEmpty()) {
            double[] x = new double[values.size()];
            Arrays.setAll(x, i -> i);
            chart.addSeries(name, x, values.stream().mapToDouble(Double::doubleValue).toArray());
          }
        });
    return write(chart, file);
  }

  /** ROC points (fpr, tpr), thresholds at every distinct score, ties kept together. */
  static double[][] rocCurve(double[] scores, double[] labels) {
    Integer[] order = new Integer[scores.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingDouble((Integer i) -> scores[i]).reversed());
    double pos = 0;
    for (double l : labels) {
      pos += l > 0.5 ? 1 : 0;
    }
    double neg = labels.length - pos;
    List<double[]> pts = new ArrayList<>();
    pts.add(new double[] {0, 0});
    double tp = 0;
    double fp = 0;
    for (int k = 0; k < order.length; k++) {
      if (labels[order[k]] > 0.5) {
        tp++;
      } else {
        fp++;
      }
      boolean lastOfTie = k == order.length - 1 || scores[order[k + 1]] != scores[order[k]];
      if (lastOfTie) {
        pts.add(new double[] {neg == 0 ? 0 : fp / neg, pos == 0 ? 0 : tp / pos});
      }
    }
    double[][] out = new double[2][pts.size()];
    for (int i = 0; i < pts.size(); i++) {
      out[0][i] = pts.get(i)[0];
      out[1][i] = pts.get(i)[1];
    }
    return out;
  }

  private static Path write(XYChart chart, Path file) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      String base = file.toString().replaceAll("\\.png$", "");
      BitmapEncoder.saveBitmap(chart, base, BitmapEncoder.BitmapFormat.PNG);
      return Path.of(base + ".png");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
