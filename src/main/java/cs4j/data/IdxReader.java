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
      return readImages(in, file.toString());
    }
  }

  /** Labels [N], each checked to lie in [0, numClasses). */
  public static int[] readLabels(Path file, int numClasses) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return readLabels(in, file.toString(), numClasses);
    }
  }

  /** Reads from {@code in} (not closed); {@code source} names it in error messages. */
  static Images readImages(InputStream in, String source) throws IOException {
    ExactReader r = ExactReader.detectGzip(in, source);
    expectMagic(r, IMAGES_MAGIC, "images");
    int count = readDim(r, "image count", 0);
    int rows = readDim(r, "rows", 1);
    int cols = readDim(r, "columns", 1);
    long bytes = (long) count * rows * cols;
    if (bytes > Integer.MAX_VALUE - 8) {
      throw new CorruptDataException(
          source, r.offset(), count + " images of " + rows + "x" + cols + " are too many to hold");
    }
    byte[] pixels = new byte[(int) bytes];
    r.readFully(pixels, 0, pixels.length, count + " images of " + rows + "x" + cols);
    r.expectEnd(count + " images");
    return new Images(count, rows, cols, pixels);
  }

  /** Reads from {@code in} (not closed); {@code source} names it in error messages. */
  static int[] readLabels(InputStream in, String source, int numClasses) throws IOException {
    ExactReader r = ExactReader.detectGzip(in, source);
    expectMagic(r, LABELS_MAGIC, "labels");
    int count = readDim(r, "label count", 0);
    long start = r.offset();
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

  private static int readDim(ExactReader r, String what, int min) throws IOException {
    long at = r.offset();
    int d = r.readInt(what);
    if (d < min) {
      throw new CorruptDataException(r.source(), at, what + " is " + d + ", must be >= " + min);
    }
    return d;
  }
}
