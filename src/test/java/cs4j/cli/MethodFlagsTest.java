package cs4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MethodFlagsTest {
  @Test
  void helpShowsEachDefaultAsRunLabelsWriteIt() {
    CliRun r = CliRun.of("ticket-search", "--help");
    assertEquals(0, r.exitCode(), r.describe());
    String help = r.out().replaceAll("\\s+", " ");
    assertTrue(help.contains("lambda (default: cs 1e-8)"), r.describe());
    assertTrue(help.contains("betaFinal (default: cs 200)"), r.describe());
    assertTrue(help.contains("softReset (default: cs reference-code)"), r.describe());
    assertTrue(
        help.replaceAll("\\s+", " ")
            .contains("ticketKeepsScale (default: cs true (lenet300: false))"),
        "a default that differs by model says so: " + r.describe());
  }
}
