package cs4j.data;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import java.util.zip.ZipException;

/**
 * Decompresses a gzip file (RFC 1952): one or more members, each a header, deflate data and a
 * trailer whose CRC-32 and length are checked. Anything after a member that is not another member
 * is an error.
 *
 * <p>NOTE: {@link java.util.zip.GZIPInputStream} silently ignores bytes after the last member that
 * do not form a valid header, so a dataset file with junk appended would read as if it were whole.
 *
 * <p>Errors are {@link ZipException}s (corrupt data) and {@link EOFException}s (truncated data)
 * naming the compressed byte offset; {@link ExactReader} adds the file name.
 */
final class StrictGzipInputStream extends InputStream {
  private static final int MAGIC_0 = 0x1f;
  private static final int MAGIC_1 = 0x8b;
  private static final int DEFLATE = 8;
  private static final int FHCRC = 2;
  private static final int FEXTRA = 4;
  private static final int FNAME = 8;
  private static final int FCOMMENT = 16;
  private static final int RESERVED_FLAGS = 0xE0;

  private final InputStream in;
  private final byte[] buf = new byte[1 << 16];
  private int pos; // buf[pos, len) is compressed input not yet consumed
  private int len;
  private long bufStart; // compressed offset of buf[0]
  private final Inflater inflater = new Inflater(true);
  private final CRC32 crc = new CRC32();
  private long memberBytes; // decompressed bytes of the current member
  private boolean eof;

  /** Reads the first member's header at once: a file that is not gzip fails here. */
  StrictGzipInputStream(InputStream in) throws IOException {
    this.in = in;
    if (!readHeader(readByte())) {
      throw new EOFException("empty file, expected a gzip header");
    }
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
  }

  @Override
  public int read(byte[] dst, int off, int n) throws IOException {
    if (n == 0) {
      return 0;
    }
    while (!eof) {
      if (inflater.finished()) {
        pos = len - inflater.getRemaining(); // the inflater read ahead: give those bytes back
        readTrailer();
        eof = !readHeader(readByte());
        continue;
      }
      if (inflater.needsInput()) {
        if (pos == len && !fill()) {
          throw new EOFException("gzip data ends inside a member, at compressed byte " + offset());
        }
        inflater.setInput(buf, pos, len - pos);
        pos = len;
      }
      int k;
      try {
        k = inflater.inflate(dst, off, n);
      } catch (DataFormatException e) {
        throw new ZipException("corrupt deflate data: " + e.getMessage());
      }
      if (k > 0) {
        crc.update(dst, off, k);
        memberBytes += k;
        return k;
      }
      if (inflater.needsDictionary()) {
        throw new ZipException("deflate data asks for a preset dictionary, which gzip never uses");
      }
    }
    return -1;
  }

  /**
   * Parses a member header whose first byte is {@code first}; false if the file ended instead
   * (first is -1). Any other byte there is not a member: the file has trailing data.
   */
  private boolean readHeader(int first) throws IOException {
    if (first < 0) {
      return false;
    }
    long start = offset() - 1;
    CRC32 headerCrc = new CRC32();
    headerCrc.update(first);
    if (first != MAGIC_0 || headerByte(headerCrc) != MAGIC_1) {
      throw new ZipException(
          (endOfInput() - start)
              + " bytes after the end of the gzip data (compressed byte "
              + start
              + " on), which are not another gzip member");
    }
    if (headerByte(headerCrc) != DEFLATE) {
      throw new ZipException("gzip member at compressed byte " + start + " is not deflate data");
    }
    int flags = headerByte(headerCrc);
    if ((flags & RESERVED_FLAGS) != 0) {
      throw new ZipException(
          String.format("gzip header flags 0x%02x use reserved bits (at byte %d)", flags, start));
    }
    for (int i = 0; i < 6; i++) { // MTIME, XFL, OS
      headerByte(headerCrc);
    }
    if ((flags & FEXTRA) != 0) {
      int extra = headerByte(headerCrc) | headerByte(headerCrc) << 8;
      for (int i = 0; i < extra; i++) {
        headerByte(headerCrc);
      }
    }
    for (int field : new int[] {FNAME, FCOMMENT}) {
      if ((flags & field) != 0) {
        while (headerByte(headerCrc) != 0) {
          // a zero-terminated string
        }
      }
    }
    if ((flags & FHCRC) != 0) {
      int expected = (int) (headerCrc.getValue() & 0xFFFF);
      int found = readByteOrFail() | readByteOrFail() << 8;
      if (found != expected) {
        throw new ZipException("gzip header CRC-16 mismatch at compressed byte " + start);
      }
    }
    inflater.reset();
    crc.reset();
    memberBytes = 0;
    return true;
  }

  private void readTrailer() throws IOException {
    long at = offset();
    long storedCrc = readLittleEndianInt();
    long storedSize = readLittleEndianInt();
    if (storedCrc != crc.getValue()) {
      throw new ZipException(
          String.format(
              "CRC-32 of the decompressed data is %08x, the gzip trailer at compressed byte %d"
                  + " says %08x",
              crc.getValue(), at, storedCrc));
    }
    if (storedSize != (memberBytes & 0xFFFFFFFFL)) {
      throw new ZipException(
          "gzip member holds "
              + memberBytes
              + " bytes, its trailer at compressed byte "
              + at
              + " says "
              + storedSize
              + " (mod 2^32)");
    }
  }

  private long readLittleEndianInt() throws IOException {
    long v = 0;
    for (int i = 0; i < 4; i++) {
      v |= (long) readByteOrFail() << (8 * i);
    }
    return v;
  }

  private int headerByte(CRC32 headerCrc) throws IOException {
    int b = readByteOrFail();
    headerCrc.update(b);
    return b;
  }

  private int readByteOrFail() throws IOException {
    int b = readByte();
    if (b < 0) {
      throw new EOFException("gzip header or trailer cut short at compressed byte " + offset());
    }
    return b;
  }

  private int readByte() throws IOException {
    if (pos == len && !fill()) {
      return -1;
    }
    return buf[pos++] & 0xFF;
  }

  /** Refills the empty buffer; false at the end of the input. */
  private boolean fill() throws IOException {
    bufStart += len;
    pos = 0;
    len = 0;
    int n;
    do {
      n = in.read(buf, 0, buf.length);
    } while (n == 0);
    if (n < 0) {
      return false;
    }
    len = n;
    return true;
  }

  /** Reads to the end of the input and returns its length, for the message about trailing data. */
  private long endOfInput() throws IOException {
    while (fill()) {
      // counted by fill
    }
    return bufStart;
  }

  private long offset() {
    return bufStart + pos;
  }

  @Override
  public void close() throws IOException {
    inflater.end();
    in.close();
  }
}
