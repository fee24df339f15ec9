package cs4j.backend.cpu;

import cs4j.backend.ConvGeometry;
import java.util.Arrays;

/**
 * The column matrix of one image over the output grid of {@link StridePhases}, as the right factor
 * of the forward convolution y_n [K, P·wph] = w [K, C·R·S] · col [C·R·S, P·wph]. As a {@link
 * GemmOperand} it is X[o = grid pixel, d = (c·R + r)·S + s]; packing a panel is one plain copy per
 * tap, with no padding tests.
 */
final class PhasedIm2colOperand implements GemmOperand {
  private final float[] buf;
  private final StridePhases phases;
  private final ConvGeometry g;

  /** {@code buf} holds one image written by {@link StridePhases#fill}. */
  PhasedIm2colOperand(float[] buf, StridePhases phases, ConvGeometry g) {
    this.buf = buf;
    this.phases = phases;
    this.g = g;
  }

  @Override
  public void pack(int o0, int len, int d0, int kc, int width, float[] dst, int dstOff) {
    int c = d0 / (g.r() * g.s());
    int r = d0 / g.s() % g.r();
    int s = d0 % g.s();
    for (int p = 0; p < kc; p++) {
      int src = phases.rowStart(c, r, s) + o0;
      for (int g0 = 0, to = dstOff + p * width; g0 < len; g0 += width, to += kc * width) {
        int pixels = Math.min(width, len - g0);
        System.arraycopy(buf, src + g0, dst, to, pixels);
        if (pixels < width) { // only the last panel is short; a call per panel costs 5 % (JFR)
          Arrays.fill(dst, to + pixels, to + width, 0f);
        }
      }
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
