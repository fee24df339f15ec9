package cs4j.backend.cpu;

/**
 * One factor of a GEMM, seen as a matrix X [outer, depth] that can copy blocks of itself into the
 * panel layout of {@link GemmKernel}: A is X = op(A) [M, K]; B is seen transposed, X = op(B)ᵀ [N,
 * K]. Implementations read plain matrices or gather im2col columns on the fly, so convolution never
 * materialises its column matrix before packing.
 */
interface GemmOperand {
  /**
   * Packs X[o0 .. o0+len) × [d0 .. d0+kc) as ⌈len/width⌉ consecutive panels of {@code width} outer
   * indices each: {@code dst[dstOff + g·kc·width + p·width + w] = X[o0 + g·width + w, d0 + p]}, and
   * 0 where {@code g·width + w ≥ len}.
   */
  void pack(int o0, int len, int d0, int kc, int width, float[] dst, int dstOff);

  /**
   * Packs one panel from a source whose outer rows are {@code ld} apart and whose depth is
   * contiguous: dst[dOff + p·width + w] = src[srcOff + w·ld + p] for w &lt; rows, p &lt; count, and
   * 0 for rows ≤ w &lt; width.
   */
  static void packRows(
      float[] src, int srcOff, int ld, int rows, int count, int width, float[] dst, int dOff) {
    for (int w = 0; w < rows; w++) {
      int s = srcOff + w * ld;
      for (int p = 0; p < count; p++) {
        dst[dOff + p * width + w] = src[s + p];
      }
    }
    for (int w = rows; w < width; w++) {
      for (int p = 0; p < count; p++) {
        dst[dOff + p * width + w] = 0f;
      }
    }
  }
}
