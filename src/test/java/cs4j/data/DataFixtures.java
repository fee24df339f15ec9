package cs4j.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/** Builds small dataset files in their real formats (IDX, CIFAR-10 records, tar.gz) for tests. */
final class DataFixtures {
  private DataFixtures() {}

  /** IDX images [count, rows, cols]: magic 0x803, three big-endian sizes, the pixels. */
  static byte[] idxImages(int count, int rows, int cols, byte[] pixels) {
    ByteBuffer b = ByteBuffer.allocate(16 + pixels.length);
    b.putInt(IdxReader.IMAGES_MAGIC).putInt(count).putInt(rows).putInt(cols).put(pixels);
    return b.array();
  }

  /** IDX labels [count]: magic 0x801, one big-endian size, the labels. */
  static byte[] idxLabels(int[] labels) {
    ByteBuffer b = ByteBuffer.allocate(8 + labels.length);
    b.putInt(IdxReader.LABELS_MAGIC).putInt(labels.length);
    for (int l : labels) {
      b.put((byte) l);
    }
    return b.array();
  }

  /** Pixels whose value encodes position: pixel k of image i is (7·i + k) mod 256. */
  static byte[] patternPixels(int count, int imageSize) {
    byte[] p = new byte[count * imageSize];
    for (int i = 0; i < count; i++) {
      for (int k = 0; k < imageSize; k++) {
        p[i * imageSize + k] = (byte) (7 * i + k);
      }
    }
    return p;
  }

  static byte[] gzip(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** CIFAR-10 records: label byte then the image's 3072 bytes (R, G, B planes of 32×32). */
  static byte[] cifarRecords(int[] labels, byte[] images) {
    byte[] out = new byte[labels.length * Cifar10.RECORD_BYTES];
    for (int i = 0; i < labels.length; i++) {
      out[i * Cifar10.RECORD_BYTES] = (byte) labels[i];
      System.arraycopy(
          images, i * Cifar10.IMAGE_BYTES, out, i * Cifar10.RECORD_BYTES + 1, Cifar10.IMAGE_BYTES);
    }
    return out;
  }

  /** A gzip-compressed POSIX ustar archive of regular files, in the map's iteration order. */
  static byte[] tarGz(Map<String, byte[]> files) {
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    for (Map.Entry<String, byte[]> e : files.entrySet()) {
      byte[] data = e.getValue();
      tar.writeBytes(ustarHeader(e.getKey(), data.length));
      tar.writeBytes(data);
      tar.writeBytes(new byte[(512 - data.length % 512) % 512]);
    }
    tar.writeBytes(new byte[1024]); // two zero blocks end the archive
    return gzip(tar.toByteArray());
  }

  static byte[] ustarHeader(String name, long size) {
    byte[] h = new byte[512];
    put(h, 0, name);
    put(h, 100, "0000644");
    put(h, 108, "0000000");
    put(h, 116, "0000000");
    put(h, 124, String.format("%011o", size));
    put(h, 136, "00000000000");
    h[156] = '0';
    put(h, 257, "ustar");
    put(h, 263, "00");
    for (int i = 148; i < 156; i++) {
      h[i] = ' ';
    }
    long sum = 0;
    for (byte b : h) {
      sum += b & 0xFF;
    }
    put(h, 148, String.format("%06o", sum));
    h[154] = 0;
    h[155] = ' ';
    return h;
  }

  private static void put(byte[] h, int at, String s) {
    byte[] b = s.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(b, 0, h, at, b.length);
  }
}
