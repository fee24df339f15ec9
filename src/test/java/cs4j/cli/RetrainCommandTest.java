package cs4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cs4j.io.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code retrain} of a CS ticket from the search's rewind point, with the reference scale c = 2, is
 * the ticket retraining the search itself ran: same mask, same start, same data order, so the same
 * test accuracy, bit for bit (on any thread count).
 */
class RetrainCommandTest {
  @TempDir Path tmp;

  @Test
  void retrainingACsTicketFromItsRewindPointReproducesTheSearchsTicket() throws Exception {
    Path runs = tmp.resolve("runs");
    String[] common = {"--epochs", "2", "--quiet", "--threads", "1", "--runs-dir", runs.toString()};
    CliRun search =
        CliRun.of(
            concat(
                new String[] {
                  "ticket-search",
                  "--rounds",
                  "1",
                  "--rewind-epoch",
                  "1",
                  "--ticket-keeps-scale",
                  "true"
                },
                common));
    assertEquals(0, search.exitCode(), search.describe());
    Path cs;
    try (Stream<Path> s = Files.list(runs)) {
      cs = s.filter(p -> p.getFileName().toString().startsWith("cs_")).findFirst().orElseThrow();
    }
    Map<?, ?> ticket = (Map<?, ?>) Json.parse(Files.readString(cs.resolve("round0/result.json")));
    assertEquals("ticket", ticket.get("stage"));

    CliRun retrain =
        CliRun.of(
            concat(
                new String[] {
                  "retrain",
                  "--masks",
                  cs.resolve("round0/masks.safetensors").toString(),
                  "--weights",
                  cs.resolve("rewind.safetensors").toString(),
                  "--mask-scale",
                  "2"
                },
                common));
    assertEquals(0, retrain.exitCode(), retrain.describe());
    Path again;
    try (Stream<Path> s = Files.list(runs)) {
      again =
          s.filter(p -> p.getFileName().toString().startsWith("retrain_"))
              .findFirst()
              .orElseThrow();
    }
    Map<?, ?> result =
        (Map<?, ?>) Json.parse(Files.readString(again.resolve("round0/result.json")));
    assertEquals(ticket.get("fraction_remaining"), result.get("fraction_remaining"));
    assertEquals(ticket.get("test_acc"), result.get("test_acc"), retrain.describe());
    assertEquals(ticket.get("test_loss"), result.get("test_loss"));
    assertTrue(retrain.out().contains("retrain |     0 | ticket  |"), retrain.describe());
  }

  private static String[] concat(String[] a, String[] b) {
    return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
  }
}
