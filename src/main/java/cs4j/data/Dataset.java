package cs4j.data;

import java.util.Arrays;

/**
 * Images as unsigned bytes and their class labels, held in memory: image {@code i} occupies {@code
 * pixels[i·C·H·W, (i+1)·C·H·W)} in C, H, W order (N, C, H, W overall), its label is in [0, K).
 *
 * <p>Bytes, not floats: a quarter of the memory (CIFAR-10's training set is 150 MB), and
 * augmentation (zero padding, crops, flips) works on the raw pixels exactly as torchvision does
 * before {@code ToTensor}/{@code Normalize}. Conversion to normalised floats happens per batch in
 * {@link BatchLoader}.
 */
public final class Dataset {
  /** The most pixel bytes a dataset holds: one Java array, whose length the JVM caps below 2^31. */
  public static final long MAX_PIXEL_BYTES = Integer.MAX_VALUE - 8;

  private final String name;
  private final byte[] pixels; // N, C, H, W
  private final int[] labels; // N
  private final int channels;
  private final int height;
  private final int width;
  private final int numClasses;

  /** Takes ownership of the arrays (no copy). */
  public Dataset(
      String name,
      byte[] pixels,
      int[] labels,
      int channels,
      int height,
      int width,
      int numClasses) {
    if (channels <= 0 || height <= 0 || width <= 0 || numClasses <= 0) {
      throw new IllegalArgumentException(
          String.format(
              "Dataset %s: channels, height, width, classes must be positive, got %d, %d, %d, %d",
              name, channels, height, width, numClasses));
    }
    long expected = (long) labels.length * channels * height * width;
    if (pixels.length != expected) {
      throw new IllegalArgumentException(
          String.format(
              "Dataset %s: %d labels of %dx%dx%d images need %d pixel bytes, got %d",
              name, labels.length, channels, height, width, expected, pixels.length));
    }
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= numClasses) {
        throw new IllegalArgumentException(
            String.format(
                "Dataset %s: label[%d] = %d outside [0, %d)", name, i, labels[i], numClasses));
      }
    }
    this.name = name;
    this.pixels = pixels;
    this.labels = labels;
    this.channels = channels;
    this.height = height;
    this.width = width;
    this.numClasses = numClasses;
  }

  public String name() {
    return name;
  }

  public int size() {
    return labels.length;
  }

  public int channels() {
    return channels;
  }

  public int height() {
    return height;
  }

  public int width() {
    return width;
  }

  public int numClasses() {
    return numClasses;
  }

  /** C·H·W: bytes per image. */
  public int imageSize() {
    return channels * height * width;
  }

  public int label(int i) {
    return labels[i];
  }

  /** A copy of the labels [N]. */
  public int[] labels() {
    return labels.clone();
  }

  /** A copy of image {@code i} [C, H, W], pixel values 0..255 as unsigned bytes. */
  public byte[] image(int i) {
    int size = imageSize();
    return Arrays.copyOfRange(pixels, i * size, (i + 1) * size);
  }

  /** NOTE: the backing array itself, for the loader's inner loop; never written. */
  byte[] pixels() {
    return pixels;
  }

  /** How many images each class has: [K]. */
  public int[] classCounts() {
    int[] counts = new int[numClasses];
    for (int label : labels) {
      counts[label]++;
    }
    return counts;
  }

  /** Images {@code indices[0], indices[1], …} in that order, copied into a new dataset. */
  public Dataset subset(String subsetName, int[] indices) {
    int size = imageSize();
    byte[] p = new byte[Math.multiplyExact(indices.length, size)];
    int[] l = new int[indices.length];
    for (int j = 0; j < indices.length; j++) {
      int i = indices[j];
      if (i < 0 || i >= labels.length) {
        throw new IndexOutOfBoundsException(
            String.format(
                "Dataset %s: subset index[%d] = %d outside [0, %d)", name, j, i, labels.length));
      }
      System.arraycopy(pixels, i * size, p, j * size, size);
      l[j] = labels[i];
    }
    return new Dataset(subsetName, p, l, channels, height, width, numClasses);
  }

  /** {@link #subset(String, int[])} named after this dataset. */
  public Dataset subset(int[] indices) {
    return subset(name + " subset", indices);
  }

  @Override
  public String toString() {
    return String.format(
        "Dataset %s: %d images %dx%dx%d, %d classes",
        name, size(), channels, height, width, numClasses);
  }
}
