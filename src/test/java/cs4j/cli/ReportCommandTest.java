package cs4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cs4j.io.Json;
import cs4j.sparsity.RoundResult;
import cs4j.sparsity.SparsityReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code report} on synthetic finished runs: two CS searches, one IMP run, one unfinished run. */
class ReportCommandTest {
  @TempDir Path tmp;

  /** Writes a run as the methods do: hparams.json and round<k>/result.json. */
  private static void writeRun(
      Path runs, String method, double s0, double[][] rounds, String[] stages) throws IOException {
    Map<String, Object> training = new LinkedHashMap<>();
    training.put("model", "lenet300");
    training.put("dataset", "fashion-mnist-subset");
    Map<String, Object> hp = new LinkedHashMap<>();
    hp.put("training", training);
    hp.put("method", Map.of("s0", s0));
    RunDirectory dir = RunDirectory.locate(runs, method, hp);
    dir.prepare(java.util.Map.of());
    for (int k = 0; k < rounds.length; k++) {
      long total = 1000;
      long remaining = Math.round(rounds[k][0] * total);
      SparsityReport report =
          new SparsityReport(List.of(new SparsityReport.Layer("fc1", total, remaining)));
      RoundResult r = new RoundResult(k, stages[k], report, rounds[k][1], 0.5, 1, 1.0, "cpu");
      Path file = dir.path().resolve("round" + k).resolve("result.json");
      Files.createDirectories(file.getParent());
      Files.writeString(file, Json.write(r.toMap()));
    }
  }

  @Test
  void writesPngAndSvgAndPrintsTheSameDataAsATable() throws IOException {
    Path runs = tmp.resolve("runs");
    writeRun(
        runs,
        "imp",
        0,
        new double[][] {{1.0, 0.85}, {0.5, 0.84}, {0.25, 0.80}},
        new String[] {"dense", "ticket", "ticket"});
    writeRun(
        runs,
        "cs",
        -0.01,
        new double[][] {{0.2, 0.70}, {0.1, 0.83}},
        new String[] {"search", "ticket"});
    writeRun(
        runs,
        "cs",
        0,
        new double[][] {{0.4, 0.75}, {0.35, 0.84}},
        new String[] {"search", "ticket"});
    writeRun(runs, "gmp", 0, new double[0][], new String[0]); // not finished: no rounds
    Path png = tmp.resolve("plots/curve.png");

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
  }

  @Test
  void runsOfOneMethodFormOneCurveOfTheirNonSearchRoundsSortedByRemainingWeights()
      throws IOException {
    Path runs = tmp.resolve("runs");
    writeRun(
        runs,
        "cs",
        -0.01,
        new double[][] {{0.2, 0.70}, {0.1, 0.83}},
        new String[] {"search", "ticket"});
    writeRun(
        runs,
        "cs",
        0,
        new double[][] {{0.4, 0.75}, {0.35, 0.84}},
        new String[] {"search", "ticket"});
    writeRun(
        runs,
        "imp",
        0,
        new double[][] {{1.0, 0.85}, {0.5, 0.84}},
        new String[] {"dense", "ticket"});

    List<AccuracyChart.Curve> curves = Report.curves(FinishedRun.find(List.of(runs)));

    assertEquals(List.of("cs", "imp"), curves.stream().map(AccuracyChart.Curve::label).toList());
    List<double[]> cs = curves.get(0).points();
    assertEquals(2, cs.size());
    assertArrayEquals(new double[] {10.0, 83.0}, cs.get(0), 1e-9);
    assertArrayEquals(new double[] {35.0, 84.0}, cs.get(1), 1e-9);
    assertEquals(2, curves.get(1).points().size());
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
