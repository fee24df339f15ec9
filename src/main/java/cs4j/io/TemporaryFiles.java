package cs4j.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The temporary files of the atomic writer: what they are called, and removing those a crash left
 * behind. The writer fills {@code .<name>.<random UUID>.tmp} beside its target and renames it over
 * the target; a process killed before the rename leaves the temporary, as large as the file it was
 * writing, and nothing else ever removes it.
 */
public final class TemporaryFiles {
  private static final Pattern NAME =
      Pattern.compile(
          "\\..+\\.\\p{XDigit}{8}-\\p{XDigit}{4}-\\p{XDigit}{4}-\\p{XDigit}{4}-\\p{XDigit}{12}\\.tmp");

  private TemporaryFiles() {}

  /** The temporary that the atomic writer fills before renaming it to {@code target}. */
  public static Path beside(Path target) {
    return target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
  }

  /**
   * Deletes the writer's temporaries under {@code dir} (any depth; links are not followed) and
   * returns them. Only for a directory that no writer is using: its owner holds its lock.
   */
  public static List<Path> removeLeftovers(Path dir) throws IOException {
    List<Path> leftovers;
    try (Stream<Path> files = Files.walk(dir)) {
      leftovers =
          files
              .filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
              .filter(p -> NAME.matcher(p.getFileName().toString()).matches())
              .toList();
    }
    for (Path p : leftovers) {
      Files.deleteIfExists(p);
    }
    return leftovers;
  }
}
