package cs4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cs4j.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ticket scale on a network without batch norm (benchmarks/TICKET-SCALE.md): a LeNet-300-100
 * ticket retrained with the reference code's c = 1/σ(0.02) ≈ 2 diverges; the run records that as a
 * failed round that names the flag, the sweep goes on and exits 0, and c = 1, the default for
 * LeNet-300-100, trains.
 */
class TicketScaleTest {
  @TempDir Path tmp;

  private static final List<String> SEARCH =
      List.of("--model", "lenet300", "--epochs", "2", "--rounds", "1", "--rewind-epoch", "1");

  @Test
  void aDivergedTicketIsAFailedRoundNamingTheFlagAndTheDefaultScaleTrains() throws IOException {
    Path runs = tmp.resolve("runs");
    CliRun sweep =
        CliRun.of(
            args(
                "sweep",
                "--method",
                "cs",
                "--s0",
                "0.02",
                "--ticket-keeps-scale",
                "true,false",
                "--runs-dir",
                runs.toString()));
    assertEquals(0, sweep.exitCode(), sweep.describe());
    String out = sweep.out();
    assertTrue(out.contains("FAILED, see below"), sweep.describe());
    assertTrue(
        out.contains("cs ticketKeepsScale=true: round 0 (ticket): training diverged at epoch"),
        sweep.describe());
    assertTrue(out.contains("--ticket-keeps-scale false trains it with c = 1"), sweep.describe());

    Path scaled = runDir(runs, true);
    Map<?, ?> diverged = result(scaled);
    assertTrue(String.valueOf(diverged.get("warning")).contains("c = 1.98"), diverged.toString());
    Map<?, ?> unscaled = result(runDir(runs, false));
    assertFalse(unscaled.containsKey("warning"), unscaled.toString());
    assertTrue(((Number) unscaled.get("test_acc")).doubleValue() > 0.7, unscaled.toString());

    CliRun byDefault =
        CliRun.of(args("ticket-search", "--s0", "0.02", "--runs-dir", runs.toString()));
    assertEquals(0, byDefault.exitCode(), byDefault.describe());
    assertTrue(
        byDefault.out().contains("run directory: " + runDir(runs, false)),
        "LeNet-300-100's default is c = 1, the run already done: " + byDefault.describe());
  }

  private static String[] args(String... head) {
    return Stream.concat(Stream.of(head), SEARCH.stream()).toArray(String[]::new);
  }

  /**
   * The run directory under {@code runs} whose hparams.json has ticketKeepsScale = {@code keep}.
   */
  private static Path runDir(Path runs, boolean keep) throws IOException {
    try (Stream<Path> dirs = Files.list(runs)) {
      return dirs.filter(
              d -> {
                try {
                  return Files.readString(d.resolve(RunDirectory.HPARAMS))
                      .contains("\"ticketKeepsScale\":" + keep);
                } catch (IOException e) {
                  return false;
                }
              })
          .findFirst()
          .orElseThrow();
    }
  }

  private static Map<?, ?> result(Path run) throws IOException {
    return (Map<?, ?>) Json.parse(Files.readString(run.resolve("round0/result.json")));
  }
}
