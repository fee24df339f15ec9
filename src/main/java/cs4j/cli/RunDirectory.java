package cs4j.cli;

import cs4j.io.AtomicFile;
import cs4j.io.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One experiment's directory: {@code <runs>/<method>_<hash>/}, where the hash is {@link
 * CanonicalJson#hash} of the method name and its hyperparameters, which include what the data is
 * (its fingerprint, not its place). The same command therefore finds the same directory again, and
 * what it finished there (per-round results, masks, checkpoints) is skipped or resumed by the code
 * that wrote it.
 *
 * <p>{@code hparams.json} holds the canonical JSON the hash was taken of, plus a {@code runtime}
 * object that is not hashed: where the run last ran ({@code device}, CPU {@code threads}), so the
 * same run resumes on another device or thread count in the same directory, and what it found in
 * its data ({@code data}: classes, image shape, normalisation). The file is written atomically when
 * the directory is prepared; a directory whose file names other hyperparameters is refused rather
 * than mixed with another run's files.
 */
public final class RunDirectory {
  public static final String HPARAMS = "hparams.json";

  /** The unhashed part of {@code hparams.json}: where the run ran. */
  static final String RUNTIME = "runtime";

  private final Path dir;
  private final Map<String, Object> identity;
  private final String canonical;

  private RunDirectory(Path dir, Map<String, Object> identity) {
    this.dir = dir;
    this.identity = identity;
    this.canonical = CanonicalJson.write(identity);
  }

  /**
   * Where a run of {@code method} with {@code hparams} lives under {@code runsDir}; nothing is
   * created yet.
   */
  public static RunDirectory locate(Path runsDir, String method, Object hparams) {
    Map<String, Object> identity = new LinkedHashMap<>();
    identity.put("method", method);
    identity.put("hparams", hparams);
    return new RunDirectory(runsDir.resolve(method + "_" + CanonicalJson.hash(identity)), identity);
  }

  public Path path() {
    return dir;
  }

  /** The canonical JSON that names this run (the hashed part of {@code hparams.json}). */
  public String canonicalHparams() {
    return canonical;
  }

  /**
   * Creates the directory, or checks that an existing one belongs to the same hyperparameters, and
   * (re)writes its {@code hparams.json} with {@code runtime} (device, threads, data: recorded, not
   * hashed); returns the directory.
   */
  public Path prepare(Map<String, Object> runtime) {
    Path file = dir.resolve(HPARAMS);
    try {
      if (Files.exists(file)) {
        String existing = identityOf(Files.readString(file, StandardCharsets.UTF_8), file);
        if (!existing.equals(canonical)) {
          throw new BadInputException(
              file
                  + " belongs to other hyperparameters than this command's (expected "
                  + canonical
                  + "); move the directory away or pick another --runs-dir");
        }
      }
      Files.createDirectories(dir);
      Map<String, Object> content = new LinkedHashMap<>(identity);
      content.put(RUNTIME, runtime);
      AtomicFile.writeString(file, CanonicalJson.write(content) + "\n");
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare run directory " + dir, e);
    }
  }

  /** The canonical text of an {@code hparams.json} without its {@code runtime} part. */
  private static String identityOf(String text, Path file) {
    Object parsed;
    try {
      parsed = Json.parse(text);
    } catch (RuntimeException e) {
      throw new BadInputException(file + " is not valid JSON: " + e.getMessage(), e);
    }
    if (!(parsed instanceof Map<?, ?> m)) {
      throw new BadInputException(file + ": expected a JSON object");
    }
    Map<Object, Object> id = new LinkedHashMap<>(m);
    id.remove(RUNTIME);
    return CanonicalJson.write(id);
  }
}
