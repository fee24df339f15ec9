package cs4j.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reader for the IDX format of MNIST and Fashion-MNIST, plain or gzip-compressed (recognised by the
 * magic bytes 1f 8b, not by the file name).
 *
 * <p>Layout: a big-endian magic {@code 0x0000TTDD} (TT = element type, 0x08 for unsigned bytes; DD
 * = number of dimensions), DD big-endian 32-bit sizes, then the elements in row-major order. Images
 * are {@code 0x00000803} [N, rows, cols], labels {@code 0x00000801} [N].
 */
public final class IdxReader {
  public static final int IMAGES_MAGIC = 0x00000803;
  public static final int LABELS_MAGIC = 0x00000801;

  private IdxReader() {}

  /** Grey-scale images [count, rows, cols] as unsigned bytes. */
  public record Images(int count, int rows, int cols, byte[] pixels) {}

  public static Images readImages(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return readImages(in, file.toString(), Files.size(file));
    }
  }

  /** Labels [N], each checked to lie in [0, numClasses). */
  public static int[] readLabels(Path file, int numClasses) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return readLabels(in, file.toString(), Files.size(file), numClasses);
    }
  }

  /**
   * Reads from {@code in} (not closed), a file of {@code size} bytes; {@code source} names it in
   * error messages. The header's sizes are checked against {@code size} before anything is
   * allocated for them.
   */
  static Images readImages(InputStream in, String source, long size) throws IOException {
    ExactReader r = ExactReader.detectGzip(in, source, size);
    expectMagic(r, IMAGES_MAGIC, "images");
    int count = readDim(r, "image count");
    int rows = readDim(r, "rows");
    int cols = readDim(r, "columns");
    String what = count + " images of " + rows + "x" + cols;
    long bytes = saturatedProduct(count, (long) rows * cols);
    r.requireAvailable(bytes, what);
    if (bytes > Dataset.MAX_PIXEL_BYTES) {
      throw new CorruptDataException(
          source,
          r.offset(),
          what + " are more than one array holds (" + Dataset.MAX_PIXEL_BYTES + ")");
    }
    byte[] pixels = new byte[(int) bytes];
    r.readFully(pixels, 0, pixels.length, what);
    r.expectEnd(what);
    return new Images(count, rows, cols, pixels);
  }

  /** Reads from {@code in} (not closed), a file of {@code size} bytes; see {@link #readImages}. */
  static int[] readLabels(InputStream in, String source, long size, int numClasses)
      throws IOException {
    ExactReader r = ExactReader.detectGzip(in, source, size);
    expectMagic(r, LABELS_MAGIC, "labels");
    int count = readDim(r, "label count");
    long start = r.offset();
    r.requireAvailable(count, count + " labels");
    byte[] raw = new byte[count];
    r.readFully(raw, 0, count, count + " labels");
    r.expectEnd(count + " labels");
    int[] labels = new int[count];
    for (int i = 0; i < count; i++) {
      labels[i] = raw[i] & 0xFF;
      if (labels[i] >= numClasses) {
        throw new CorruptDataException(
            source, start + i, "label " + labels[i] + " outside [0, " + numClasses + ")");
      }
    }
    return labels;
  }

  /** {@code a·b} for non-negative factors, or Long.MAX_VALUE where it would overflow. */
  private static long saturatedProduct(long a, long b) {
    return b != 0 && a > Long.MAX_VALUE / b ? Long.MAX_VALUE : a * b;
  }

  private static void expectMagic(ExactReader r, int magic, String what) throws IOException {
    int found = r.readInt("the magic number");
    if (found != magic) {
      throw new CorruptDataException(
          r.source(),
          0,
          String.format(
              "magic number 0x%08x, expected 0x%08x (IDX %s: unsigned bytes, %d dimensions)",
              found, magic, what, magic & 0xFF));
    }
  }

  /** A size of the header: at least 1 (an empty dataset file is refused, not read as empty). */
  private static int readDim(ExactReader r, String what) throws IOException {
    long at = r.offset();
    int d = r.readInt(what);
    if (d < 1) {
      throw new CorruptDataException(r.source(), at, what + " is " + d + ", must be >= 1");
    }
    return d;
  }
}
