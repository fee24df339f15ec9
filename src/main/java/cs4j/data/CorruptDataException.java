package cs4j.data;

import java.io.IOException;

/**
 * A dataset file or archive that is truncated or does not hold what its format promises. The
 * message names the file and the byte offset where reading went wrong; for compressed files the
 * offset counts bytes of the decompressed stream.
 */
public final class CorruptDataException extends IOException {
  private final String source;
  private final long offset;

  public CorruptDataException(String source, long offset, String problem) {
    this(source, offset, problem, null);
  }

  public CorruptDataException(String source, long offset, String problem, Throwable cause) {
    super(source + ": " + problem + " (at byte offset " + offset + ")", cause);
    this.source = source;
    this.offset = offset;
  }

  /** The file (or archive entry) being read, as named in the message. */
  public String source() {
    return source;
  }

  /** Byte offset in the (decompressed) stream where the problem was found. */
  public long offset() {
    return offset;
  }
}
