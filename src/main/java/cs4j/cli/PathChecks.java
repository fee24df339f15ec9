package cs4j.cli;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks of the paths a command's flags name, made before it loads data or writes anything: a path
 * that cannot work is bad input (exit 2), named with its flag. Whether a directory can take new
 * files is tried, not guessed from its permissions (root ignores them; a read-only file system or
 * {@code /proc} does not).
 */
final class PathChecks {
  private PathChecks() {}

  /**
   * {@code dir} is a directory that can take new files, or can be created: its nearest existing
   * ancestor is a directory that can take new files.
   */
  static void requireDirectory(Path dir, String flag) {
    Path absolute = dir.toAbsolutePath();
    if (Files.exists(absolute) && !Files.isDirectory(absolute)) {
      throw new BadInputException(flag + " " + dir + ": not a directory");
    }
    Path existing = absolute;
    while (!Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (!Files.isDirectory(existing)) {
      throw new BadInputException(flag + " " + dir + ": " + existing + " is not a directory");
    }
    requireNewFiles(existing, flag + " " + dir);
  }

  /** {@code file} can be written: it is no directory, and its directory exists and takes files. */
  static void requireWritableFile(Path file, String flag) {
    Path absolute = file.toAbsolutePath();
    if (Files.isDirectory(absolute)) {
      throw new BadInputException(flag + " " + file + ": is a directory");
    }
    Path dir = absolute.getParent();
    if (!Files.exists(dir)) {
      throw new BadInputException(flag + " " + file + ": directory " + dir + " does not exist");
    }
    if (!Files.isDirectory(dir)) {
      throw new BadInputException(flag + " " + file + ": " + dir + " is not a directory");
    }
    requireNewFiles(dir, flag + " " + file);
  }

  /** {@code file} exists and is a regular file. */
  static void requireReadableFile(Path file, String flag) {
    if (!Files.exists(file)) {
      throw new BadInputException(flag + " " + file + ": no such file");
    }
    if (!Files.isRegularFile(file)) {
      throw new BadInputException(flag + " " + file + ": not a regular file");
    }
  }

  /**
   * Creates and removes an empty file in {@code dir}; bad input (what: {@code what}) if it fails.
   */
  private static void requireNewFiles(Path dir, String what) {
    try {
      Files.delete(Files.createTempFile(dir, ".cs4j-probe", ".tmp"));
    } catch (IOException e) {
      String reason =
          e instanceof FileSystemException fs && fs.getReason() != null
              ? fs.getReason()
              : e.getClass().getSimpleName();
      throw new BadInputException(what + ": cannot create files in " + dir + " (" + reason + ")");
    }
  }
}
