package cs4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cs4j.io.Json;
import cs4j.sparsity.RoundResult;
import cs4j.sparsity.SparsityReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * {@code report} on synthetic finished runs, written as the methods write them: CS searches, IMP,
 * dense, failed and unfinished runs.
 */
class ReportCommandTest {
  @TempDir Path tmp;

  /**
   * Writes a run as the methods do: hparams.json and round<k>/result.json, each round {fraction
   * remaining, test accuracy} at the given stage, lenet300 on the subset for {@code epochs}.
   */
  private static void writeRun(
      Path runs,
      String method,
      Map<String, Object> methodHp,
      int epochs,
      double[][] rounds,
      String... stages)
      throws IOException {
    Map<String, Object> training = new LinkedHashMap<>();
    training.put("model", "lenet300");
    training.put("dataset", "fashion-mnist-subset");
    training.put("epochs", epochs);
    Map<String, Object> hp = new LinkedHashMap<>();
    hp.put("training", training);
    hp.put("method", methodHp);
    RunDirectory dir = RunDirectory.locate(runs, method, hp);
    dir.prepare(java.util.Map.of());
    for (int k = 0; k < rounds.length; k++) {
      long total = 1000;
      long remaining = Math.round(rounds[k][0] * total);
      SparsityReport report =
          new SparsityReport(List.of(new SparsityReport.Layer("fc1", total, remaining)));
      RoundResult r = new RoundResult(k, stages[k], report, rounds[k][1], 0.5, 1, 1.0, "cpu", null);
      Path file = dir.path().resolve("round" + k).resolve("result.json");
      Files.createDirectories(file.getParent());
      Files.writeString(file, Json.write(r.toMap()));
    }
  }

  private static void writeCs(Path runs, double s0, int epochs, double[][] rounds)
      throws IOException {
    writeRun(runs, "cs", Map.of("s0", s0), epochs, rounds, "search", "ticket");
  }

  private static void writeImp(Path runs, double[][] rounds) throws IOException {
    String[] stages = new String[rounds.length];
    Arrays.fill(stages, "ticket");
    stages[0] = "dense";
    writeRun(runs, "imp", Map.of("rounds", rounds.length), 3, rounds, stages);
  }

  private static Report.Plot plot(Path runs) {
    return Report.plot(FinishedRun.find(List.of(runs)));
  }

  /** The lines under "failed rounds:" in the table of the runs in {@code runs}. */
  private static List<String> failedRounds(Path runs) {
    StringWriter text = new StringWriter();
    Report.table(FinishedRun.find(List.of(runs)), new PrintWriter(text, true));
    String table = text.toString();
    int at = table.indexOf("failed rounds:\n");
    return at < 0
        ? List.of()
        : table.substring(at + "failed rounds:\n".length()).lines().map(String::strip).toList();
  }

  private static List<String> labels(Report.Plot plot) {
    return plot.series().stream().map(AccuracyChart.Series::label).toList();
  }

