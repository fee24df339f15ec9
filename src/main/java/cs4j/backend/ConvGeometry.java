package cs4j.backend;

/**
 * The sizes of one 2-D convolution or pooling window sweep: input x [N, C, H, W], kernel R×S,
 * output [N, ·, P, Q] with {@code P = (H + 2·padH − R) / strideH + 1} (and likewise Q).
 */
public record ConvGeometry(
    int n, int c, int h, int w, int r, int s, int strideH, int strideW, int padH, int padW) {

  public ConvGeometry {
    if (n <= 0 || c <= 0 || h <= 0 || w <= 0 || r <= 0 || s <= 0) {
      throw new IllegalArgumentException("ConvGeometry: sizes must be positive in " + this);
    }
    if (strideH <= 0 || strideW <= 0 || padH < 0 || padW < 0) {
      throw new IllegalArgumentException(
          "ConvGeometry: stride must be positive and padding non-negative in " + this);
    }
    if (h + 2 * padH < r || w + 2 * padW < s) {
      throw new IllegalArgumentException(
          "ConvGeometry: kernel "
              + r
              + "x"
              + s
              + " is larger than the padded input "
              + (h + 2 * padH)
              + "x"
              + (w + 2 * padW));
    }
  }

  /** Square kernel, equal stride and padding on both axes. */
  public static ConvGeometry square(int n, int c, int h, int w, int k, int stride, int pad) {
    return new ConvGeometry(n, c, h, w, k, k, stride, stride, pad, pad);
  }

  public int p() {
    return (h + 2 * padH - r) / strideH + 1;
  }

  public int q() {
    return (w + 2 * padW - s) / strideW + 1;
  }
}
