package cs4j.cli;

import cs4j.io.AtomicFile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Test accuracy against the weights remaining in the masked layers (log-scale x), one series per
 * curve, drawn with XChart off-screen (headless AWT) and written as PNG and, optionally, SVG.
 */
final class AccuracyChart {
  /**
   * One curve: its points (percent remaining, percent accuracy), sorted by remaining weights.
   * Points at 0% remaining are left out (a log axis cannot show them).
   */
  record Curve(String label, List<double[]> points) {}

  private AccuracyChart() {}

  static XYChart draw(String title, List<Curve> curves) {
    System.setProperty("java.awt.headless", "true");
    XYChart chart =
        new XYChartBuilder()
            .width(900)
            .height(600)
            .title(title)
            .xAxisTitle("weights remaining (%)")
            .yAxisTitle("test accuracy (%)")
            .build();
    Styler styler = chart.getStyler();
    chart.getStyler().setXAxisLogarithmic(true);
    chart.getStyler().setXAxisDecimalPattern("0.#");
    styler.setLegendPosition(Styler.LegendPosition.OutsideS);
    styler.setLegendLayout(Styler.LegendLayout.Horizontal);
    styler.setMarkerSize(8);
    for (Curve c : curves) {
      List<double[]> pts = c.points().stream().filter(p -> p[0] > 0).toList();
      if (pts.isEmpty()) {
        continue;
      }
      double[] x = pts.stream().mapToDouble(p -> p[0]).toArray();
      double[] y = pts.stream().mapToDouble(p -> p[1]).toArray();
      XYSeries s = chart.addSeries(c.label(), x, y);
      s.setMarker(SeriesMarkers.CIRCLE);
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
}
