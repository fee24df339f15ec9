package cs4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cs4j.io.TemporaryFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run resumed after a crash removes the atomic writer's temporaries that the crash left in its
 * directory, and nothing else: not other files, not another run's temporaries.
 */
class CrashLeftoversTest {
  @TempDir Path tmp;

  @Test
  void aResumedRunRemovesTheTemporariesACrashLeftInItsDirectoryOnly() throws IOException {
    Path runs = tmp.resolve("runs");
    String[] args = CliRun.tinyTrain(runs);
    CliRun first = CliRun.of(args);
    assertEquals(0, first.exitCode(), first.describe());
    Path run = CliRun.onlyRun(runs);
    Path train = run.resolve("round0/train");
    Path leftover = TemporaryFiles.beside(train.resolve("checkpoint.safetensors"));
    Path topLeftover = TemporaryFiles.beside(run.resolve("rewind.safetensors"));
    Path otherRun = Files.createDirectories(runs.resolve("imp_000000000000"));
    Path othersLeftover = TemporaryFiles.beside(otherRun.resolve("checkpoint.safetensors"));
    List<Path> kept =
        List.of(
            train.resolve(".checkpoint.safetensors.tmp"),
            train.resolve("checkpoint.safetensors.12345.tmp"),
            train.resolve(leftover.getFileName() + ".bak"),
            train.resolve("notes.tmp"));
    for (Path p :
        Stream.concat(Stream.of(leftover, topLeftover, othersLeftover), kept.stream()).toList()) {
      Files.writeString(p, "crash");
    }

    CliRun again = CliRun.of(args);
    assertEquals(0, again.exitCode(), again.describe());
    assertFalse(Files.exists(leftover), leftover + " is still there");
    assertFalse(Files.exists(topLeftover), topLeftover + " is still there");
    assertTrue(Files.exists(othersLeftover), "another run's directory was cleaned");
    for (Path p : kept) {
      assertTrue(Files.exists(p), p + " is not the writer's and was removed");
    }
  }
}
