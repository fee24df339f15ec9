package cs4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --target-remaining} on the embedded subset: LeNet-300-100, 2 epochs, 1 round. */
class TargetSparsityTest {
  @TempDir Path tmp;

  private static final Pattern REACHED =
      Pattern.compile("target 5\\.00% of the weights remaining: reached ([0-9.]+)%, within");

  private CliRun search(Path runs, String... more) {
    String[] head = {
      "ticket-search",
      "--model",
      "lenet300",
      "--epochs",
      "2",
      "--rounds",
      "1",
      "--rewind-epoch",
      "1",
      "--target-remaining",
      "0.05",
      "--runs-dir",
      runs.toString()
    };
    return CliRun.of(Stream.concat(Stream.of(head), Stream.of(more)).toArray(String[]::new));
  }

  @Test
  void findsATicketWithinTheToleranceOfTheTargetAndReusesItsProbes() throws IOException {
    Path runs = tmp.resolve("runs");
    CliRun r = search(runs);
    assertEquals(0, r.exitCode(), r.describe());
    Matcher m = REACHED.matcher(r.out());
    assertTrue(m.find(), r.describe());
    double reached = Double.parseDouble(m.group(1)) / 100;
    assertTrue(Math.abs(reached / 0.05 - 1) <= 0.25, "reached " + reached);
    long probes;
    try (Stream<Path> s = Files.list(runs)) {
      probes = s.count();
    }
    assertTrue(probes >= 2, "probes in " + runs + ": " + probes);

    CliRun again = search(runs);
    assertEquals(0, again.exitCode(), again.describe());
    assertTrue(again.out().contains(m.group()), again.describe());
    try (Stream<Path> s = Files.list(runs)) {
      assertEquals(probes, s.count(), "the same probes, read back: " + again.describe());
    }
  }

  @Test
  void impossibleTargetsAreRefusedBeforeAnythingIsWritten() throws IOException {
    Path runs = tmp.resolve("runs");
    String[][] bad = {
      {"--target-tolerance", "0"},
      {"--s0", "-0.01"},
      {"--target-probes", "0"},
    };
    for (String[] flags : bad) {
      CliRun r = search(runs, flags);
      assertEquals(2, r.exitCode(), r.describe());
    }
    CliRun outside =
        CliRun.of("ticket-search", "--target-remaining", "1.5", "--runs-dir", runs.toString());
    assertEquals(2, outside.exitCode(), outside.describe());
    assertTrue(outside.err().contains("--target-remaining must be in (0, 1)"), outside.describe());
    CliRun magnitude =
        CliRun.of(
            "prune",
            "--method",
            "magnitude",
            "--target-remaining",
            "0.05",
            "--runs-dir",
            runs.toString());
    assertEquals(2, magnitude.exitCode(), magnitude.describe());
    assertTrue(magnitude.err().contains("s0 of cs or cs-prune"), magnitude.describe());
    assertEquals(0, CliRun.entries(runs));
  }
}
