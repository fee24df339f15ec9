package cs4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo as the README's first command runs it, with its defaults (about half a minute on two
 * cores): both methods, every round in the table, the summary and the plot.
 */
class DemoCommandTest {
  @TempDir Path tmp;

  @Test
  void demoPrintsTheTableAndTheSummaryAndWritesThePlot() throws Exception {
    Path runs = tmp.resolve("runs");
    CliRun r = CliRun.of("demo", "--runs-dir", runs.toString());
    assertEquals(0, r.exitCode(), r.describe());
    String out = r.out();
    assertTrue(
        out.contains("method       | round | stage   | % weights remaining | test accuracy"),
        r.describe());
    assertTrue(
        out.contains("imp          |     0 | dense   |             100.00% |"), r.describe());
    // 20% of the remaining weights per round: 0.8^14 = 4.40% after the 15th round.
    assertTrue(
        out.contains("imp          |    14 | ticket  |               4.40% |"), r.describe());
    for (String s0 : new String[] {"-0.005", "-0.01 ", "-0.02 "}) {
      assertTrue(out.contains("cs s0=" + s0 + " |     0 | search  |"), r.describe());
      assertTrue(out.contains("cs s0=" + s0 + " |     1 | ticket  |"), r.describe());
    }
    assertTrue(out.contains("dense accuracy (IMP round 0): "), r.describe());
    assertTrue(Files.size(runs.resolve("demo.png")) > 1000, "plot missing or empty");
    try (var dirs = Files.list(runs)) {
      assertEquals(4, dirs.filter(Files::isDirectory).count(), "one run directory per run");
    }
  }
}
