package cs4j.backend.cpu;

import cs4j.backend.ConvGeometry;

/**
 * col2im, the adjoint of im2col. Row (c, r, s) of the column matrix of one image holds, for each
 * output pixel (p, q), x[c, p·strideH − padH + r, q·strideW − padW + s], or 0 in the padding;
 * col2im adds every entry back onto the input position it was read from. The range of output
 * columns that read inside the image is found once per row, so there is no bounds test per element.
 */
final class Im2col {
  private Im2col() {}

  /**
   * Over all P·Q pixels of column row (c, r, s): dX[n, c, ih, iw] += col[cOff + p·Q + q] for every
   * pixel that reads inside the image.
   */
  static void scatterAddRow(
      float[] col, int cOff, float[] dX, int plane, ConvGeometry g, int r, int s) {
    int q = g.q();
    int sw = g.strideW();
    int lo = firstInside(g.padW() - s, sw);
    int hi = Math.max(endInside(g.w() - 1 + g.padW() - s, sw, q), lo);
    for (int oh = 0; oh < g.p(); oh++) {
      int ih = oh * g.strideH() - g.padH() + r;
      if (ih < 0 || ih >= g.h()) {
        continue;
      }
      int to = plane + ih * g.w() - g.padW() + s;
      int from = cOff + oh * q;
      for (int ow = lo; ow < hi; ow++) {
        dX[to + ow * sw] += col[from + ow];
      }
    }
  }

  /** dX[n] += col2im(col) for one image: col [C·R·S, P·Q], image at dX offset {@code xOff}. */
  static void col2im(float[] col, float[] dX, int xOff, ConvGeometry g) {
    int pq = g.p() * g.q();
    int row = 0;
    for (int c = 0; c < g.c(); c++) {
      int plane = xOff + c * g.h() * g.w();
      for (int r = 0; r < g.r(); r++) {
        for (int s = 0; s < g.s(); s++, row++) {
          scatterAddRow(col, row * pq, dX, plane, g, r, s);
        }
      }
    }
  }

  /** The smallest output column q ≥ 0 with q·stride ≥ lead (lead = padW − s). */
  private static int firstInside(int lead, int stride) {
    return Math.max(0, Math.floorDiv(lead + stride - 1, stride));
  }

  /** One past the largest q &lt; Q with q·stride ≤ last (last = W − 1 + padW − s). */
  private static int endInside(int last, int stride, int q) {
    return Math.min(q, Math.floorDiv(last, stride) + 1);
  }
}
