package cs4j.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Decoded images kept on disk, so that a folder of image files is decoded once: a file holding one
 * {@link Dataset} and the key it was made for (the data's fingerprint and the decoding settings).
 * {@link #read} answers null for a file made for another key, or one that is not such a file, so
 * the caller decodes again; the caller writes the bytes of {@link #encode}.
 *
 * <pre>
 *   "cs4j-images 1\n"   format line
 *   key "\n"            UTF-8
 *   N, C, H, W, K       big-endian int32: images, channels, height, width, classes
 *   labels              N big-endian int32
 *   pixels              N·C·H·W unsigned bytes (N, C, H, W order)
 * </pre>
 */
public final class ImageCache {
  private static final String FORMAT = "cs4j-images 1\n";
  private static final int DIMENSIONS = 5;

  private ImageCache() {}

  /** The bytes of a cache file holding {@code d} for {@code key}. */
  public static byte[] encode(Dataset d, String key) {
    byte[] head = (FORMAT + key + "\n").getBytes(StandardCharsets.UTF_8);
    long total = head.length + 4L * DIMENSIONS + 4L * d.size() + d.pixels().length;
    if (total > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(d.name() + ": too large for one cache file");
    }
    ByteBuffer b = ByteBuffer.allocate((int) total);
    b.put(head).putInt(d.size()).putInt(d.channels()).putInt(d.height()).putInt(d.width());
    b.putInt(d.numClasses());
    for (int i = 0; i < d.size(); i++) {
      b.putInt(d.label(i));
    }
    return b.put(d.pixels()).array();
  }

  /**
   * The dataset in {@code file}, named {@code name}, if the file exists and was made for {@code
   * key}; else null.
   */
  public static Dataset read(Path file, String key, String name) throws IOException {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    byte[] head = (FORMAT + key + "\n").getBytes(StandardCharsets.UTF_8);
    long size = Files.size(file);
    try (InputStream raw = Files.newInputStream(file);
        DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 16))) {
      if (size < head.length + 4L * DIMENSIONS) {
        return null;
      }
      byte[] found = new byte[head.length];
      in.readFully(found);
      if (!Arrays.equals(found, head)) {
        return null;
      }
      int n = in.readInt();
      int c = in.readInt();
      int h = in.readInt();
      int w = in.readInt();
      int k = in.readInt();
      long pixels = (long) n * c * h * w;
      if (n < 0
          || c <= 0
          || h <= 0
          || w <= 0
          || pixels > Integer.MAX_VALUE - 8
          || size != head.length + 4L * DIMENSIONS + 4L * n + pixels) {
        return null;
      }
      int[] labels = new int[n];
      for (int i = 0; i < n; i++) {
        labels[i] = in.readInt();
      }
      byte[] p = new byte[(int) pixels];
      in.readFully(p);
      try {
        return new Dataset(name, p, labels, c, h, w, k);
      } catch (IllegalArgumentException e) {
        return null; // labels outside [0, K): not a file this class wrote
      }
    }
  }
}
