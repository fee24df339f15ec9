package cs4j.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads a binary stream in exact-size pieces, counting the offset, so that a short or corrupt file
 * raises a {@link CorruptDataException} naming the file and the offset instead of returning short
 * data. Integers are big-endian (IDX, tar sizes are text).
 */
final class ExactReader implements AutoCloseable {
  private static final int GZIP_MAGIC_0 = 0x1f;
  private static final int GZIP_MAGIC_1 = 0x8b;

  private final InputStream in;
  private final String source;
  private long offset;

  private ExactReader(InputStream in, String source) {
    this.in = in;
    this.source = source;
  }

  /** Reads {@code in} as it is. */
  static ExactReader plain(InputStream in, String source) {
    return new ExactReader(new BufferedInputStream(in, 1 << 16), source);
  }

  /** Reads {@code in} as gzip data. */
  static ExactReader gzip(InputStream in, String source) throws IOException {
    try {
      return new ExactReader(
          new GZIPInputStream(new BufferedInputStream(in, 1 << 16), 1 << 16), source);
    } catch (ZipException | EOFException e) {
      throw new CorruptDataException(source, 0, "not a valid gzip stream: " + e.getMessage(), e);
    }
  }

  /**
   * Reads {@code in} decompressed if it starts with the gzip magic bytes 1f 8b, else as it is: the
   * content decides, not the file name.
   */
  static ExactReader detectGzip(InputStream in, String source) throws IOException {
    BufferedInputStream buffered = new BufferedInputStream(in, 1 << 16);
    buffered.mark(2);
    int b0 = buffered.read();
    int b1 = buffered.read();
    buffered.reset();
    if (b0 == GZIP_MAGIC_0 && b1 == GZIP_MAGIC_1) {
      return gzip(buffered, source);
    }
    return new ExactReader(buffered, source);
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
          "truncated or corrupt compressed data while reading "
              + what
              + " ("
              + e.getMessage()
              + ")",
          e);
    }
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
