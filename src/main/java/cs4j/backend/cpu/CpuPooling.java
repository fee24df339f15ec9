package cs4j.backend.cpu;

import cs4j.backend.ConvGeometry;

/**
 * Max and average pooling over planes of x [N, C, H, W] (planes split over the threads), and the
 * option-A ResNet shortcut.
 */
final class CpuPooling {
  private CpuPooling() {}

  static void maxForward(ParallelFor par, float[] x, float[] y, float[] argmax, ConvGeometry g) {
    int p = g.p();
    int q = g.q();
    int hw = g.h() * g.w();
    par.run(
        g.n() * g.c(),
        1,
        (ch, lo, hi) -> {
          for (int plane = lo; plane < hi; plane++) {
            int xBase = plane * hw;
            int yBase = plane * p * q;
            for (int i = 0; i < p; i++) {
              for (int j = 0; j < q; j++) {
                float best = Float.NEGATIVE_INFINITY;
                int bestIdx = -1;
                for (int r = 0; r < g.r(); r++) {
                  int h = i * g.strideH() - g.padH() + r;
                  if (h < 0 || h >= g.h()) {
                    continue;
                  }
                  for (int s = 0; s < g.s(); s++) {
                    int w = j * g.strideW() - g.padW() + s;
                    if (w < 0 || w >= g.w()) {
                      continue;
                    }
                    float v = x[xBase + h * g.w() + w];
                    // NaN propagates, as in PyTorch: it wins against every number.
                    if (v > best || bestIdx < 0 || Float.isNaN(v)) {
                      best = v;
                      bestIdx = h * g.w() + w;
                      if (Float.isNaN(v)) {
                        break;
                      }
                    }
                  }
                }
                y[yBase + i * q + j] = best;
                argmax[yBase + i * q + j] = bestIdx;
              }
            }
          }
        });
  }

  static void maxBackward(ParallelFor par, float[] dY, float[] argmax, float[] dX, ConvGeometry g) {
    int pq = g.p() * g.q();
    int hw = g.h() * g.w();
    par.run(
        g.n() * g.c(),
        1,
        (ch, lo, hi) -> {
          for (int plane = lo; plane < hi; plane++) {
            java.util.Arrays.fill(dX, plane * hw, (plane + 1) * hw, 0f);
            for (int o = 0; o < pq; o++) {
              dX[plane * hw + (int) argmax[plane * pq + o]] += dY[plane * pq + o];
            }
          }
        });
  }

  static void avgForward(ParallelFor par, float[] x, float[] y, ConvGeometry g) {
    int p = g.p();
    int q = g.q();
    int hw = g.h() * g.w();
    float inv = 1f / (g.r() * g.s());
    par.run(
        g.n() * g.c(),
        1,
        (ch, lo, hi) -> {
          for (int plane = lo; plane < hi; plane++) {
            int xBase = plane * hw;
            for (int i = 0; i < p; i++) {
              for (int j = 0; j < q; j++) {
                float sum = 0;
                for (int r = 0; r < g.r(); r++) {
                  int h = i * g.strideH() - g.padH() + r;
                  if (h < 0 || h >= g.h()) {
                    continue;
                  }
                  for (int s = 0; s < g.s(); s++) {
                    int w = j * g.strideW() - g.padW() + s;
                    if (w >= 0 && w < g.w()) {
                      sum += x[xBase + h * g.w() + w];
                    }
                  }
                }
                y[plane * p * q + i * q + j] = sum * inv;
              }
            }
          }
        });
  }

  static void avgBackward(ParallelFor par, float[] dY, float[] dX, ConvGeometry g) {
    int p = g.p();
    int q = g.q();
    int hw = g.h() * g.w();
    float inv = 1f / (g.r() * g.s());
    par.run(
        g.n() * g.c(),
        1,
        (ch, lo, hi) -> {
          for (int plane = lo; plane < hi; plane++) {
            int xBase = plane * hw;
            java.util.Arrays.fill(dX, xBase, xBase + hw, 0f);
            for (int i = 0; i < p; i++) {
              for (int j = 0; j < q; j++) {
                float v = dY[plane * p * q + i * q + j] * inv;
                for (int r = 0; r < g.r(); r++) {
                  int h = i * g.strideH() - g.padH() + r;
                  if (h < 0 || h >= g.h()) {
                    continue;
                  }
                  for (int s = 0; s < g.s(); s++) {
                    int w = j * g.strideW() - g.padW() + s;
                    if (w >= 0 && w < g.w()) {
                      dX[xBase + h * g.w() + w] += v;
                    }
                  }
                }
              }
            }
          }
        });
  }

  /**
   * Option-A shortcut between big [N, C, H, W] and small [N, K, ⌈H/2⌉, ⌈W/2⌉]: forward copies
   * big[n, c, 2i, 2j] to small[n, c + pad, i, j] and zeroes the padding channels; backward (the
   * adjoint) copies back and zeroes the odd positions.
   */
  static void shortcutA(
      float[] big, float[] small, int n, int c, int h, int w, int k, boolean backward) {
    int ho = (h + 1) / 2;
    int wo = (w + 1) / 2;
    int pad = (k - c) / 2;
    if (backward) {
      java.util.Arrays.fill(big, 0f);
    } else {
      java.util.Arrays.fill(small, 0f);
    }
    for (int b = 0; b < n; b++) {
      for (int ch = 0; ch < c; ch++) {
        int bigBase = (b * c + ch) * h * w;
        int smallBase = (b * k + ch + pad) * ho * wo;
        for (int i = 0; i < ho; i++) {
          for (int j = 0; j < wo; j++) {
            int bi = bigBase + (2 * i) * w + 2 * j;
            int si = smallBase + i * wo + j;
            if (backward) {
              big[bi] = small[si];
            } else {
              small[si] = big[bi];
            }
          }
        }
      }
    }
  }
}