  @Test
  void writesPngAndSvgAndPrintsTheSameDataAsATable() throws IOException {
    Path runs = tmp.resolve("runs");
    writeImp(runs, new double[][] {{1.0, 0.85}, {0.5, 0.84}, {0.25, 0.80}});
    writeCs(runs, -0.01, 3, new double[][] {{0.2, 0.70}, {0.1, 0.83}});
    writeCs(runs, 0, 3, new double[][] {{0.4, 0.75}, {0.35, 0.84}});
    writeRun(runs, "gmp", Map.of(), 3, new double[0][]); // not finished: no rounds
    Path png = Files.createDirectories(tmp.resolve("plots")).resolve("curve.png");

    CliRun r = CliRun.of("report", runs.toString(), "--out", png.toString());
    assertEquals(0, r.exitCode(), r.describe());

    byte[] bytes = Files.readAllBytes(png);
    byte[] magic = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    assertArrayEquals(magic, Arrays.copyOf(bytes, 8), "not a PNG: " + png);
    String svg = Files.readString(tmp.resolve("plots/curve.svg"));
    assertTrue(svg.contains("<svg"), "not an SVG");
    CliRun pngOnly =
        CliRun.of(
            "report", runs.toString(), "--out", tmp.resolve("png-only.png").toString(), "--no-svg");
    assertEquals(0, pngOnly.exitCode(), pngOnly.describe());
    assertTrue(Files.exists(tmp.resolve("png-only.png")));
    assertFalse(Files.exists(tmp.resolve("png-only.svg")), "--no-svg wrote an SVG");
    assertFalse(pngOnly.out().contains(".svg"), pngOnly.describe());

    String out = r.out();
    assertTrue(out.contains("method"), r.describe());
    assertTrue(out.contains("% weights remaining"), r.describe());
    assertTrue(
        out.contains("cs s0=-0.01 |     1 | ticket  |              10.00% |        83.00%"),
        r.describe());
    assertTrue(
        out.contains("cs s0=0     |     0 | search  |              40.00% |        75.00%"),
        r.describe());
    assertTrue(
        out.contains("imp         |     2 | ticket  |              25.00% |        80.00%"),
        r.describe());
    assertTrue(out.contains("not plotted (no finished dense, ticket or pruned round yet):"));
    assertTrue(out.contains("  gmp ("), r.describe());
  }

  @Test
  void everyRunIsItsOwnSeriesOfItsNonSearchRoundsSortedByRemainingWeights() throws IOException {
    Path runs = tmp.resolve("runs");
    writeCs(runs, -0.01, 3, new double[][] {{0.2, 0.70}, {0.1, 0.83}});
    writeCs(runs, 0, 3, new double[][] {{0.4, 0.75}, {0.35, 0.84}});
    writeImp(runs, new double[][] {{1.0, 0.85}, {0.5, 0.84}, {0.25, 0.80}});

    Report.Plot plot = plot(runs);

    assertEquals(List.of("cs s0=-0.01", "cs s0=0", "imp"), labels(plot));
    List<double[]> cs = plot.series().get(0).points();
    assertEquals(1, cs.size(), "the search round is not plotted");
    assertArrayEquals(new double[] {10.0, 83.0}, cs.get(0), 1e-9);
    List<double[]> imp = plot.series().get(2).points();
    assertEquals(3, imp.size());
    assertArrayEquals(new double[] {25.0, 80.0}, imp.get(0), 1e-9);
    assertArrayEquals(new double[] {100.0, 85.0}, imp.get(2), 1e-9);
    assertTrue(plot.references().isEmpty(), "no dense run, no reference line");
  }

  @Test
  void runsThatDifferOnlyInEpochsGetTheirOwnSeriesAndLabels() throws IOException {
    Path runs = tmp.resolve("runs");
    writeCs(runs, -0.002, 3, new double[][] {{0.2, 0.70}, {0.1, 0.83}});
    writeCs(runs, -0.002, 6, new double[][] {{0.2, 0.72}, {0.1, 0.85}});
    writeCs(runs, -5e-4, 3, new double[][] {{0.6, 0.70}, {0.5, 0.84}});

    assertEquals(
        List.of("cs s0=-0.0005 epochs=3", "cs s0=-0.002 epochs=3", "cs s0=-0.002 epochs=6"),
        labels(plot(runs)).stream().sorted().toList());
  }

  @Test
  void aDenseRunIsADashedReferenceLineAcrossTheWholeXAxis() throws IOException {
    Path runs = tmp.resolve("runs");
    writeRun(runs, "dense", Map.of(), 3, new double[][] {{1.0, 0.86}}, "dense");
    writeCs(runs, -0.01, 3, new double[][] {{0.2, 0.70}, {0.02, 0.83}});
    writeImp(runs, new double[][] {{1.0, 0.85}, {0.5, 0.84}});

    Report.Plot plot = plot(runs);
    assertEquals(List.of("cs", "imp"), labels(plot));
    assertEquals(1, plot.references().size());
    assertEquals("dense", plot.references().get(0).label());
    assertEquals(86.0, plot.references().get(0).accuracy(), 1e-9);

    XYChart chart = Report.chart("t", plot);
    XYSeries dense = chart.getSeriesMap().get("dense");
    assertArrayEquals(
        new double[] {chart.getStyler().getXAxisMin(), chart.getStyler().getXAxisMax()},
        dense.getXData(),
        1e-12);
    assertArrayEquals(new double[] {86.0, 86.0}, dense.getYData(), 1e-12);
    assertEquals(SeriesMarkers.NONE, dense.getMarker());
  }

