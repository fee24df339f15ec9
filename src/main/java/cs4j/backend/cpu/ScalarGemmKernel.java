package cs4j.backend.cpu;

import java.util.Arrays;

/**
 * The GEMM tile in plain Java, used when the Vector API module is absent. It first applies beta to
 * the C tile, then adds alpha·Ap·Bp four rank-1 updates at a time, row by row; the inner loop runs
 * over 64 contiguous columns so C2 can auto-vectorise it. About 12–15× slower than the Vector API
 * kernel on AVX-512 (see benchmarks/RESULTS.md).
 */
final class ScalarGemmKernel implements GemmKernel {
  private static final int MR = 4;
  private static final int NR = 64;

  @Override
  public int mr() {
    return MR;
  }

  @Override
  public int nr() {
    return NR;
  }

  @Override
  public String name() {
    return "scalar " + MR + "x" + NR;
  }

  @Override
  public void tile(
      int kc,
      float[] ap,
      int aOff,
      float[] bp,
      int bOff,
      float alpha,
      float beta,
      float[] c,
      int cOff,
      int ldc,
      int rows,
      int cols) {
    for (int i = 0; i < rows; i++) {
      int row = cOff + i * ldc;
      for (int j = 0; j < cols; j++) {
        c[row + j] = beta == 0f ? 0f : beta * c[row + j];
      }
    }
    int p = 0;
    // four rank-1 updates per pass over a C row: a quarter of the C loads and stores
    for (; p + 3 < kc; p += 4) {
      int b0 = bOff + p * NR;
      for (int i = 0; i < rows; i++) {
        int ai = aOff + p * MR + i;
        float a0 = alpha * ap[ai];
        float a1 = alpha * ap[ai + MR];
        float a2 = alpha * ap[ai + 2 * MR];
        float a3 = alpha * ap[ai + 3 * MR];
        int row = cOff + i * ldc;
        for (int j = 0; j < cols; j++) {
          c[row + j] +=
              a0 * bp[b0 + j]
                  + a1 * bp[b0 + NR + j]
                  + a2 * bp[b0 + 2 * NR + j]
                  + a3 * bp[b0 + 3 * NR + j];
        }
      }
    }
    for (; p < kc; p++) {
      int bi = bOff + p * NR;
      for (int i = 0; i < rows; i++) {
        float a = alpha * ap[aOff + p * MR + i];
        int row = cOff + i * ldc;
        for (int j = 0; j < cols; j++) {
          c[row + j] += a * bp[bi + j];
        }
      }
    }
  }

  @Override
  public void gatherTile(
      int depth,
      float[] ap,
      int aOff,
      float[] src,
      int[] rowStarts,
      int row0,
      int col,
      float[] c,
      int cOff,
      int ldc,
      int rows,
      int cols,
      boolean accumulate) {
    float[] sums = ThreadScratch.get(ThreadScratch.Slot.KERNEL_TILE, NR);
    for (int i = 0; i < rows; i++) {
      Arrays.fill(sums, 0, cols, 0f);
      for (int p = 0; p < depth; p++) {
        float a = ap[aOff + p * MR + i];
        int b = rowStarts[row0 + p] + col;
        for (int j = 0; j < cols; j++) {
          sums[j] += a * src[b + j];
        }
      }
      int row = cOff + i * ldc;
      for (int j = 0; j < cols; j++) {
        c[row + j] = accumulate ? c[row + j] + sums[j] : sums[j];
      }
    }
  }

  @Override
  public void gatherPackTile(
      int from,
      int to,
      float[] x,
      int xOff,
      int[] rows,
      int row0,
      int[] xSteps,
      float[] ap,
      int aOff,
      float[] src,
      int[] rowStarts,
      int col,
      float[] c,
      int cOff,
      int ldc,
      boolean accumulate) {
    for (int t = from, a = aOff; t < to; t++) {
      for (int i = 0; i < MR; i++, a++) {
        ap[a] = x[xOff + rows[row0 + i] + xSteps[t]];
      }
    }
    gatherTile(to - from, ap, aOff, src, rowStarts, from, col, c, cOff, ldc, MR, NR, accumulate);
  }

  @Override
  public int lanes() {
    return 1;
  }

  @Override
  public void dotTile(
      int len,
      int images,
      float[] a,
      int aOff,
      int lda,
      int aImageStride,
      float[] b,
      int[] bRows,
      int bRow0,
      int bImageStride,
      float[] acc,
      int accOff) {
    for (int i = 0; i < DOT_TILE; i++) {
      for (int j = 0; j < DOT_TILE; j++) {
        float sum = acc[accOff + i * DOT_TILE + j];
        for (int m = 0; m < images; m++) {
          int ar = aOff + m * aImageStride + i * lda;
          int br = bRows[bRow0 + j] + m * bImageStride;
          for (int p = 0; p < len; p++) {
            sum += a[ar + p] * b[br + p];
          }
        }
        acc[accOff + i * DOT_TILE + j] = sum;
      }
    }
  }
}
