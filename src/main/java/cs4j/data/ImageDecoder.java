package cs4j.data;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;

/**
 * Decodes one image file (any format {@link ImageIO} reads: PNG, JPEG, BMP, GIF) into a square [C,
 * side, side] array of unsigned bytes: the centred square of the shorter side is cut out and
 * resampled to side × side by area averaging (each output pixel is the mean of the source area it
 * covers, weighted by overlap), which neither aliases when shrinking nor blurs when the sizes
 * match.
 *
 * <p>Grey-scale sources are read from their raster as stored. NOTE: {@link BufferedImage#getRGB}
 * would pass them through a colour conversion that changes their values. Colour sources are read as
 * sRGB. One channel from colour is the ITU-R 601 luma in PIL's fixed point, {@code (19595·R +
 * 38470·G + 7471·B + 2^15) >> 16}; three channels from grey repeat the grey value. Alpha is
 * ignored.
 *
 * @param side the output's height and width
 * @param channels 1 (grey) or 3 (R, G, B)
 */
public record ImageDecoder(int side, int channels) {
  /** Side lengths above this are refused: one image would need more than 200 MB as floats. */
  public static final int MAX_SIDE = 4096;

  public ImageDecoder {
    if (side < 1 || side > MAX_SIDE) {
      throw new IllegalArgumentException(
          "image side must be in [1, " + MAX_SIDE + "], got " + side);
    }
    if (channels != 1 && channels != 3) {
      throw new IllegalArgumentException("image channels must be 1 or 3, got " + channels);
    }
  }

  /** The image in {@code file} as [C, side, side] bytes. */
  public byte[] decode(Path file) throws IOException {
    BufferedImage img;
    try {
      img = ImageIO.read(file.toFile());
    } catch (IOException | RuntimeException e) {
      throw new CorruptDataException(
          file.toString(), 0, "not a readable image (" + e.getMessage() + ")", e);
    }
    if (img == null) {
      throw new CorruptDataException(
          file.toString(), 0, "not an image that ImageIO can read (PNG, JPEG, BMP, GIF)");
    }
    int crop = Math.min(img.getWidth(), img.getHeight());
    int[][] planes = planes(img, (img.getWidth() - crop) / 2, (img.getHeight() - crop) / 2, crop);
    byte[] out = new byte[channels * side * side];
    for (int c = 0; c < channels; c++) {
      resample(planes[c], crop, out, c * side * side);
    }
    return out;
  }

  /** The crop's pixels as {@link #channels} planes of crop × crop values 0..255. */
  private int[][] planes(BufferedImage img, int x0, int y0, int crop) {
    int n = crop * crop;
    int[][] planes = new int[channels][];
    if (img.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_GRAY) {
      int[] grey = img.getRaster().getSamples(x0, y0, crop, crop, 0, (int[]) null);
      int max = (1 << img.getColorModel().getComponentSize(0)) - 1;
      for (int i = 0; i < n; i++) {
        grey[i] = (int) (((long) grey[i] * 255 + max / 2) / max);
      }
      Arrays.fill(planes, grey);
      return planes;
    }
    int[] argb = img.getRGB(x0, y0, crop, crop, null, 0, crop);
    for (int c = 0; c < channels; c++) {
      planes[c] = new int[n];
    }
    for (int i = 0; i < n; i++) {
      int r = (argb[i] >> 16) & 0xFF;
      int g = (argb[i] >> 8) & 0xFF;
      int b = argb[i] & 0xFF;
      if (channels == 1) {
        planes[0][i] = (19595 * r + 38470 * g + 7471 * b + 0x8000) >> 16;
      } else {
        planes[0][i] = r;
        planes[1][i] = g;
        planes[2][i] = b;
      }
    }
    return planes;
  }

  /**
   * Area-averages the crop × crop plane {@code src} to side × side into {@code out} at {@code
   * offset}: rows first, then columns, with the same overlap weights along both axes.
   */
  private void resample(int[] src, int crop, byte[] out, int offset) {
    double[][] weights = new double[side][];
    int[] first = new int[side];
    overlapWeights(crop, weights, first);
    double[] rows = new double[crop * side]; // [crop rows, side columns]
    for (int y = 0; y < crop; y++) {
      for (int ox = 0; ox < side; ox++) {
        double sum = 0;
        for (int k = 0; k < weights[ox].length; k++) {
          sum += weights[ox][k] * src[y * crop + first[ox] + k];
        }
        rows[y * side + ox] = sum;
      }
    }
    for (int oy = 0; oy < side; oy++) {
      for (int ox = 0; ox < side; ox++) {
        double sum = 0;
        for (int k = 0; k < weights[oy].length; k++) {
          sum += weights[oy][k] * rows[(first[oy] + k) * side + ox];
        }
        out[offset + oy * side + ox] = (byte) Math.min(255, Math.max(0, Math.round(sum)));
      }
    }
  }

  /**
   * For output index o: the source indices {@code first[o] …} that [o·s, (o+1)·s) overlaps, s =
   * crop/side, each weighted by its overlap over s (the weights of an output sum to 1).
   */
  private void overlapWeights(int crop, double[][] weights, int[] first) {
    double scale = (double) crop / side;
    for (int o = 0; o < side; o++) {
      double from = o * scale;
      double to = (o + 1) * scale;
      int lo = (int) Math.floor(from);
      int hi = Math.min(crop, (int) Math.ceil(to));
      first[o] = lo;
      weights[o] = new double[hi - lo];
      for (int i = lo; i < hi; i++) {
        weights[o][i - lo] = (Math.min(to, i + 1) - Math.max(from, i)) / scale;
      }
    }
  }
}
