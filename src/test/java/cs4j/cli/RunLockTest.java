package cs4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One command per run directory: the second is refused naming the first; dead owners don't count.
 */
class RunLockTest {
  @TempDir Path tmp;

  private static final String ME = "pid " + ProcessHandle.current().pid() + " on host ";

  @Test
  void aSecondLockOnTheSameDirectoryIsRefusedNamingTheOwner() throws IOException {
    Path dir = tmp.resolve("run");
    try (RunLock held = RunLock.acquire(dir)) {
      assertTrue(Files.readString(dir.resolve(RunLock.FILE)).startsWith(ME));
      BadInputException e = assertThrows(BadInputException.class, () -> RunLock.acquire(dir));
      assertTrue(e.getMessage().contains(dir + " is in use"), e.getMessage());
      assertTrue(e.getMessage().contains(ME), e.getMessage());
    }
    assertEquals("", Files.readString(dir.resolve(RunLock.FILE)), "emptied when released");
    RunLock.acquire(dir).close();
  }

  /** A killed owner leaves its text behind but no OS lock: the next command takes over. */
  @Test
  void theLockOfADeadProcessIsTakenOver() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("run"));
    Files.writeString(dir.resolve(RunLock.FILE), "pid 999999999 on host gone since 2026-01-01");
    try (RunLock taken = RunLock.acquire(dir)) {
      assertTrue(Files.readString(dir.resolve(RunLock.FILE)).startsWith(ME));
    }
  }

  /**
   * Two processes: this JVM holds a run's lock, the same command in another JVM exits 2, also after
   * a second run in this JVM was refused (closing a channel of the file would drop the holder's
   * lock for every other process).
   */
  @Test
  void theSameCommandInAnotherProcessExitsTwoWhileTheRunIsLocked() throws Exception {
    Path runs = tmp.resolve("runs");
    String[] args = CliRun.tinyTrain(runs);
    CliRun first = CliRun.of(args);
    assertEquals(0, first.exitCode(), first.describe());
    Path dir = CliRun.onlyRun(runs);
    Path metrics = dir.resolve("round0/train/metrics.jsonl");
    String before = Files.readString(metrics);
    try (RunLock held = RunLock.acquire(dir)) {
      assertThrows(RunInUseException.class, () -> RunLock.acquire(dir));
      ChildCli second = ChildCli.run(tmp.resolve("logs"), Map.of(), args);
      assertEquals(2, second.exitCode(), second.describe());
      assertTrue(second.err().contains(dir + " is in use"), second.describe());
      assertTrue(second.err().contains(ME), second.describe());
    }
    ChildCli after = ChildCli.run(tmp.resolve("logs"), Map.of(), args);
    assertEquals(0, after.exitCode(), after.describe());
    assertEquals(before, Files.readString(metrics), "the finished run was read back, not rerun");
  }
}
