package cs4j.backend.cpu;

import cs4j.backend.ConvGeometry;

/**
 * The oracle for the fast CPU kernels: GEMM and convolution written as their definitions, plain
 * nested loops with double accumulators, no blocking and no threads. Slow on purpose; used by tests
 * only.
 */
public final class CpuReference {
  private CpuReference() {}

  /**
   * C [M, N] = alpha·op(A)·op(B) + beta·C, row-major; op(A) [M, K] is A or Aᵀ (A stored [K, M]),
   * op(B) [K, N] is B or Bᵀ (B stored [N, K]). beta = 0 ignores C's old contents (even NaN).
   */
  public static void gemm(
      boolean transA,
      boolean transB,
      int m,
      int n,
      int k,
      float alpha,
      float[] a,
      int aOff,
      float[] b,
      int bOff,
      float beta,
      float[] c,
      int cOff) {
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double sum = 0;
        for (int p = 0; p < k; p++) {
          float av = transA ? a[aOff + p * m + i] : a[aOff + i * k + p];
          float bv = transB ? b[bOff + j * k + p] : b[bOff + p * n + j];
          sum += (double) av * bv;
        }
        int at = cOff + i * n + j;
        c[at] = (float) (alpha * sum + (beta == 0f ? 0.0 : (double) beta * c[at]));
      }
    }
  }

  /** y[n, k, p, q] = Σ_{c, r, s} x[n, c, p·sh − ph + r, q·sw − pw + s] · w[k, c, r, s]. */
  public static void convForward(float[] x, float[] w, float[] y, ConvGeometry g) {
    int kk = w.length / (g.c() * g.r() * g.s());
    for (int n = 0; n < g.n(); n++) {
      for (int k = 0; k < kk; k++) {
        for (int p = 0; p < g.p(); p++) {
          for (int q = 0; q < g.q(); q++) {
            double sum = 0;
            for (int c = 0; c < g.c(); c++) {
              for (int r = 0; r < g.r(); r++) {
                for (int s = 0; s < g.s(); s++) {
                  int h = p * g.strideH() - g.padH() + r;
                  int v = q * g.strideW() - g.padW() + s;
                  if (h >= 0 && h < g.h() && v >= 0 && v < g.w()) {
                    sum += (double) x[xIndex(g, n, c, h, v)] * w[wIndex(g, k, c, r, s)];
                  }
                }
              }
            }
            y[((n * kk + k) * g.p() + p) * g.q() + q] = (float) sum;
          }
        }
      }
    }
  }

  /**
   * dX[n, c, h, v] = Σ_{k, r, s} dY[n, k, p, q] · w[k, c, r, s] over the (p, q) with p·sh − ph + r
   * = h and q·sw − pw + s = v.
   */
  public static void convBackwardData(float[] dY, float[] w, float[] dX, ConvGeometry g) {
    int kk = w.length / (g.c() * g.r() * g.s());
    for (int n = 0; n < g.n(); n++) {
      for (int c = 0; c < g.c(); c++) {
        for (int h = 0; h < g.h(); h++) {
          for (int v = 0; v < g.w(); v++) {
            double sum = 0;
            for (int k = 0; k < kk; k++) {
              for (int r = 0; r < g.r(); r++) {
                for (int s = 0; s < g.s(); s++) {
                  int ph = h + g.padH() - r;
                  int qw = v + g.padW() - s;
                  if (ph < 0 || qw < 0 || ph % g.strideH() != 0 || qw % g.strideW() != 0) {
                    continue;
                  }
                  int p = ph / g.strideH();
                  int q = qw / g.strideW();
                  if (p < g.p() && q < g.q()) {
                    sum +=
                        (double) dY[((n * kk + k) * g.p() + p) * g.q() + q]
                            * w[wIndex(g, k, c, r, s)];
                  }
                }
              }
            }
            dX[xIndex(g, n, c, h, v)] = (float) sum;
          }
        }
      }
    }
  }

  /** dW[k, c, r, s] = Σ_{n, p, q} dY[n, k, p, q] · x[n, c, p·sh − ph + r, q·sw − pw + s]. */
  public static void convBackwardWeight(float[] x, float[] dY, float[] dW, ConvGeometry g) {
    int kk = dW.length / (g.c() * g.r() * g.s());
    for (int k = 0; k < kk; k++) {
      for (int c = 0; c < g.c(); c++) {
        for (int r = 0; r < g.r(); r++) {
          for (int s = 0; s < g.s(); s++) {
            double sum = 0;
            for (int n = 0; n < g.n(); n++) {
              for (int p = 0; p < g.p(); p++) {
                for (int q = 0; q < g.q(); q++) {
                  int h = p * g.strideH() - g.padH() + r;
                  int v = q * g.strideW() - g.padW() + s;
                  if (h >= 0 && h < g.h() && v >= 0 && v < g.w()) {
                    sum +=
                        (double) dY[((n * kk + k) * g.p() + p) * g.q() + q]
                            * x[xIndex(g, n, c, h, v)];
                  }
                }
              }
            }
            dW[wIndex(g, k, c, r, s)] = (float) sum;
          }
        }
      }
    }
  }

  private static int xIndex(ConvGeometry g, int n, int c, int h, int v) {
    return ((n * g.c() + c) * g.h() + h) * g.w() + v;
  }

  private static int wIndex(ConvGeometry g, int k, int c, int r, int s) {
    return ((k * g.c() + c) * g.r() + r) * g.s() + s;
  }
}
