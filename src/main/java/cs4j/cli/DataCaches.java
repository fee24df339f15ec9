package cs4j.cli;

import cs4j.io.AtomicFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The files cs4j keeps beside a dataset (or in {@code --cache-dir}) so that it need not work them
 * out again: the {@link cs4j.data.FileFingerprint} cache and decoded images. They are written
 * through {@link AtomicFile} and only where the directory is writable: data in a read-only
 * directory is used as it is, without a cache.
 */
final class DataCaches {
  private DataCaches() {}

  /** The text of {@code file}, or null when there is none or it cannot be read. */
  static String readText(Path file) {
    try {
      return Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8) : null;
    } catch (IOException e) {
      return null; // a cache that cannot be read is worked out again
    }
  }

  /** Writes {@code bytes} to {@code file}, unless its directory exists and is not writable. */
  static void write(Path file, byte[] bytes) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    if (Files.isDirectory(dir) && !Files.isWritable(dir)) {
      return;
    }
    Files.createDirectories(dir);
    AtomicFile.writeBytes(file, bytes);
  }
}
