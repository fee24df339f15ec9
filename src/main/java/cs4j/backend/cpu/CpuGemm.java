package cs4j.backend.cpu;

/**
 * Single-precision GEMM on the heap: C [M, N] = alpha·op(A)·op(B) + beta·C, row-major, with offsets
 * into the arrays so that convolution can multiply slices without copying.
 *
 * <p>Rows of C are split over the worker threads; each C element is produced by one thread in a
 * fixed order, so results do not depend on the thread count.
 */
final class CpuGemm {
  private final ParallelFor par;

  CpuGemm(ParallelFor par) {
    this.par = par;
  }

  void gemm(
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
    long flops = 2L * m * n * k;
    int grain = (int) Math.max(1, Math.min(m, (1L << 18) * m / Math.max(1, flops)));
    par.run(
        m,
        grain,
        (ch, lo, hi) -> {
          float[] row = new float[n];
          for (int i = lo; i < hi; i++) {
            java.util.Arrays.fill(row, 0f);
            for (int p = 0; p < k; p++) {
              float av = transA ? a[aOff + p * m + i] : a[aOff + i * k + p];
              if (av == 0f) {
                continue;
              }
              if (transB) {
                for (int j = 0; j < n; j++) {
                  row[j] += av * b[bOff + j * k + p];
                }
              } else {
                int bb = bOff + p * n;
                for (int j = 0; j < n; j++) {
                  row[j] += av * b[bb + j];
                }
              }
            }
            int cc = cOff + i * n;
            if (beta == 0f) {
              for (int j = 0; j < n; j++) {
                c[cc + j] = alpha * row[j];
              }
            } else {
              for (int j = 0; j < n; j++) {
                c[cc + j] = alpha * row[j] + beta * c[cc + j];
              }
            }
          }
        });
  }
}
