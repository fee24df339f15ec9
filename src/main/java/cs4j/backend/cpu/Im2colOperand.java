package cs4j.backend.cpu;

import cs4j.backend.ConvGeometry;
import java.util.Arrays;

/**
 * The column matrix of one image as the right factor of the forward convolution, y_n [K, P·Q] = w
 * [K, C·R·S] · col [C·R·S, P·Q]; as a {@link GemmOperand} it is X[o = pixel, d = (c·R + r)·S + s] =
 * colᵀ, gathered straight from x into B panels.
 */
final class Im2colOperand implements GemmOperand {
  private final float[] x;
  private final int imageOff;
  private final ConvGeometry g;

  /** Image n of x [N, C, H, W] starts at {@code imageOff}. */
  Im2colOperand(float[] x, int imageOff, ConvGeometry g) {
    this.x = x;
    this.imageOff = imageOff;
    this.g = g;
  }

  @Override
  public void pack(int o0, int len, int d0, int kc, int width, float[] dst, int dstOff) {
    int rs = g.r() * g.s();
    int hw = g.h() * g.w();
    for (int g0 = o0, base = dstOff; g0 < o0 + len; g0 += width, base += kc * width) {
      int pixels = Math.min(width, o0 + len - g0);
      int c = d0 / rs;
      int r = d0 / g.s() % g.r();
      int s = d0 % g.s();
      for (int p = 0; p < kc; p++) {
        int to = base + p * width;
        Im2col.gatherRow(x, imageOff + c * hw, g, r, s, g0, pixels, dst, to, 1);
        Arrays.fill(dst, to + pixels, to + width, 0f);
        if (++s == g.s()) {
          s = 0;
          if (++r == g.r()) {
            r = 0;
            c++;
          }
        }
      }
    }
  }
}
