package cs4j.data;

import java.util.function.IntUnaryOperator;

/** Synthetic datasets whose images say which original index they are. */
final class Datasets {
  private Datasets() {}

  /** N images of 1×1×2 pixels holding i as (i / 256, i % 256); label of image i given. */
  static Dataset indexed(int n, int classes, IntUnaryOperator label) {
    byte[] pixels = new byte[2 * n];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      pixels[2 * i] = (byte) (i / 256);
      pixels[2 * i + 1] = (byte) (i % 256);
      labels[i] = label.applyAsInt(i);
    }
    return new Dataset("indexed", pixels, labels, 1, 1, 2, classes);
  }

  /** The original indices of the images of an {@link #indexed} dataset or of a subset of it. */
  static int[] indicesOf(Dataset d) {
    int[] idx = new int[d.size()];
    for (int j = 0; j < idx.length; j++) {
      byte[] image = d.image(j);
      idx[j] = (image[0] & 0xFF) * 256 + (image[1] & 0xFF);
    }
    return idx;
  }
}
