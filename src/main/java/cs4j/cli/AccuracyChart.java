package cs4j.cli;

import cs4j.io.AtomicFile;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Test accuracy against the weights remaining in the masked layers, drawn with XChart off-screen
 * (headless AWT) and written as PNG and, optionally, SVG.
 *
 * <ul>
 *   <li>x: percent of weights remaining, log scale; y: test accuracy in percent. Both axes span the
 *       data with a small margin, not 0–100.
 *   <li>One series per run, in its method's colour ({@link MethodStyle}), each run of a method with
 *       its own marker; the points of a run are joined in order of remaining weights.
 *   <li>A dense reference: a dashed horizontal line across the whole x range.
 *   <li>Failed points (training diverged, or accuracy at chance): a cross in the run's colour on
 *       the bottom edge, at their remaining weights, in a series of their own ("… failed"), so no
 *       line runs down to them and they do not stretch the accuracy axis.
 * </ul>
 *
 * Points at 0% remaining are left out (a log axis cannot show them).
 */
final class AccuracyChart {
  /**
   * The points of one run.
   *
   * @param points (percent remaining, percent accuracy) of the rounds that trained normally
   * @param failed percent remaining of the rounds that failed
   */
  record Series(String label, String method, List<double[]> points, List<Double> failed) {}

  /** A dense network's accuracy, in percent: a horizontal line. */
  record Reference(String label, String method, double accuracy) {}

  /** Relative margin around the data on each axis (x in decades). */
  private static final double MARGIN = 0.05;

  /** The smallest accuracy range shown, in points, so that one point is not a zero-height axis. */
  private static final double MIN_SPAN = 2;

  private AccuracyChart() {}

  static XYChart draw(String title, List<Series> series, List<Reference> references) {
    System.setProperty("java.awt.headless", "true");
    XYChart chart =
        new XYChartBuilder()
            .width(900)
            .height(600)
            .title(title)
            .xAxisTitle("weights remaining (%)")
            .yAxisTitle("test accuracy (%)")
            .build();
    XYStyler styler = chart.getStyler();
    styler.setXAxisLogarithmic(true);
    styler.setXAxisDecimalPattern("0.##");
    styler.setYAxisDecimalPattern("0.#");
    styler.setLegendPosition(Styler.LegendPosition.OutsideS);
    styler.setLegendLayout(Styler.LegendLayout.Horizontal);
    styler.setMarkerSize(8);

    double[] x = xRange(series);
    double[] y = yRange(series, references);
    styler.setXAxisMin(x[0]);
    styler.setXAxisMax(x[1]);
    styler.setYAxisMin(y[0]);
    styler.setYAxisMax(y[1]);

    for (Reference r : references) {
      XYSeries s = chart.addSeries(r.label(), x, new double[] {r.accuracy(), r.accuracy()});
      s.setMarker(SeriesMarkers.NONE);
      s.setLineStyle(SeriesLines.DASH_DASH);
      s.setLineColor(MethodStyle.colour(r.method()));
    }
    Map<String, Integer> runsOfMethod = new HashMap<>();
    for (Series c : series) {
      Color colour = MethodStyle.colour(c.method());
      int index = runsOfMethod.merge(c.method(), 1, Integer::sum) - 1;
      List<double[]> pts = c.points().stream().filter(p -> p[0] > 0).toList();
      if (!pts.isEmpty()) {
        XYSeries s =
            chart.addSeries(
                c.label(),
                pts.stream().mapToDouble(p -> p[0]).toArray(),
                pts.stream().mapToDouble(p -> p[1]).toArray());
        s.setMarker(MethodStyle.marker(index));
        s.setMarkerColor(colour);
        s.setLineColor(colour);
      }
      double[] failed = c.failed().stream().mapToDouble(d -> d).filter(d -> d > 0).toArray();
      if (failed.length > 0) {
        double[] bottom = new double[failed.length];
        Arrays.fill(bottom, y[0]);
        XYSeries s = chart.addSeries(c.label() + " failed", failed, bottom);
        s.setXYSeriesRenderStyle(XYSeriesRenderStyle.Scatter);
        s.setMarker(SeriesMarkers.CROSS);
        s.setMarkerColor(colour);
      }
    }
    return chart;
  }

  /**
   * Writes {@code chart} as PNG to {@code png} and, when {@code svg} is not null, as SVG, creating
   * the directory of {@code png} if needed.
   */
  static void write(XYChart chart, Path png, Path svg) throws IOException {
    Files.createDirectories(png.toAbsolutePath().getParent());
    AtomicFile.writeBytes(png, BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
    if (svg != null) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      VectorGraphicsEncoder.saveVectorGraphic(
          chart, bytes, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
      AtomicFile.writeBytes(svg, bytes.toByteArray());
    }
  }

  /** The x axis (log scale): every point's remaining weights, with {@link #MARGIN} decades. */
  static double[] xRange(List<Series> series) {
    double[] xs =
        series.stream()
            .flatMap(c -> Stream.concat(c.points().stream().map(p -> p[0]), c.failed().stream()))
            .mapToDouble(d -> d)
            .filter(d -> d > 0)
            .toArray();
    double lo = xs.length == 0 ? 1 : Arrays.stream(xs).min().getAsDouble();
    double hi = xs.length == 0 ? 100 : Arrays.stream(xs).max().getAsDouble();
    double margin = Math.pow(10, MARGIN * Math.max(1, Math.log10(hi / lo)));
    return new double[] {lo / margin, hi * margin};
  }

  /**
   * The y axis: the accuracies of the points that trained normally and of the references, with
   * {@link #MARGIN} of their span (at least {@link #MIN_SPAN} points) around them, within 0–100.
   */
  static double[] yRange(List<Series> series, List<Reference> references) {
    double[] ys =
        Stream.concat(
                series.stream().flatMap(c -> c.points().stream()).map(p -> p[1]),
                references.stream().map(Reference::accuracy))
            .mapToDouble(d -> d)
            .toArray();
    if (ys.length == 0) {
      return new double[] {0, 100};
    }
    double lo = Arrays.stream(ys).min().getAsDouble();
    double hi = Arrays.stream(ys).max().getAsDouble();
    double pad = Math.max(MARGIN * (hi - lo), (MIN_SPAN - (hi - lo)) / 2);
    return new double[] {Math.max(0, lo - pad), Math.min(100, hi + pad)};
  }
}
