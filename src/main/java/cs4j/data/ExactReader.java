package cs4j.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.ZipException;

/**
 * Reads a binary stream in exact-size pieces, counting the offset, so that a short or corrupt file
 * raises a {@link CorruptDataException} naming the file and the offset instead of returning short
 * data. Integers are big-endian (IDX, tar sizes are text).
 */
final class ExactReader implements AutoCloseable {
  private static final int GZIP_MAGIC_0 = 0x1f;
  private static final int GZIP_MAGIC_1 = 0x8b;

  /**
   * Deflate's largest expansion: one 258-byte match per 2 bits of the compressed stream gives
   * 1032:1, so a gzip file of n bytes decompresses to at most 1032·n (headers only lower that).
   */
  private static final long DEFLATE_MAX_RATIO = 1032;

  private final InputStream in;
  private final String source;
  private final long fileSize;
  private final boolean compressed;
  private long offset;

  private ExactReader(InputStream in, String source, long fileSize, boolean compressed) {
    this.in = in;
    this.source = source;
    this.fileSize = fileSize;
    this.compressed = compressed;
  }

  /** Reads {@code in}, a file of {@code size} bytes, as it is. */
  static ExactReader plain(InputStream in, String source, long size) {
    return new ExactReader(new BufferedInputStream(in, 1 << 16), source, size, false);
  }

  /** Reads {@code in}, a file of {@code size} bytes, as gzip data. */
  static ExactReader gzip(InputStream in, String source, long size) throws IOException {
    try {
      return new ExactReader(new StrictGzipInputStream(in), source, size, true);
    } catch (ZipException | EOFException e) {
      throw new CorruptDataException(source, 0, "not a valid gzip stream: " + e.getMessage(), e);
    }
  }

  /**
   * Reads {@code in} (a file of {@code size} bytes) decompressed if it starts with the gzip magic
   * bytes 1f 8b, else as it is: the content decides, not the file name.
   */
  static ExactReader detectGzip(InputStream in, String source, long size) throws IOException {
    BufferedInputStream buffered = new BufferedInputStream(in, 1 << 16);
    buffered.mark(2);
    int b0 = buffered.read();
    int b1 = buffered.read();
    buffered.reset();
    if (b0 == GZIP_MAGIC_0 && b1 == GZIP_MAGIC_1) {
      return gzip(buffered, source, size);
    }
    return new ExactReader(buffered, source, size, false);
  }

  String source() {
    return source;
  }

  long offset() {
    return offset;
  }

  /** A 32-bit big-endian integer. */
  int readInt(String what) throws IOException {
    byte[] b = new byte[4];
    readFully(b, 0, 4, what);
    return ((b[0] & 0xFF) << 24) | ((b[1] & 0xFF) << 16) | ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
  }

  /** Fills {@code dst[off, off+len)} or fails naming {@code what} was being read. */
  void readFully(byte[] dst, int off, int len, String what) throws IOException {
    int done = 0;
    while (done < len) {
      int n = read(dst, off + done, len - done, what);
      if (n < 0) {
        throw new CorruptDataException(
            source,
            offset,
            "truncated: " + (len - done) + " more bytes of " + what + " expected, file ends");
      }
      done += n;
      offset += n;
    }
  }

  /**
   * Returns up to {@code len} bytes (fewer only at the end of the stream), -1 at the end; used
   * where a short block is legitimate (the end of a tar archive).
   */
  int readUpTo(byte[] dst, int off, int len, String what) throws IOException {
    int done = 0;
    while (done < len) {
      int n = read(dst, off + done, len - done, what);
      if (n < 0) {
        return done == 0 ? -1 : done;
      }
      done += n;
      offset += n;
    }
    return done;
  }

  /** Copies exactly {@code count} bytes to {@code out}. */
  void copyTo(OutputStream out, long count, String what) throws IOException {
    byte[] buffer = new byte[1 << 16];
    long left = count;
    while (left > 0) {
      int n = (int) Math.min(buffer.length, left);
      readFully(buffer, 0, n, what);
      out.write(buffer, 0, n);
      left -= n;
    }
  }

  /** Skips exactly {@code count} bytes. */
  void skip(long count, String what) throws IOException {
    copyTo(OutputStream.nullOutputStream(), count, what);
  }

  /**
   * Fails unless the rest of the stream can hold {@code bytes} more bytes of {@code what}: called
   * with a size taken from a header before allocating for it, so that a header claiming more than
   * the file can hold is refused instead of trusted (64-bit arithmetic; {@code bytes} saturates).
   */
  void requireAvailable(long bytes, String what) throws CorruptDataException {
    long bound =
        compressed
            ? (fileSize > Long.MAX_VALUE / DEFLATE_MAX_RATIO
                ? Long.MAX_VALUE
                : fileSize * DEFLATE_MAX_RATIO)
            : fileSize;
    long left = bound - offset;
    if (bytes > left) {
      String found =
          compressed
              ? "a gzip file of "
                  + fileSize
                  + " bytes decompresses to at most "
                  + bound
                  + " (deflate expands at most "
                  + DEFLATE_MAX_RATIO
                  + "x)"
              : "the file has " + Math.max(left, 0) + " bytes left";
      throw new CorruptDataException(source, offset, what + " need " + bytes + " bytes, " + found);
    }
  }

  /** Fails if anything follows: a file longer than its header says is as suspect as a short one. */
  void expectEnd(String what) throws IOException {
    if (read(new byte[1], 0, 1, "the end of " + what) >= 0) {
      throw new CorruptDataException(source, offset, "unexpected data after the end of " + what);
    }
  }

  private int read(byte[] dst, int off, int len, String what) throws IOException {
    try {
      return in.read(dst, off, len);
    } catch (EOFException | ZipException e) {
      throw new CorruptDataException(
          source,
          offset,
          "corrupt compressed data while reading " + what + ": " + e.getMessage(),
          e);
    }
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
