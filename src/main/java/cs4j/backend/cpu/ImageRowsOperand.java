package cs4j.backend.cpu;

/**
 * A stack of per-image matrices laid side by side along depth: X[o, n·rowLen + j] = data[off +
 * n·imageStride + o·rowLen + j]. With data = dY [N, K, P·Q], rowLen = P·Q and imageStride = K·P·Q
 * this is dY as [K, N·P·Q], the left factor of the batch-summed weight gradient.
 */
final class ImageRowsOperand implements GemmOperand {
  private final float[] data;
  private final int off;
  private final int rowLen;
  private final int imageStride;

  ImageRowsOperand(float[] data, int off, int rowLen, int imageStride) {
    this.data = data;
    this.off = off;
    this.rowLen = rowLen;
    this.imageStride = imageStride;
  }

  @Override
  public void pack(int o0, int len, int d0, int kc, int width, float[] dst, int dstOff) {
    for (int g0 = o0, base = dstOff; g0 < o0 + len; g0 += width, base += kc * width) {
      int rows = Math.min(width, o0 + len - g0);
      for (int p = 0; p < kc; ) {
        int n = (d0 + p) / rowLen;
        int j = (d0 + p) % rowLen;
        int count = Math.min(kc - p, rowLen - j);
        GemmOperand.packRows(
            data,
            off + n * imageStride + g0 * rowLen + j,
            rowLen,
            rows,
            count,
            width,
            dst,
            base + p * width);
        p += count;
      }
    }
  }
}
