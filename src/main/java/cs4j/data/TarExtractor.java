package cs4j.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Extracts a gzip-compressed tar archive (POSIX ustar, as GNU tar writes it) into a directory:
 * regular files and directories only; links, pax and GNU extension records are skipped.
 *
 * <p>Format: a sequence of 512-byte blocks. Each entry is one header block (name 0–99, size as
 * octal text 124–135, header checksum 148–155, type flag 156, "ustar" magic 257, name prefix
 * 345–499) followed by its data padded to a whole block; the archive ends with zero blocks. The
 * checksum is the sum of the header's unsigned bytes with the checksum field read as spaces.
 *
 * <p>NOTE: entry names are checked to stay inside the target directory (no absolute paths, no
 * "..").
 */
final class TarExtractor {
  private static final int BLOCK = 512;

  private TarExtractor() {}

  /** Extracts {@code archive} (tar.gz) into {@code dest}; {@code source} names it in errors. */
  static void extractTarGz(Path archive, String source, Path dest) throws IOException {
    try (InputStream in = Files.newInputStream(archive);
        ExactReader r = ExactReader.gzip(in, source + " (tar stream)", Files.size(archive))) {
      extract(r, dest);
    }
  }

  private static void extract(ExactReader r, Path dest) throws IOException {
    Path root = dest.toAbsolutePath().normalize();
    byte[] header = new byte[BLOCK];
    while (true) {
      long at = r.offset();
      int n = r.readUpTo(header, 0, BLOCK, "a tar header");
      if (n < 0 && at > 0) {
        return; // end of stream without the terminating zero blocks: tolerated, as GNU tar does
      }
      if (n < BLOCK) {
        throw new CorruptDataException(
            r.source(), at, "truncated tar header: " + Math.max(n, 0) + " of 512 bytes");
      }
      if (isZero(header)) {
        return;
      }
      checkChecksum(header, r.source(), at);
      String name = entryName(header);
      long size = octal(header, 124, 12, "size", r.source(), at);
      char type = (char) header[156];
      long padded = (size + BLOCK - 1) / BLOCK * BLOCK;
      if (type == '0' || type == '\0') {
        Path target = safeTarget(root, name, r.source(), at);
        Files.createDirectories(target.getParent());
        try (OutputStream out = Files.newOutputStream(target)) {
          r.copyTo(out, size, "tar entry " + name + " (" + size + " bytes)");
        }
        r.skip(padded - size, "padding of tar entry " + name);
      } else {
        if (type == '5') {
          Files.createDirectories(safeTarget(root, name, r.source(), at));
        }
        r.skip(padded, "tar entry " + name);
      }
    }
  }

  private static String entryName(byte[] header) {
    String name = text(header, 0, 100);
    boolean ustar = text(header, 257, 6).equals("ustar"); // POSIX "ustar\0", not GNU "ustar "
    String prefix = ustar ? text(header, 345, 155) : "";
    return prefix.isEmpty() ? name : prefix + "/" + name;
  }

  private static Path safeTarget(Path root, String name, String source, long at)
      throws CorruptDataException {
    Path target = root.resolve(name).normalize();
    if (name.isEmpty() || name.startsWith("/") || !target.startsWith(root) || target.equals(root)) {
      throw new CorruptDataException(
          source, at, "tar entry name '" + name + "' would land outside the target directory");
    }
    return target;
  }

  private static void checkChecksum(byte[] header, String source, long at)
      throws CorruptDataException {
    long stored = octal(header, 148, 8, "checksum", source, at);
    long sum = 0;
    for (int i = 0; i < BLOCK; i++) {
      sum += (i >= 148 && i < 156) ? ' ' : (header[i] & 0xFF);
    }
    if (sum != stored) {
      throw new CorruptDataException(
          source, at, "tar header checksum " + sum + " does not match the stored " + stored);
    }
  }

  /** An octal number in text, padded with spaces or NULs. */
  private static long octal(byte[] header, int from, int len, String field, String source, long at)
      throws CorruptDataException {
    String s = text(header, from, len).trim();
    if (s.isEmpty() || !s.chars().allMatch(c -> c >= '0' && c <= '7')) {
      throw new CorruptDataException(
          source, at + from, "tar header field " + field + " is not an octal number: '" + s + "'");
    }
    return Long.parseLong(s, 8);
  }

  /** Bytes up to the first NUL, as ASCII/UTF-8. */
  private static String text(byte[] header, int from, int len) {
    int end = from;
    while (end < from + len && header[end] != 0) {
      end++;
    }
    return new String(header, from, end - from, StandardCharsets.UTF_8);
  }

  private static boolean isZero(byte[] block) {
    for (byte b : block) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }
}
