package cs4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepCommandTest {
  @TempDir Path tmp;

  @Test
  void gridIsTheCartesianProductOfTheListsInFlagOrder() {
    Map<String, String> lists = new LinkedHashMap<>();
    lists.put("s0", "0,-0.1");
    lists.put("lambda", "1e-8,1e-7,1e-6");
    lists.put("rounds", "2");
    List<Map<String, String>> grid = SweepCommand.grid(lists);
    assertEquals(6, grid.size());
    assertEquals(Map.of("s0", "0", "lambda", "1e-8", "rounds", "2"), grid.get(0));
    assertEquals(Map.of("s0", "0", "lambda", "1e-7", "rounds", "2"), grid.get(1));
    assertEquals(Map.of("s0", "-0.1", "lambda", "1e-6", "rounds", "2"), grid.get(5));
  }

  @Test
  void runsEachGridPointInItsOwnDirectoryAndReportsAllLabelledAsReportLabelsThem()
      throws IOException {
    Path runs = tmp.resolve("runs");
    CliRun r =
        CliRun.of(
            "sweep",
            "--method",
            "random",
            "--fraction-remaining",
            "5e-1,0.25",
            "--epochs",
            "1",
            "--runs-dir",
            runs.toString());
    assertEquals(0, r.exitCode(), r.describe());
    try (Stream<Path> s = Files.list(runs)) {
      assertEquals(2, s.filter(p -> p.getFileName().toString().startsWith("random_")).count());
    }
    assertTrue(r.out().contains("random fractionRemaining=0.5  |"), r.describe());
    assertTrue(r.out().contains("random fractionRemaining=0.25 |"), r.describe());
    assertTrue(r.out().contains("|              25.00% |"), r.describe());

    CliRun report = CliRun.of("report", runs.toString(), "--no-svg");
    assertEquals(0, report.exitCode(), report.describe());
    assertTrue(report.out().contains("random fractionRemaining=0.5  |"), report.describe());
    assertTrue(report.out().contains("random fractionRemaining=0.25 |"), report.describe());
  }

  @Test
  void aValueListedTwiceIsRefused() throws IOException {
    Path runs = tmp.resolve("runs");
    CliRun r =
        CliRun.of(
            "sweep",
            "--method",
            "random",
            "--fraction-remaining",
            "0.5,0.5",
            "--runs-dir",
            runs.toString());
    assertEquals(2, r.exitCode(), r.describe());
    assertTrue(r.err().contains("listed twice"), r.describe());
    assertEquals(0, CliRun.entries(runs));
  }
}
