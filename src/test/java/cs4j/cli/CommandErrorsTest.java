package cs4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Paths and flags that cannot work are bad input (exit 2, one line saying what and where, nothing
 * written), found before the data is loaded; a run that fails says why in its first line.
 */
class CommandErrorsTest {
  /** Owned by no user, created by nobody: even root cannot create entries in /proc. */
  private static final Path NO_ENTRIES = Path.of("/proc");

  @TempDir static Path shared;
  @TempDir Path tmp;

  private static Path finishedRuns;

  /** A finished dense run (1 epoch, 200 images) to report on and to resume. */
  @BeforeAll
  static void finishedRun() {
    finishedRuns = shared.resolve("runs");
    CliRun r = CliRun.of(train(finishedRuns, "--epochs", "1"));
    assertEquals(0, r.exitCode(), r.describe());
  }

  private static String[] train(Path runs, String... more) {
    return Stream.concat(
            Stream.of(
                "train",
                "--model",
                "lenet300",
                "--train-size",
                "200",
                "--threads",
                "1",
                "--quiet",
                "--runs-dir",
                runs.toString()),
            Stream.of(more))
        .toArray(String[]::new);
  }

  private static CliRun assertBadInput(String expected, String... args) {
    CliRun r = CliRun.of(args);
    assertEquals(2, r.exitCode(), r.describe());
    assertTrue(r.err().startsWith("error: "), r.describe());
    assertTrue(r.err().contains(expected), "expected '" + expected + "' in\n" + r.describe());
    assertFalse(r.err().contains("\tat "), "no stack trace for bad input\n" + r.describe());
    return r;
  }

  @Test
  void aNegativeCheckpointIntervalIsRefusedBeforeTheRunDirectoryExists() throws IOException {
    Path runs = tmp.resolve("runs");
    assertBadInput(
        "--checkpoint-every must be >= 0, got -1", train(runs, "--checkpoint-every", "-1"));
    assertEquals(0, CliRun.entries(runs), "something was written under " + runs);
  }

  /** The runs directory is checked before the data: a missing data directory is not reached. */
  @Test
  void aRunsDirectoryThatIsAFileIsRefusedBeforeTheDataIsLoaded() throws IOException {
    Path file = Files.writeString(tmp.resolve("file"), "x");
    String[] data = {"--dataset", "fashion-mnist", "--data-dir", tmp.resolve("none").toString()};
    assertBadInput("--runs-dir " + file + ": not a directory", concat(train(file), data));
    assertBadInput(
        "--runs-dir " + file.resolve("runs") + ": " + file + " is not a directory",
        concat(train(file.resolve("runs")), data));
  }

  @Test
  void aRunsDirectoryThatCannotTakeFilesIsRefused() {
    assumeTrue(Files.isDirectory(NO_ENTRIES.resolve("self")), "Linux /proc");
    Path runs = NO_ENTRIES.resolve("cs4j-runs");
    assertBadInput("--runs-dir " + runs + ": cannot create files in " + NO_ENTRIES, train(runs));
  }

  @Test
  void aReportIntoAMissingDirectoryIsRefusedAndCreatesNothing() {
    Path out = tmp.resolve("no/such/dir/x.png");
    assertBadInput(
        "--out " + out + ": directory " + out.getParent() + " does not exist",
        "report",
        finishedRuns.toString(),
        "--out",
        out.toString());
    assertFalse(Files.exists(tmp.resolve("no")), "the report created directories");
  }

  @Test
  void aReportIntoADirectoryThatCannotTakeFilesIsRefused() {
    assumeTrue(Files.isDirectory(NO_ENTRIES.resolve("self")), "Linux /proc");
    Path out = NO_ENTRIES.resolve("x.png");
    assertBadInput(
        "--out " + out + ": cannot create files in " + NO_ENTRIES,
        "report",
        finishedRuns.toString(),
        "--out",
        out.toString());
  }

  @Test
  void aReportOntoADirectoryIsRefused() {
    assertBadInput(
        "--out " + tmp + ": is a directory",
        "report",
        finishedRuns.toString(),
        "--out",
        tmp.toString());
  }

  @Test
  void aMissingMaskFileIsNamedAsMissing() {
    Path masks = tmp.resolve("nonexistent.safetensors");
    assertBadInput(
        "--masks " + masks + ": no such file",
        "retrain",
        "--model",
        "lenet300",
        "--masks",
        masks.toString(),
        "--runs-dir",
        tmp.resolve("runs").toString());
  }

  /** A truncated checkpoint: the cause (the file and what is wrong with it) is in line one. */
  @Test
  void aRunThatCannotResumeSaysWhyInItsFirstLine() throws IOException {
    Path runs = tmp.resolve("runs");
    assertEquals(0, CliRun.of(train(runs, "--epochs", "1")).exitCode());
    Path run;
    try (Stream<Path> dirs = Files.list(runs)) {
      run = dirs.findFirst().orElseThrow();
    }
    Path round = run.resolve("round0");
    Files.delete(round.resolve("result.json"));
    Path ckpt = round.resolve("train/checkpoint.safetensors");
    try (FileChannel ch = FileChannel.open(ckpt, StandardOpenOption.WRITE)) {
      ch.truncate(ch.size() / 2);
    }
    CliRun r = CliRun.of(train(runs, "--epochs", "1"));
    assertEquals(1, r.exitCode(), r.describe());
    String first = r.err().lines().findFirst().orElse("");
    assertTrue(first.startsWith("error: "), r.describe());
    assertTrue(first.contains(ckpt + ": "), "the file in line one: " + first);
    assertTrue(first.contains("truncated?"), "the cause in line one: " + first);
  }

  private static String[] concat(String[] a, String[] b) {
    return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
  }
}
