package cs4j.backend.cpu;

import java.util.Arrays;

/**
 * A plain row-major matrix slice as a {@link GemmOperand}. Either depth is contiguous, X[o, d] =
 * data[off + o·ld + d] (A without transpose, B with transpose), or the outer index is, X[o, d] =
 * data[off + d·ld + o] (A transposed, B without transpose).
 */
final class DenseOperand implements GemmOperand {
  private final float[] data;
  private final int off;
  private final int ld;
  private final boolean depthContiguous;

  private DenseOperand(float[] data, int off, int ld, boolean depthContiguous) {
    this.data = data;
    this.off = off;
    this.ld = ld;
    this.depthContiguous = depthContiguous;
  }

  /** X[o, d] = data[off + o·ld + d]. */
  static DenseOperand depthContiguous(float[] data, int off, int ld) {
    return new DenseOperand(data, off, ld, true);
  }

  /** X[o, d] = data[off + d·ld + o]. */
  static DenseOperand outerContiguous(float[] data, int off, int ld) {
    return new DenseOperand(data, off, ld, false);
  }

  @Override
  public void pack(int o0, int len, int d0, int kc, int width, float[] dst, int dstOff) {
    for (int g0 = o0, base = dstOff; g0 < o0 + len; g0 += width, base += kc * width) {
      int rows = Math.min(width, o0 + len - g0);
      if (depthContiguous) {
        GemmOperand.packRows(data, off + g0 * ld + d0, ld, rows, kc, width, dst, base);
      } else {
        for (int p = 0; p < kc; p++) {
          int to = base + p * width;
          System.arraycopy(data, off + (d0 + p) * ld + g0, dst, to, rows);
          if (rows < width) {
            Arrays.fill(dst, to + rows, to + width, 0f);
          }
        }
      }
    }
  }
}
