package cs4j.backend.cpu;

import cs4j.backend.ConvGeometry;

/**
 * The column matrices of consecutive images side by side, the right factor of the weight gradient
 * dW [K, C·R·S] = Σ_n dY_n [K, P·Q] · col_nᵀ. As a {@link GemmOperand} it is X[o = (c·R + r)·S + s,
 * d = n·P·Q + pixel] = col_{n0+n}[o, pixel], gathered straight from x into B panels.
 */
final class Im2colTransposedOperand implements GemmOperand {
  private final float[] x;
  private final int firstImage;
  private final ConvGeometry g;

  Im2colTransposedOperand(float[] x, int firstImage, ConvGeometry g) {
    this.x = x;
    this.firstImage = firstImage;
    this.g = g;
  }

  @Override
  public void pack(int o0, int len, int d0, int kc, int width, float[] dst, int dstOff) {
    int rs = g.r() * g.s();
    int hw = g.h() * g.w();
    int chw = g.c() * hw;
    int pq = g.p() * g.q();
    for (int g0 = o0, base = dstOff; g0 < o0 + len; g0 += width, base += kc * width) {
      int rows = Math.min(width, o0 + len - g0);
      for (int w = 0; w < width; w++) {
        if (w >= rows) {
          for (int p = 0; p < kc; p++) {
            dst[base + p * width + w] = 0f;
          }
          continue;
        }
        int crs = g0 + w;
        int c = crs / rs;
        int r = crs / g.s() % g.r();
        int s = crs % g.s();
        for (int p = 0; p < kc; ) {
          int n = (d0 + p) / pq;
          int pixel = (d0 + p) % pq;
          int count = Math.min(kc - p, pq - pixel);
          int plane = (firstImage + n) * chw + c * hw;
          Im2col.gatherRow(x, plane, g, r, s, pixel, count, dst, base + p * width + w, width);
          p += count;
        }
      }
    }
  }
}
