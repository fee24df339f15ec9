package cs4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo end to end in its {@code --quick} form (1 epoch per round, one CS search of one round at
 * s0 = 0, two IMP rounds), so that CI runs the demo's whole path: both methods, the table and the
 * plot.
 */
class DemoCommandTest {
  @TempDir Path tmp;

  @Test
  void quickDemoPrintsTheTableAndWritesThePlot() throws Exception {
    Path runs = tmp.resolve("runs");
    CliRun r = CliRun.of("demo", "--quick", "--runs-dir", runs.toString());
    assertEquals(0, r.exitCode(), r.describe());
    String out = r.out();
    assertTrue(out.contains("method") && out.contains("% weights remaining"), r.describe());
    assertTrue(out.contains("imp     |     0 | dense   |             100.00% |"), r.describe());
    assertTrue(out.contains("imp     |     1 | ticket  |              80.00% |"), r.describe());
    assertTrue(out.contains("cs s0=0 |     0 | ticket  |"), r.describe());
    assertTrue(Files.size(runs.resolve("demo.png")) > 1000, "plot missing or empty");
  }
}
