package cs4j.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * What a dataset's files hold, as one SHA-256: the hash of a manifest listing each file as {@code
 * sha256sum} prints it, {@code "<sha-256 hex> <path>\n"}, in order of the path relative to the data
 * directory ({@code /}-separated). It depends on the files' contents and names inside the folder,
 * not on where the folder is: {@code cd DIR && sha256sum FILE... | sha256sum}, files in sorted
 * order, prints the same.
 *
 * <p>Hashing a large dataset takes a while, so the hash of each file is kept in a cache whose text
 * {@link #of} reads and returns ({@value #CACHE_FILE} beside the data; the caller writes it): one
 * line per file, {@code <sha-256> <size> <mtime ns> <path>}. A file whose size and modification
 * time match its line is not read again; any other file is.
 */
public final class FileFingerprint {
  /** The cache file's name, in the data directory. */
  public static final String CACHE_FILE = ".cs4j-fingerprint";

  private static final String CACHE_HEADER = "cs4j-fingerprint 1";

  private FileFingerprint() {}

  /**
   * The fingerprint of {@code paths} under {@code root}, and the cache text for them.
   *
   * @param cache what the cache file held before, or null; a cache that cannot be parsed counts as
   *     empty
   * @param updatedCache the cache text for these files; {@code cacheChanged} when it differs from
   *     {@code cache}, that is when the caller should write it
   */
  public record Result(String fingerprint, String updatedCache, boolean cacheChanged) {}

  private record Stamp(String sha256, long size, long mtimeNanos) {}

  public static Result of(Path root, List<String> paths, String cache) throws IOException {
    Map<String, Stamp> known = parse(cache);
    SortedMap<String, String> hashes = new TreeMap<>();
    StringBuilder updated = new StringBuilder(CACHE_HEADER).append('\n');
    for (String path : paths.stream().sorted().distinct().toList()) {
      if (path.indexOf('\n') >= 0 || path.indexOf('\r') >= 0) {
        // A line break would forge a line of the manifest or of the cache.
        throw new IllegalArgumentException(root.resolve(path) + ": file name with a line break");
      }
      Path file = root.resolve(path);
      long size = Files.size(file);
      long mtime = Files.getLastModifiedTime(file).to(TimeUnit.NANOSECONDS);
      Stamp s = known.get(path);
      if (s == null || s.size() != size || s.mtimeNanos() != mtime) {
        try (InputStream in = Files.newInputStream(file)) {
          s = new Stamp(sha256(in), size, mtime);
        }
      }
      hashes.put(path, s.sha256());
      updated.append(s.sha256()).append(' ').append(size).append(' ').append(mtime);
      updated.append(' ').append(path).append('\n');
    }
    String text = updated.toString();
    return new Result(manifestHash(hashes), text, !text.equals(cache));
  }

  /** The SHA-256 of the manifest of files whose hashes are {@code sha256ByPath}. */
  public static String manifestHash(SortedMap<String, String> sha256ByPath) {
    MessageDigest md = digest();
    sha256ByPath.forEach(
        (path, sha) -> md.update((sha + "  " + path + "\n").getBytes(StandardCharsets.UTF_8)));
    return HexFormat.of().formatHex(md.digest());
  }

  /** The SHA-256 of what {@code in} holds, read to its end (not closed). */
  public static String sha256(InputStream in) throws IOException {
    MessageDigest md = digest();
    byte[] buf = new byte[1 << 16];
    for (int n; (n = in.read(buf)) > 0; ) {
      md.update(buf, 0, n);
    }
    return HexFormat.of().formatHex(md.digest());
  }

  private static Map<String, Stamp> parse(String cache) {
    Map<String, Stamp> known = new HashMap<>();
    if (cache == null || !cache.startsWith(CACHE_HEADER + "\n")) {
      return known;
    }
    for (String line : cache.substring(CACHE_HEADER.length() + 1).split("\n")) {
      String[] f = line.split(" ", 4);
      try {
        known.put(f[3], new Stamp(f[0], Long.parseLong(f[1]), Long.parseLong(f[2])));
      } catch (RuntimeException e) {
        return new HashMap<>(); // not a cache we wrote: hash every file again
      }
    }
    return known;
  }

  private static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
