package cs4j.backend.cpu;

import cs4j.backend.ConvGeometry;
import java.util.Arrays;

/**
 * One image of x [C, H, W], zero-padded and split into its strideH × strideW phases, laid out so
 * that every im2col row is one contiguous run. Phase (a, b) holds padded rows a, a + strideH, ...
 * and columns b, b + strideW, ..., each phase as [C, hph, wph]. Output pixel (p, q) is given the
 * grid index j = p·wph + q; then for kernel tap (c, r, s)
 *
 * <pre>
 *   x_padded[c, p·strideH + r, q·strideW + s] = buf[rowStart(c, r, s) + j]
 * </pre>
 *
 * for all q &lt; Q at once. Grid columns Q ≤ q &lt; wph are junk: they read real (finite) buffer
 * values that belong to no output and must be dropped or multiplied by zero.
 */
final class StridePhases {
  private final ConvGeometry g;
  private final int hph;
  private final int wph;
  private final int channelSize;
  private final int phaseSize;

  StridePhases(ConvGeometry g) {
    this.g = g;
    this.hph = (g.h() + 2 * g.padH() + g.strideH() - 1) / g.strideH();
    this.wph = (g.w() + 2 * g.padW() + g.strideW() - 1) / g.strideW();
    this.channelSize = hph * wph;
    this.phaseSize = g.c() * channelSize;
  }

  /** Row length of the output grid (≥ Q). */
  int gridWidth() {
    return wph;
  }

  /** Output grid size P·wph. */
  int gridSize() {
    return g.p() * wph;
  }

  /**
   * Floats in the buffer. The slack past the last phase keeps in bounds the junk reads of a whole
   * grid run, rounded up to any SIMD width (≤ 64 lanes).
   */
  int size() {
    return g.strideH() * g.strideW() * phaseSize + wph + g.s() + 64;
  }

  /** Where the grid run of tap (c, r, s) starts. */
  int rowStart(int c, int r, int s) {
    int phase = (r % g.strideH()) * g.strideW() + s % g.strideW();
    return phase * phaseSize + c * channelSize + (r / g.strideH()) * wph + s / g.strideW();
  }

  /**
   * The grid-run start of every im2col row t = (c·R + r)·S + s, for t &lt; length; rows past C·R·S
   * (the padding of a kernel tile, whose results are never read) repeat row 0.
   */
  int[] tapRowStarts(int length) {
    int taps = g.c() * g.r() * g.s();
    int[] starts = new int[length];
    for (int t = 0; t < length; t++) {
      int tap = t < taps ? t : 0;
      starts[t] = rowStart(tap / (g.r() * g.s()), tap / g.s() % g.r(), tap % g.s());
    }
    return starts;
  }

  /**
   * Writes image x[n] (starting at {@code imageOff}) into buf[bufOff, bufOff + size()), padding
   * with zeros. Phases that no kernel tap reads (a ≥ R or b ≥ S, e.g. all but one for a 1×1 kernel
   * with stride 2) are left zero.
   */
  void fill(float[] x, int imageOff, float[] buf, int bufOff) {
    if (g.strideH() == 1 && g.strideW() == 1) {
      fillUnstrided(x, imageOff, buf, bufOff);
      return;
    }
    Arrays.fill(buf, bufOff, bufOff + size(), 0f);
    int sh = g.strideH();
    int sw = g.strideW();
    for (int c = 0; c < g.c(); c++) {
      for (int h = 0; h < g.h(); h++) {
        int hp = h + g.padH();
        if (hp % sh >= g.r()) {
          continue;
        }
        int src = imageOff + (c * g.h() + h) * g.w();
        int rowBase = bufOff + (hp % sh) * sw * phaseSize + c * channelSize + (hp / sh) * wph;
        if (sw == 1) {
          System.arraycopy(x, src, buf, rowBase + g.padW(), g.w());
          continue;
        }
        // phase column j of phase b holds padded column j·sw + b, i.e. x column j·sw + b − padW
        for (int b = 0; b < Math.min(sw, g.s()); b++) {
          int to = rowBase + b * phaseSize;
          int jLo = Math.max(0, Math.floorDiv(g.padW() - b + sw - 1, sw));
          int jHi = Math.min(wph, Math.floorDiv(g.w() - 1 + g.padW() - b, sw) + 1);
          for (int j = jLo, v = jLo * sw + b - g.padW(); j < jHi; j++, v += sw) {
            buf[to + j] = x[src + v];
          }
        }
      }
    }
  }

  /**
   * {@link #fill} for stride 1, where the one phase is the padded image: each row is copied once
   * and only the padding around it is cleared (clearing the whole buffer first wrote it twice).
   */
  private void fillUnstrided(float[] x, int imageOff, float[] buf, int bufOff) {
    int top = g.padH() * wph;
    int right = wph - g.padW() - g.w();
    for (int c = 0; c < g.c(); c++) {
      int channel = bufOff + c * channelSize;
      Arrays.fill(buf, channel, channel + top, 0f);
      for (int h = 0; h < g.h(); h++) {
        int row = channel + top + h * wph;
        Arrays.fill(buf, row, row + g.padW(), 0f);
        System.arraycopy(x, imageOff + (c * g.h() + h) * g.w(), buf, row + g.padW(), g.w());
        Arrays.fill(buf, row + g.padW() + g.w(), row + g.padW() + g.w() + right, 0f);
      }
      Arrays.fill(buf, channel + top + g.h() * wph, channel + channelSize, 0f);
    }
    Arrays.fill(buf, bufOff + phaseSize, bufOff + size(), 0f);
  }
}
