package cs4j.data;

import java.util.Arrays;

/**
 * Per-channel normalisation of 8-bit pixels: {@code x = (p/255 − mean[c]) / std[c]}, as
 * torchvision's {@code ToTensor} followed by {@code Normalize(mean, std)}.
 *
 * @param mean per channel [C], in units of p/255
 * @param std per channel [C], in units of p/255, all positive
 */
public record Normalization(float[] mean, float[] std) {
  /** CIFAR-10 training-set statistics used by the CS reference code. */
  public static final Normalization CIFAR10 =
      new Normalization(
          new float[] {125.3f / 255f, 123.0f / 255f, 113.9f / 255f},
          new float[] {63.0f / 255f, 62.1f / 255f, 66.7f / 255f});

  /** Fashion-MNIST training-set statistics, the values in common use (mean 0.2860, std 0.3530). */
  public static final Normalization FASHION_MNIST =
      new Normalization(new float[] {0.2860f}, new float[] {0.3530f});

  public Normalization {
    if (mean.length != std.length || mean.length == 0) {
      throw new IllegalArgumentException(
          "Normalization: mean has "
              + mean.length
              + " channels, std has "
              + std.length
              + "; need the same positive number");
    }
    for (int c = 0; c < std.length; c++) {
      if (!(std[c] > 0)) {
        throw new IllegalArgumentException("Normalization: std[" + c + "] = " + std[c]);
      }
    }
    mean = mean.clone();
    std = std.clone();
  }

  @Override
  public float[] mean() {
    return mean.clone();
  }

  @Override
  public float[] std() {
    return std.clone();
  }

  public int channels() {
    return mean.length;
  }

  /**
   * The statistics of {@code data} itself, per channel over all images and pixels (population std).
   */
  public static Normalization of(Dataset data) {
    int channels = data.channels();
    int plane = data.height() * data.width();
    long[] sum = new long[channels];
    long[] sumSq = new long[channels];
    byte[] p = data.pixels();
    for (int i = 0; i < data.size(); i++) {
      for (int c = 0; c < channels; c++) {
        int base = (i * channels + c) * plane;
        for (int k = 0; k < plane; k++) {
          int v = p[base + k] & 0xFF;
          sum[c] += v;
          sumSq[c] += v * v;
        }
      }
    }
    float[] mean = new float[channels];
    float[] std = new float[channels];
    double count = (double) data.size() * plane;
    for (int c = 0; c < channels; c++) {
      double m = sum[c] / count;
      double var = sumSq[c] / count - m * m;
      if (!(var > 0)) {
        throw new IllegalArgumentException(
            "Normalization.of("
                + data.name()
                + "): channel "
                + c
                + (data.size() == 0 ? " has no pixels" : " has one value in every pixel")
                + ", so it has no standard deviation to divide by");
      }
      mean[c] = (float) (m / 255.0);
      std[c] = (float) (Math.sqrt(var) / 255.0);
    }
    return new Normalization(mean, std);
  }

  /**
   * The normalised value of every byte value per channel: [C][256]. A table lookup per pixel is
   * both faster than the arithmetic and bit-identical wherever it is applied.
   */
  float[][] lookupTable() {
    float[][] table = new float[mean.length][256];
    for (int c = 0; c < mean.length; c++) {
      for (int v = 0; v < 256; v++) {
        table[c][v] = (v / 255f - mean[c]) / std[c];
      }
    }
    return table;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Normalization n && Arrays.equals(mean, n.mean) && Arrays.equals(std, n.std);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
  }

  @Override
  public String toString() {
    return "Normalization[mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + "]";
  }
}
