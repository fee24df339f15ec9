package cs4j.backend.cpu;

import cs4j.backend.ConvGeometry;

/**
 * Convolution as im2col + GEMM, one image at a time. For image n: col [C·R·S, P·Q] holds the
 * receptive fields, then y_n [K, P·Q] = w [K, C·R·S] · col. Backward data: col = wᵀ · dY_n, then
 * col2im; backward weight: dW += dY_n · colᵀ.
 */
final class CpuConv {
  private final ParallelFor par;
  private final CpuGemm gemm;

  CpuConv(ParallelFor par, CpuGemm gemm) {
    this.par = par;
    this.gemm = gemm;
  }

  void forward(float[] x, float[] w, float[] y, ConvGeometry g) {
    int crs = g.c() * g.r() * g.s();
    int pq = g.p() * g.q();
    int k = w.length / crs;
    float[] col = new float[crs * pq];
    for (int n = 0; n < g.n(); n++) {
      im2col(x, n * g.c() * g.h() * g.w(), col, g);
      gemm.gemm(false, false, k, pq, crs, 1f, w, 0, col, 0, 0f, y, n * k * pq);
    }
  }

  void backwardData(float[] dY, float[] w, float[] dX, ConvGeometry g) {
    int crs = g.c() * g.r() * g.s();
    int pq = g.p() * g.q();
    int k = w.length / crs;
    float[] col = new float[crs * pq];
    java.util.Arrays.fill(dX, 0f);
    for (int n = 0; n < g.n(); n++) {
      gemm.gemm(true, false, crs, pq, k, 1f, w, 0, dY, n * k * pq, 0f, col, 0);
      col2im(col, dX, n * g.c() * g.h() * g.w(), g);
    }
  }

  void backwardWeight(float[] x, float[] dY, float[] dW, ConvGeometry g) {
    int crs = g.c() * g.r() * g.s();
    int pq = g.p() * g.q();
    int k = dW.length / crs;
    float[] col = new float[crs * pq];
    for (int n = 0; n < g.n(); n++) {
      im2col(x, n * g.c() * g.h() * g.w(), col, g);
      gemm.gemm(false, true, k, crs, pq, 1f, dY, n * k * pq, col, 0, n == 0 ? 0f : 1f, dW, 0);
    }
  }

  /** col [(c·R + r)·S + s, p·Q + q] = x[n, c, p·stride − pad + r, q·stride − pad + s] or 0. */
  static void im2col(float[] x, int xOff, float[] col, ConvGeometry g) {
    int p = g.p();
    int q = g.q();
    int row = 0;
    for (int c = 0; c < g.c(); c++) {
      for (int r = 0; r < g.r(); r++) {
        for (int s = 0; s < g.s(); s++, row++) {
          int base = row * p * q;
          for (int i = 0; i < p; i++) {
            int h = i * g.strideH() - g.padH() + r;
            for (int j = 0; j < q; j++) {
              int ww = j * g.strideW() - g.padW() + s;
              boolean inside = h >= 0 && h < g.h() && ww >= 0 && ww < g.w();
              col[base + i * q + j] = inside ? x[xOff + (c * g.h() + h) * g.w() + ww] : 0f;
            }
          }
        }
      }
    }
  }

  /** The adjoint of im2col: dX[n, c, h, w] += col entries that read it. */
  static void col2im(float[] col, float[] dX, int xOff, ConvGeometry g) {
    int p = g.p();
    int q = g.q();
    int row = 0;
    for (int c = 0; c < g.c(); c++) {
      for (int r = 0; r < g.r(); r++) {
        for (int s = 0; s < g.s(); s++, row++) {
          int base = row * p * q;
          for (int i = 0; i < p; i++) {
            int h = i * g.strideH() - g.padH() + r;
            if (h < 0 || h >= g.h()) {
              continue;
            }
            for (int j = 0; j < q; j++) {
              int ww = j * g.strideW() - g.padW() + s;
              if (ww >= 0 && ww < g.w()) {
                dX[xOff + (c * g.h() + h) * g.w() + ww] += col[base + i * q + j];
              }
            }
          }
        }
      }
    }
  }
}