  @Test
  void failedRoundsAreListedAndMarkedOnTheBottomEdgeNotJoinedToTheirRun() throws IOException {
    Path runs = tmp.resolve("runs");
    // Round 1 at 7.8 % on a 10-class dataset: below 1.5x chance.
    writeImp(runs, new double[][] {{1.0, 0.85}, {0.5, 0.078}, {0.25, 0.80}});
    writeCs(runs, 0.02, 3, new double[][] {{0.9, 0.50}, {0.98, 0.14}});

    Report.Plot plot = plot(runs);
    AccuracyChart.Series imp = plot.series().get(1);
    assertEquals("imp", imp.label());
    assertEquals(2, imp.points().size(), "the failed round is not a point of the line");
    assertEquals(List.of(50.0), imp.failed());
    assertEquals(List.of(98.0), plot.series().get(0).failed());
    List<String> failed = failedRounds(runs);
    assertEquals(2, failed.size(), failed.toString());
    assertTrue(
        failed
            .get(1)
            .startsWith(
                "imp: round 1 (ticket): test accuracy 7.80% is below 1.5x chance (10 classes:"
                    + " 10.00%)"),
        failed.toString());

    XYChart chart = Report.chart("t", plot);
    XYSeries crosses = chart.getSeriesMap().get("imp failed");
    assertEquals(XYSeriesRenderStyle.Scatter, crosses.getXYSeriesRenderStyle());
    assertEquals(SeriesMarkers.CROSS, crosses.getMarker());
    double bottom = chart.getStyler().getYAxisMin();
    assertArrayEquals(new double[] {bottom}, crosses.getYData(), 1e-12);
    assertTrue(bottom > 70, "the accuracy axis is stretched down to the failure: " + bottom);

    CliRun r = CliRun.of("report", runs.toString(), "--out", tmp.resolve("f.png").toString());
    assertEquals(0, r.exitCode(), r.describe());
    assertTrue(r.out().contains("(on the plot: crosses on the bottom edge"), r.describe());
    assertEquals(
        1,
        r.out().split("cs: round 1 \\(ticket\\): test accuracy 14.00% is below", -1).length - 1,
        "each failed round is listed once: " + r.describe());
  }

  @Test
  void aRoundWithARecordedWarningIsListedOnceWithItsDirectory() throws IOException {
    Path runs = tmp.resolve("runs");
    RunDirectory dir =
        RunDirectory.locate(runs, "dense", Map.of("training", Map.of("model", "lenet300")));
    dir.prepare(Map.of());
    SparsityReport report =
        new SparsityReport(List.of(new SparsityReport.Layer("fc1", 1000, 1000)));
    String warning = "training diverged (loss NaN at epoch 1, step 3); lower --lr";
    RoundResult r = new RoundResult(0, "dense", report, 0.1, 0.5, 1, 1.0, "cpu", warning);
    Path round = Files.createDirectories(dir.path().resolve("round0"));
    Files.writeString(round.resolve("result.json"), Json.write(r.toMap()));

    CliRun run = CliRun.of("report", runs.toString(), "--out", tmp.resolve("w.png").toString());
    assertEquals(0, run.exitCode(), run.describe());
    assertEquals(
        1, run.out().split(java.util.regex.Pattern.quote(warning), -1).length - 1, run.describe());
    assertEquals(
        List.of("dense: round 0 (dense): " + warning + " (" + round + ")"), failedRounds(runs));
  }

