package cs4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cs4j.io.CrashPoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exact resume after a crash anywhere: a CS ticket search and an IMP run, each in a JVM of its own,
 * are killed at scripted points ({@link CrashPoint}) and resumed until they finish; every file of
 * the run directory must then equal an uninterrupted run's, byte for byte, except the wall-clock
 * {@code seconds} of {@code result.json} and {@code metrics.jsonl}.
 *
 * <p>Budget: LeNet-300-100 on 320 images of the embedded subset, batches of 64 (5 steps an epoch),
 * 2 epochs per phase, rewinding to epoch 1, 2 rounds, a checkpoint after every step. The kills, in
 * one run after the other:
 *
 * <ol>
 *   <li>after the 7th checkpoint, 2 steps into epoch 1 of round 0: inside the rewind epoch;
 *   <li>resumed there, during its 2nd file write: the checkpoint after 4 steps of that epoch is in
 *       its temporary, not renamed;
 *   <li>resumed, after its 3rd metrics line: the last epoch of round 1, its checkpoint not written;
 *   <li>resumed to the end.
 * </ol>
 */
class CrashResumeTest {
  @TempDir Path tmp;

  private static String[] args(String method, Path runs) {
    return new String[] {
      method,
      "--model",
      "lenet300",
      "--train-size",
      "320",
      "--batch-size",
      "64",
      "--epochs",
      "2",
      "--rewind-epoch",
      "1",
      "--rounds",
      "2",
      "--checkpoint-every",
      "1",
      "--threads",
      "1",
      "--quiet",
      "--runs-dir",
      runs.toString()
    };
  }

  @Test
  void csAndImpKilledAtScriptedPointsResumeToTheUninterruptedRunsFiles() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2); // one single-threaded child per core
    try {
      List<Future<Path>> jobs = new ArrayList<>();
      for (String method : List.of("ticket-search", "imp")) {
        jobs.add(pool.submit(() -> uninterrupted(method)));
        jobs.add(pool.submit(crashed(method)));
      }
      for (int i = 0; i < jobs.size(); i += 2) {
        RunDirectoryFiles.assertSameFiles(jobs.get(i).get(), jobs.get(i + 1).get());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private Path uninterrupted(String method) throws Exception {
    Path runs = tmp.resolve(method + "-uninterrupted");
    ChildCli r = ChildCli.run(tmp.resolve("logs"), Map.of(), args(method, runs));
    assertEquals(0, r.exitCode(), r.describe());
    return runDir(runs);
  }

  private Callable<Path> crashed(String method) {
    return () -> {
      Path runs = tmp.resolve(method + "-crashed");
      String[] args = args(method, runs);
      crash(args, "checkpoint:7");
      Path run = runDir(runs);
      assertTrue(
          Files.readString(run.resolve(RunLock.FILE)).startsWith("pid "),
          "the killed run's lock file names it");
      crash(args, "atomic-write:2");
      assertEquals(
          1,
          temporaries(run).stream()
              .filter(p -> p.getFileName().toString().startsWith(".checkpoint.safetensors."))
              .count(),
          "a checkpoint's temporary is left: " + temporaries(run));
      crash(args, "metrics:3");
      assertEquals(List.of(), temporaries(run), "the resumed run removed the temporaries");
      ChildCli done = ChildCli.run(tmp.resolve("logs"), Map.of(), args);
      assertEquals(0, done.exitCode(), done.describe());
      return run;
    };
  }

  private void crash(String[] args, String point) throws Exception {
    ChildCli r = ChildCli.run(tmp.resolve("logs"), Map.of(CrashPoint.PROPERTY, point), args);
    assertEquals(CrashPoint.EXIT_CODE, r.exitCode(), "killed at " + point + "\n" + r.describe());
  }

  private static Path runDir(Path runs) throws IOException {
    try (Stream<Path> dirs = Files.list(runs)) {
      List<Path> all = dirs.toList();
      assertEquals(1, all.size(), "one run directory in " + runs + ": " + all);
      return all.get(0);
    }
  }

  private static List<Path> temporaries(Path run) throws IOException {
    try (Stream<Path> files = Files.walk(run)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
    }
  }
}
