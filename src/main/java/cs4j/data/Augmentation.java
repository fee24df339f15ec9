package cs4j.data;

import cs4j.tensor.Rng;

/**
 * A random transformation of one image [C, H, W] of unsigned bytes into another of the same shape.
 * Implementations draw only from the generator they are given, so the loader decides (by seeding)
 * which batch sees which transformation.
 */
@FunctionalInterface
public interface Augmentation {
  /** No change: the image is copied as it is. */
  Augmentation NONE =
      (src, srcOff, dst, dstOff, channels, height, width, rng) ->
          System.arraycopy(src, srcOff, dst, dstOff, channels * height * width);

  /**
   * Writes the transformed {@code src[srcOff, srcOff + C·H·W)} to {@code dst[dstOff, …)}; {@code
   * src} and {@code dst} are different arrays.
   */
  void apply(
      byte[] src, int srcOff, byte[] dst, int dstOff, int channels, int height, int width, Rng rng);
}