  @Test
  void chanceOnADatasetOfOnesOwnIsThatOfTheClassCountTheRunRecorded() throws IOException {
    Path runs = tmp.resolve("runs");
    for (Map<String, Object> runtime :
        List.<Map<String, Object>>of(Map.of("data", Map.of("classes", 4)), Map.of())) {
      Map<String, Object> hp =
          Map.of(
              "training", Map.of("model", "lenet300", "dataset", "idx", "epochs", runtime.size()));
      RunDirectory dir = RunDirectory.locate(runs, "dense", hp);
      dir.prepare(runtime);
      SparsityReport report =
          new SparsityReport(List.of(new SparsityReport.Layer("fc1", 1000, 1000)));
      RoundResult r = new RoundResult(0, "dense", report, 0.30, 0.5, 1, 1.0, "cpu", null);
      Path file = Files.createDirectories(dir.path().resolve("round0")).resolve("result.json");
      Files.writeString(file, Json.write(r.toMap()));
    }
    // 30 % is below 1.5x chance of 4 classes (37.5 %); without a recorded count idx says nothing.
    List<String> failed = failedRounds(runs);
    assertEquals(1, failed.size(), failed.toString());
    assertTrue(
        failed.get(0).contains("test accuracy 30.00% is below 1.5x chance (4 classes: 25.00%)"),
        failed.toString());
  }

  @Test
  void theAxesSpanTheDataNotTheWholeRange() throws IOException {
    Path runs = tmp.resolve("runs");
    writeImp(runs, new double[][] {{1.0, 0.85}, {0.5, 0.84}, {0.25, 0.80}});
    writeCs(runs, -0.01, 3, new double[][] {{0.2, 0.70}, {0.05, 0.83}});

    XYChart chart = Report.chart("t", plot(runs));
    double xMin = chart.getStyler().getXAxisMin();
    double xMax = chart.getStyler().getXAxisMax();
    assertTrue(xMin < 5 && xMin > 4, "x from " + xMin);
    assertTrue(xMax > 100 && xMax < 120, "x to " + xMax);
    double yMin = chart.getStyler().getYAxisMin();
    double yMax = chart.getStyler().getYAxisMax();
    assertTrue(yMin < 80 && yMin > 79, "y from " + yMin);
    assertTrue(yMax > 85 && yMax < 86, "y to " + yMax);
  }

  @Test
  void eachMethodKeepsItsColourFromOnePlotToTheNextAndItsRunsTheirMarkers() throws IOException {
    Path one = tmp.resolve("one");
    writeCs(one, -0.01, 3, new double[][] {{0.2, 0.70}, {0.1, 0.83}});
    writeCs(one, 0, 3, new double[][] {{0.4, 0.75}, {0.35, 0.84}});
    writeImp(one, new double[][] {{1.0, 0.85}, {0.5, 0.84}});
    Path two = tmp.resolve("two");
    writeRun(two, "magnitude", Map.of(), 3, new double[][] {{0.1, 0.8}}, "pruned");
    writeImp(two, new double[][] {{1.0, 0.85}, {0.5, 0.84}});

    Map<String, XYSeries> a = Report.chart("a", plot(one)).getSeriesMap();
    Map<String, XYSeries> b = Report.chart("b", plot(two)).getSeriesMap();

    assertEquals(a.get("imp").getLineColor(), b.get("imp").getLineColor());
    assertEquals(MethodStyle.colour("imp"), a.get("imp").getMarkerColor());
    assertEquals(MethodStyle.colour("cs"), a.get("cs s0=0").getMarkerColor());
    assertEquals(MethodStyle.colour("cs"), a.get("cs s0=-0.01").getMarkerColor());
    assertNotEquals(a.get("cs s0=0").getMarker(), a.get("cs s0=-0.01").getMarker());
    assertNotEquals(MethodStyle.colour("cs"), MethodStyle.colour("imp"));
  }

  @Test
  void aDirectoryWithoutFinishedRunsIsBadInput() throws IOException {
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    CliRun r = CliRun.of("report", empty.toString(), "--out", tmp.resolve("x.png").toString());
    assertEquals(2, r.exitCode(), r.describe());
    assertTrue(r.err().contains("no finished rounds"), r.describe());
    assertEquals(false, Files.exists(tmp.resolve("x.png")));
  }
}
