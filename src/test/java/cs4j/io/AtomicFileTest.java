package cs4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFileTest {
  @TempDir Path dir;

  @Test
  void writesAndReplacesLeavingOnlyTheTarget() throws IOException {
    Path f = dir.resolve("a.json");
    AtomicFile.writeString(f, "first");
    AtomicFile.writeString(f, "second ü");
    assertEquals("second ü", Files.readString(f));
    assertEquals(List.of(f), list());
  }

  @Test
  void aFailingWriteKeepsTheOldFileAndRemovesTheTemporary() throws IOException {
    Path f = dir.resolve("a.bin");
    AtomicFile.writeBytes(f, new byte[] {1, 2, 3});
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                AtomicFile.write(
                    f,
                    out -> {
                      out.write(new byte[100_000]); // more than the buffer: reaches the disk
                      throw new IOException("disk full");
                    }));
    assertEquals("disk full", e.getMessage());
    assertEquals(3, Files.size(f));
    assertEquals(List.of(f), list());
  }

  @Test
  void theFileHasThePermissionsOfAnyNewFile() throws IOException {
    Path plain = Files.writeString(dir.resolve("plain.txt"), "x"); // 0666 less the umask
    Path atomic = dir.resolve("atomic.txt");
    AtomicFile.writeString(atomic, "x");
    assertEquals(
        PosixFilePermissions.toString(Files.getPosixFilePermissions(plain)),
        PosixFilePermissions.toString(Files.getPosixFilePermissions(atomic)));
  }

  @Test
  void aMissingDirectoryIsNotCreated() {
    Path f = dir.resolve("no/such/dir/a.txt");
    assertThrows(NoSuchFileException.class, () -> AtomicFile.writeString(f, "x"));
    assertEquals(false, Files.exists(dir.resolve("no")));
  }

  private List<Path> list() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.toList();
    }
  }
}
