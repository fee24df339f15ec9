package cs4j.backend.cpu;

import cs4j.backend.ConvGeometry;
import java.util.Arrays;

/**
 * Convolution as GEMM over im2col columns, with the columns gathered straight into GEMM panels.
 * Shapes: x [N, C, H, W], w [K, C, R, S], y [N, K, P, Q]; col_n [C·R·S, P·Q] is image n's column
 * matrix (see {@link Im2col}).
 *
 * <ul>
 *   <li>forward: y_n = w · col_n, images split over threads, w packed once per call;
 *   <li>backward data: col = wᵀ · dY_n into a per-thread buffer, then dX_n = col2im(col);
 *   <li>backward weight: dW = Σ_n dY_n · col_nᵀ, one GEMM per chunk of images whose depth runs over
 *       all pixels of the chunk, then the per-chunk partial sums are added in chunk order.
 * </ul>
 *
 * <p>Forward and backward data are bit-identical for any thread count (one image, one thread, one
 * fixed GEMM); backward weight is bit-identical for a fixed thread count.
 */
final class CpuConv {
  private final ParallelFor par;
  private final CpuGemm gemm;

  CpuConv(ParallelFor par, CpuGemm gemm) {
    this.par = par;
    this.gemm = gemm;
  }

  /** y [N, K, P, Q] = conv(x, w). */
  void forward(float[] x, float[] w, float[] y, ConvGeometry g) {
    int crs = g.c() * g.r() * g.s();
    int pq = g.p() * g.q();
    int chw = g.c() * g.h() * g.w();
    int k = w.length / crs;
    float[] wp = ThreadScratch.get(ThreadScratch.Slot.CONV_WEIGHTS, gemm.packedSize(k, crs));
    gemm.packA(DenseOperand.depthContiguous(w, 0, crs), k, crs, wp);
    par.run(
        g.n(),
        1,
        (ch, lo, hi) -> {
          for (int n = lo; n < hi; n++) {
            Im2colOperand col = new Im2colOperand(x, n * chw, g);
            gemm.multiplyPacked(wp, k, 0, k, col, 0, pq, crs, 1f, 0f, y, n * k * pq, pq);
          }
        });
  }

  /** dX [N, C, H, W] = col2im(wᵀ · dY_n) per image. */
  void backwardData(float[] dY, float[] w, float[] dX, ConvGeometry g) {
    int crs = g.c() * g.r() * g.s();
    int pq = g.p() * g.q();
    int chw = g.c() * g.h() * g.w();
    int k = w.length / crs;
    // wᵀ as X[o = crs, d = k] = w[k·CRS + crs]
    float[] wp = ThreadScratch.get(ThreadScratch.Slot.CONV_WEIGHTS, gemm.packedSize(crs, k));
    gemm.packA(DenseOperand.outerContiguous(w, 0, crs), crs, k, wp);
    par.run(
        g.n(),
        1,
        (ch, lo, hi) -> {
          float[] col = ThreadScratch.get(ThreadScratch.Slot.CONV_COLUMNS, crs * pq);
          for (int n = lo; n < hi; n++) {
            // dY_n as X[o = pixel, d = k] = dY[n, k, pixel]
            GemmOperand dYn = DenseOperand.outerContiguous(dY, n * k * pq, pq);
            gemm.multiplyPacked(wp, crs, 0, crs, dYn, 0, pq, k, 1f, 0f, col, 0, pq);
            Arrays.fill(dX, n * chw, (n + 1) * chw, 0f);
            Im2col.col2im(col, dX, n * chw, g);
          }
        });
  }

  /** dW [K, C, R, S] = Σ_n dY_n · col_nᵀ (overwrites dW). */
  void backwardWeight(float[] x, float[] dY, float[] dW, ConvGeometry g) {
    int crs = g.c() * g.r() * g.s();
    int pq = g.p() * g.q();
    int k = dW.length / crs;
    int chunks = par.chunks(g.n(), 1);
    float[][] partial = new float[chunks][];
    partial[0] = dW;
    for (int i = 1; i < chunks; i++) {
      partial[i] = new float[dW.length];
    }
    par.run(
        g.n(),
        1,
        (ch, lo, hi) ->
            gemm.multiply(
                new ImageRowsOperand(dY, lo * k * pq, pq, k * pq),
                new Im2colTransposedOperand(x, lo, g),
                k,
                crs,
                (hi - lo) * pq,
                1f,
                0f,
                partial[ch],
                0,
                crs));
    for (int i = 1; i < chunks; i++) {
      float[] p = partial[i];
      for (int j = 0; j < dW.length; j++) {
        dW[j] += p[j];
      }
    }
  }
}
