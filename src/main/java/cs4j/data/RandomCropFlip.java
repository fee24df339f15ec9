package cs4j.data;

import cs4j.tensor.Rng;
import java.util.Arrays;

/**
 * The standard CIFAR augmentation: pad the image with {@code padding} zero pixels on every side,
 * take a random H×W crop (top-left corner uniform in [0, 2·padding]²), then mirror it left–right
 * with probability ½ (torchvision's {@code RandomCrop(H, padding)} then {@code
 * RandomHorizontalFlip()}).
 *
 * <p>With crop corner (top, left) and flip f: {@code out[c][y][x] = in[c][y + top − padding][x' +
 * left − padding]} where {@code x' = f ? W−1−x : x}, and 0 where that source pixel lies in the
 * padding. Draws per image: nextInt for top, nextInt for left, nextFloat for the flip.
 */
public final class RandomCropFlip implements Augmentation {
  private final int padding;
  private final boolean flip;

  public RandomCropFlip(int padding, boolean flip) {
    if (padding < 0) {
      throw new IllegalArgumentException("RandomCropFlip: padding must be >= 0, got " + padding);
    }
    this.padding = padding;
    this.flip = flip;
  }

  /** CIFAR-10 in the reference protocol: 4-pixel padding, random horizontal flip. */
  public static RandomCropFlip cifar() {
    return new RandomCropFlip(4, true);
  }

  @Override
  public void apply(
      byte[] src,
      int srcOff,
      byte[] dst,
      int dstOff,
      int channels,
      int height,
      int width,
      Rng rng) {
    int top = rng.nextInt(2 * padding + 1);
    int left = rng.nextInt(2 * padding + 1);
    boolean mirror = flip && rng.nextFloat() < 0.5f;
    crop(src, srcOff, dst, dstOff, channels, height, width, top, left, mirror);
  }

  /** The deterministic core: the crop at corner (top, left) of the padded image, then the flip. */
  void crop(
      byte[] src,
      int srcOff,
      byte[] dst,
      int dstOff,
      int channels,
      int height,
      int width,
      int top,
      int left,
      boolean mirror) {
    for (int c = 0; c < channels; c++) {
      int plane = c * height * width;
      for (int y = 0; y < height; y++) {
        int sy = y + top - padding;
        int outRow = dstOff + plane + y * width;
        if (sy < 0 || sy >= height) {
          Arrays.fill(dst, outRow, outRow + width, (byte) 0);
          continue;
        }
        int inRow = srcOff + plane + sy * width;
        for (int x = 0; x < width; x++) {
          int sx = (mirror ? width - 1 - x : x) + left - padding;
          dst[outRow + x] = (sx < 0 || sx >= width) ? 0 : src[inRow + sx];
        }
      }
    }
  }
}
