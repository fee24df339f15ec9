package cs4j.backend.cpu;

import cs4j.backend.ConvGeometry;

/**
 * Row-wise im2col and its adjoint. Row (c, r, s) of the column matrix of one image holds, for each
 * output pixel (p, q), x[c, p·strideH − padH + r, q·strideW − padW + s], or 0 in the padding.
 * Pixels are walked one output row at a time so that each row is a zero run, a (strided) copy and a
 * zero run, without a bounds test per element.
 */
final class Im2col {
  private Im2col() {}

  /**
   * dst[dOff + t·dStride] = column row (c, r, s) at pixel pix0 + t, for t &lt; count; {@code plane}
   * is the offset of x[n, c, 0, 0].
   */
  static void gatherRow(
      float[] x,
      int plane,
      ConvGeometry g,
      int r,
      int s,
      int pix0,
      int count,
      float[] dst,
      int dOff,
      int dStride) {
    int q = g.q();
    int sw = g.strideW();
    int qLo = firstInside(g.padW() - s, sw);
    int qHi = endInside(g.w() - 1 + g.padW() - s, sw, q);
    int oh = pix0 / q;
    int ow = pix0 % q;
    for (int t = 0; t < count; oh++, ow = 0) {
      int run = Math.min(count - t, q - ow);
      int ih = oh * g.strideH() - g.padH() + r;
      int out = dOff + t * dStride;
      if (ih < 0 || ih >= g.h()) {
        zero(dst, out, run, dStride);
      } else {
        int lo = Math.min(Math.max(qLo, ow), ow + run);
        int hi = Math.max(Math.min(qHi, ow + run), lo);
        zero(dst, out, lo - ow, dStride);
        int src = plane + ih * g.w() + lo * sw - g.padW() + s;
        int to = out + (lo - ow) * dStride;
        if (sw == 1 && dStride == 1) {
          System.arraycopy(x, src, dst, to, hi - lo);
        } else {
          for (int i = 0; i < hi - lo; i++) {
            dst[to + i * dStride] = x[src + i * sw];
          }
        }
        zero(dst, out + (hi - ow) * dStride, ow + run - hi, dStride);
      }
      t += run;
    }
  }

  /**
   * The adjoint of {@link #gatherRow} over all P·Q pixels of column row (c, r, s): dX[n, c, ih, iw]
   * += col[cOff + p·Q + q] for every pixel that reads inside the image.
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

  private static void zero(float[] dst, int off, int count, int stride) {
    for (int i = 0; i < count; i++) {
      dst[off + i * stride] = 0f;
    }
  }
}
