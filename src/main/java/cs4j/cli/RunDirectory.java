package cs4j.cli;

import cs4j.io.AtomicFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One experiment's directory: {@code <runs>/<method>_<hash>/}, where the hash is {@link
 * CanonicalJson#hash} of the method name and its hyperparameters. The same command therefore finds
 * the same directory again, and what it finished there (per-round results, masks, checkpoints) is
 * skipped or resumed by the code that wrote it.
 *
 * <p>{@code hparams.json} holds the canonical text the hash was taken of, written atomically when
 * the directory is first created; a directory whose file says something else is refused rather than
 * mixed with another run's files.
 */
public final class RunDirectory {
  public static final String HPARAMS = "hparams.json";

  private final Path dir;
  private final String canonical;

  private RunDirectory(Path dir, String canonical) {
    this.dir = dir;
    this.canonical = canonical;
  }

  /**
   * Where a run of {@code method} with {@code hparams} lives under {@code runsDir}; nothing is
   * created yet.
   */
  public static RunDirectory locate(Path runsDir, String method, Object hparams) {
    Map<String, Object> identity = new LinkedHashMap<>();
    identity.put("method", method);
    identity.put("hparams", hparams);
    String canonical = CanonicalJson.write(identity);
    return new RunDirectory(
        runsDir.resolve(method + "_" + CanonicalJson.hash(identity)), canonical);
  }

  public Path path() {
    return dir;
  }

  /** The canonical JSON that names this run (what {@code hparams.json} holds). */
  public String canonicalHparams() {
    return canonical;
  }

  /**
   * Creates the directory and its {@code hparams.json}, or checks that an existing one belongs to
   * the same hyperparameters; returns the directory.
   */
  public Path prepare() {
    Path file = dir.resolve(HPARAMS);
    try {
      if (Files.exists(file)) {
        String existing = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (!existing.equals(canonical)) {
          throw new BadInputException(
              file
                  + " belongs to other hyperparameters than this command's (expected "
                  + canonical
                  + "); move the directory away or pick another --runs-dir");
        }
        return dir;
      }
      Files.createDirectories(dir);
      AtomicFile.writeString(file, canonical + "\n");
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare run directory " + dir, e);
    }
  }
}
