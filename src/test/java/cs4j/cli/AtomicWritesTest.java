package cs4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line's files are written like any other new file, with the usual permissions. */
class AtomicWritesTest {
  @TempDir Path tmp;

  @Test
  void hparamsJsonHasTheUsualPermissions() throws IOException {
    Path dir = RunDirectory.locate(tmp.resolve("runs"), "cs", Map.of("s0", 0)).prepare(Map.of());
    String usual = permissions(Files.writeString(tmp.resolve("plain"), "x"));
    assertEquals(usual, permissions(dir.resolve(RunDirectory.HPARAMS)));
  }

  private static String permissions(Path p) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }
}
