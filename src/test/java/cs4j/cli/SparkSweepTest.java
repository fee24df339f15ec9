package cs4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sweep --spark} on a local Spark master, against the local {@code sweep}: four CS searches
 * (LeNet-300-100 on 320 images of the embedded subset, batches of 64, 2 epochs, 1 round, its ticket
 * retrained: 4 epochs a run, a checkpoint every 2 steps) give the same run directories, file for
 * file, byte for byte but for wall-clock seconds, and the same table; a second Spark sweep skips
 * them all; a sweep whose tasks each fail in their first attempt is retried by Spark and ends with
 * the same files.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SparkSweepTest {
  private Path tmp;
  private Path local;
  private List<String> localTable;

  private List<String> sweep(Path runs, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "sweep",
                "--method",
                "cs",
                "--s0",
                "0,-0.2",
                "--lambda",
                "1e-8,1e-6",
                "--rounds",
                "1",
                "--rewind-epoch",
                "1",
                "--model",
                "lenet300",
                "--train-size",
                "320",
                "--batch-size",
                "64",
                "--epochs",
                "2",
                "--checkpoint-every",
                "2",
                "--runs-dir",
                runs.toString()));
    args.addAll(List.of(more));
    return args;
  }

  @BeforeAll
  void localSweep(@TempDir Path dir) {
    tmp = dir;
    System.setProperty("spark.ui.enabled", "false");
    System.setProperty("spark.driver.host", "127.0.0.1");
    local = tmp.resolve("local");
    CliRun r = CliRun.of(sweep(local, "--parallel", "2").toArray(String[]::new));
    assertEquals(0, r.exitCode(), r.describe());
    localTable = table(r.out());
    assertEquals(2 + 4, localTable.size(), "header, rule and a row per run (its ticket)");
  }

  @AfterAll
  void clearProperties() {
    System.clearProperty("spark.ui.enabled");
    System.clearProperty("spark.driver.host");
    System.clearProperty(FirstAttemptFailure.PROPERTY);
  }

  @Test
  void sparkTasksWriteTheLocalSweepsRunsAndASecondSweepSkipsThemAll() throws IOException {
    Path runs = tmp.resolve("spark");
    CliRun r = CliRun.of(sweep(runs, "--spark", "local[2]").toArray(String[]::new));
    assertEquals(0, r.exitCode(), r.describe());
    assertEquals(localTable, table(r.out()), r.describe());
    assertSameRuns(runs);

    Map<Path, Map<String, String>> before = files(runs);
    CliRun again = CliRun.of(sweep(runs, "--spark", "local[2]").toArray(String[]::new));
    assertEquals(0, again.exitCode(), again.describe());
    assertEquals(localTable, table(again.out()), again.describe());
    assertEquals(before, files(runs), "the second sweep changed no file: it trained nothing");
  }

  @Test
  void aTaskWhoseFirstAttemptFailsAfterThreeEpochsIsRetriedFromItsCheckpoint() throws IOException {
    Path runs = tmp.resolve("retried");
    System.setProperty(FirstAttemptFailure.PROPERTY, "3");
    CliRun r;
    try {
      // local[2,2]: 2 task slots, and a task may fail twice before the job fails
      r = CliRun.of(sweep(runs, "--spark", "local[2,2]").toArray(String[]::new));
    } finally {
      System.clearProperty(FirstAttemptFailure.PROPERTY);
    }
    assertEquals(0, r.exitCode(), r.describe());
    assertEquals(localTable, table(r.out()), r.describe());
    for (Path run : runDirs(runs)) {
      String metrics = Files.readString(run.resolve("round0/retrain/metrics.jsonl"));
      assertEquals(2, metrics.lines().count(), run + ": one line per epoch, none twice");
    }
    assertSameRuns(runs);
  }

  /**
   * Another attempt holds one run's lock (as a speculative copy would) for 3 seconds: that run's
   * task waits for it instead of failing, then runs it.
   */
  @Test
  void aTaskWaitsWhileAnotherAttemptHoldsItsRun() throws Exception {
    Path runs = tmp.resolve("waited");
    RunLock held = RunLock.acquire(runs.resolve(runDirs(local).get(0).getFileName()));
    Thread release =
        new Thread(
            () -> {
              try {
                Thread.sleep(3000);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } finally {
                held.close();
              }
            });
    release.start();
    CliRun r = CliRun.of(sweep(runs, "--spark", "local[2]").toArray(String[]::new));
    release.join();
    assertEquals(0, r.exitCode(), r.describe());
    assertEquals(localTable, table(r.out()), r.describe());
    assertSameRuns(runs);
  }

  /** Runs that diverge are lines of the table with their error; the Spark job itself succeeds. */
  @Test
  void divergingConfigurationsAreLinesOfTheTableNotAFailedSweep() {
    Path runs = tmp.resolve("diverged");
    CliRun r =
        CliRun.of(
            "sweep",
            "--method",
            "cs",
            "--s0",
            "0,-0.2",
            "--lr",
            "50",
            "--epochs",
            "1",
            "--rounds",
            "1",
            "--rewind-epoch",
            "0",
            "--train-size",
            "320",
            "--batch-size",
            "64",
            "--runs-dir",
            runs.toString(),
            "--spark",
            "local[2]");
    assertEquals(0, r.exitCode(), "diverged rounds are results: " + r.describe());
    List<String> table = table(r.out());
    assertEquals(4, table.size(), r.describe());
    assertTrue(table.get(2).endsWith("FAILED, see below"), r.describe());
    assertTrue(table.get(3).endsWith("FAILED, see below"), r.describe());
    assertTrue(
        r.out().contains("  cs s0=0: round 0 (search): training diverged at epoch 0"),
        r.describe());
    assertTrue(
        r.out().contains("  cs s0=-0.2: round 0 (search): training diverged at epoch 0"),
        r.describe());
  }

  @Test
  void parallelIsRefusedWithSparkRatherThanIgnored() {
    Path runs = tmp.resolve("parallel");
    CliRun r =
        CliRun.of(sweep(runs, "--spark", "local[2]", "--parallel", "2").toArray(String[]::new));
    assertEquals(2, r.exitCode(), r.describe());
    assertTrue(r.err().contains("--parallel is for a local sweep"), r.describe());
  }

  /**
   * The driver checks {@code --device} by name before any task starts (it does not open it: a
   * driver may have no GPU while its executors do); the misspelt device writes nothing.
   */
  @Test
  void anUnknownDeviceIsRefusedOnTheDriver() throws IOException {
    Path runs = tmp.resolve("device");
    CliRun r =
        CliRun.of(sweep(runs, "--spark", "local[2]", "--device", "cdua").toArray(String[]::new));
    assertEquals(2, r.exitCode(), r.describe());
    assertTrue(r.err().contains("--device: unknown device 'cdua'"), r.describe());
    assertEquals(0, CliRun.entries(runs), "nothing written");
  }

  /** As from {@code bin/cs4j}, which has no Spark: exit 2, saying to use spark-submit. */
  @Test
  void withoutSparkOnTheClassPathTheSweepExitsTwoNamingSparkSubmit() throws Exception {
    String noSpark =
        Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
            .filter(e -> !e.contains("/org/apache/spark/") && !e.contains("/org/scala-lang/"))
            .collect(Collectors.joining(File.pathSeparator));
    Path runs = tmp.resolve("no-spark");
    ChildCli r =
        ChildCli.runOn(
            noSpark, tmp.resolve("logs"), Map.of(), sweep(runs, "--spark").toArray(String[]::new));
    assertEquals(2, r.exitCode(), r.describe());
    assertTrue(r.err().contains("--spark needs Apache Spark"), r.describe());
    assertTrue(r.err().contains("spark-submit --class cs4j.cli.Main"), r.describe());
  }

  /** The table's lines: from its header to its last row. */
  private static List<String> table(String out) {
    List<String> lines = out.lines().toList();
    int header =
        lines.indexOf(
            lines.stream().filter(l -> l.startsWith("method ")).findFirst().orElseThrow());
    return lines.subList(header, lines.size()).stream().takeWhile(l -> !l.isBlank()).toList();
  }

  private void assertSameRuns(Path runs) throws IOException {
    List<Path> got = runDirs(runs);
    List<Path> want = runDirs(local);
    assertEquals(
        want.stream().map(Path::getFileName).toList(),
        got.stream().map(Path::getFileName).toList(),
        "the same hash-named run directories");
    for (int i = 0; i < want.size(); i++) {
      RunDirectoryFiles.assertSameFiles(want.get(i), got.get(i));
    }
  }

  private static List<Path> runDirs(Path runs) throws IOException {
    try (Stream<Path> dirs = Files.list(runs)) {
      return dirs.sorted().toList();
    }
  }

  private static Map<Path, Map<String, String>> files(Path runs) throws IOException {
    Map<Path, Map<String, String>> out = new java.util.TreeMap<>();
    for (Path run : runDirs(runs)) {
      out.put(run, RunDirectoryFiles.exactly(run));
    }
    return out;
  }
}
