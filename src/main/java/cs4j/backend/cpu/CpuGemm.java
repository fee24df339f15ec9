package cs4j.backend.cpu;

/**
 * Blocked single-precision GEMM on the heap: C [M, N] = alpha·op(A)·op(B) + beta·C, row-major.
 *
 * <p>Goto-style blocking: op(A) is packed once per call into panels of {@code mr} rows (for every
 * depth block of {@link #KC}); for each block of {@code nc} columns and {@code KC} depth, op(B) is
 * packed into panels of {@code nr} columns (per-thread scratch, reused), and the {@link GemmKernel}
 * computes {@code mr × nr} tiles of C, walking {@code mc} rows at a time so that the A block stays
 * in L2 and one B panel in L1. Transposes are handled by the packing only.
 *
 * <p>Parallel calls split C into column (or row) ranges of whole tiles; every C element is computed
 * by one thread with the same depth blocking and the same sequential sum, so results are
 * bit-identical for any thread count.
 *
 * <p>The kernel uses jdk.incubator.vector when the JVM was started with {@code --add-modules
 * jdk.incubator.vector} (about 15× faster here, see benchmarks/RESULTS.md); otherwise a plain-Java
 * kernel runs; {@link VectorKernels} chooses ({@code -Dcs4j.vector=false} forces the plain kernel).
 */
final class CpuGemm {
  /** Depth of one packed block: an A panel (mr × KC) and a B panel (KC × nr) fit in L1. */
  static final int KC = 256;

  /** Below this many flops per chunk a parallel GEMM gives up splitting further. */
  private static final long MIN_FLOPS_PER_CHUNK = 1L << 21;

  private final ParallelFor par;
  private final GemmKernel kernel;
  private final int mr;
  private final int nr;
  private final int mc;
  private final int nc;

  CpuGemm(ParallelFor par) {
    this(par, defaultKernel());
  }

  CpuGemm(ParallelFor par, GemmKernel kernel) {
    this.par = par;
    this.kernel = kernel;
    this.mr = kernel.mr();
    this.nr = kernel.nr();
    this.mc = mr * Math.max(1, 96 / mr);
    this.nc = nr * Math.max(1, 1024 / nr);
  }

  /** The vector kernel when {@link VectorKernels} allows it, else the scalar one. */
  static GemmKernel defaultKernel() {
    return VectorKernels.choose(GemmKernel.class, "VectorGemmKernel", ScalarGemmKernel::new);
  }

  GemmKernel kernel() {
    return kernel;
  }

  /** The Backend.gemm contract, split over the worker threads. */
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
    if (m <= 0 || n <= 0) {
      return;
    }
    GemmOperand opA =
        transA
            ? DenseOperand.outerContiguous(a, aOff, m)
            : DenseOperand.depthContiguous(a, aOff, k);
    GemmOperand opB =
        transB
            ? DenseOperand.depthContiguous(b, bOff, k)
            : DenseOperand.outerContiguous(b, bOff, n);
    int groups = (m + mr - 1) / mr;
    int panels = (n + nr - 1) / nr;
    float[] ap = ThreadScratch.get(ThreadScratch.Slot.SHARED_A, packedSize(m, k));
    par.run(
        groups,
        grain(groups, (long) groups * mr * k * 64),
        (ch, lo, hi) -> packA(opA, m, k, ap, lo, hi));
    long flops = 2L * m * n * k;
    if (panels >= groups) {
      par.run(
          panels,
          grain(panels, flops),
          (ch, lo, hi) ->
              multiplyPacked(
                  ap, m, 0, m, opB, lo * nr, Math.min(n, hi * nr), k, alpha, beta, c, cOff, n));
    } else {
      par.run(
          groups,
          grain(groups, flops),
          (ch, lo, hi) ->
              multiplyPacked(
                  ap, m, lo * mr, Math.min(m, hi * mr), opB, 0, n, k, alpha, beta, c, cOff, n));
    }
  }

  /** Fewest work units per chunk so that a chunk holds at least MIN_FLOPS_PER_CHUNK. */
  private static int grain(int units, long flops) {
    return (int) Math.max(1, Math.min(units, units * MIN_FLOPS_PER_CHUNK / Math.max(1, flops)));
  }

  /** Floats needed to hold op(A) [m, depth] packed by {@link #packA}. */
  int packedSize(int m, int depth) {
    return (m + mr - 1) / mr * mr * depth;
  }

  /**
   * Packs op(A) [m, depth] into {@code dst} for all depth blocks, layout [depth block][mr-row
   * panel][kc][mr], i.e. the panel of rows i.. (i a multiple of mr) for the block starting at depth
   * d0 lies at {@code d0·⌈m/mr⌉·mr + i·kc}. Only the panels [g0, g1) are written.
   */
  void packA(GemmOperand a, int m, int depth, float[] dst, int g0, int g1) {
    int mPad = (m + mr - 1) / mr * mr;
    int rows = Math.min(m, g1 * mr) - g0 * mr;
    for (int d0 = 0; d0 < depth; d0 += KC) {
      int kc = Math.min(KC, depth - d0);
      a.pack(g0 * mr, rows, d0, kc, mr, dst, d0 * mPad + g0 * mr * kc);
    }
  }

  /**
   * Packs all of op(A) [m, depth]; see {@link #packA(GemmOperand, int, int, float[], int, int)}.
   */
  void packA(GemmOperand a, int m, int depth, float[] dst) {
    packA(a, m, depth, dst, 0, (m + mr - 1) / mr);
  }

  /**
   * Single-threaded: C[m0..m1, n0..n1] = alpha·op(A)·op(B) + beta·C with C[i, j] at {@code c[cOff +
   * i·ldc + j]}, op(A) [m, depth] already packed by {@link #packA} and m0 a multiple of mr.
   */
  void multiplyPacked(
      float[] ap,
      int m,
      int m0,
      int m1,
      GemmOperand b,
      int n0,
      int n1,
      int depth,
      float alpha,
      float beta,
      float[] c,
      int cOff,
      int ldc) {
    if (depth == 0) {
      scale(beta, c, cOff, ldc, m0, m1, n0, n1);
      return;
    }
    int mPad = (m + mr - 1) / mr * mr;
    int ncMax = Math.min(nc, n1 - n0);
    float[] bp =
        ThreadScratch.get(
            ThreadScratch.Slot.LOCAL_B, (ncMax + nr - 1) / nr * nr * Math.min(KC, depth));
    for (int j0 = n0; j0 < n1; j0 += nc) {
      int ncb = Math.min(nc, n1 - j0);
      for (int d0 = 0; d0 < depth; d0 += KC) {
        int kc = Math.min(KC, depth - d0);
        b.pack(j0, ncb, d0, kc, nr, bp, 0);
        float blockBeta = d0 == 0 ? beta : 1f;
        int aBlock = d0 * mPad;
        for (int i0 = m0; i0 < m1; i0 += mc) {
          int mcb = Math.min(mc, m1 - i0);
          for (int jr = 0; jr < ncb; jr += nr) {
            int cols = Math.min(nr, ncb - jr);
            for (int ir = 0; ir < mcb; ir += mr) {
              kernel.tile(
                  kc,
                  ap,
                  aBlock + (i0 + ir) * kc,
                  bp,
                  jr * kc,
                  alpha,
                  blockBeta,
                  c,
                  cOff + (i0 + ir) * ldc + j0 + jr,
                  ldc,
                  Math.min(mr, mcb - ir),
                  cols);
            }
          }
        }
      }
    }
  }

  /** Single-threaded C [m, n] = alpha·op(A)·op(B) + beta·C, packing op(A) into thread scratch. */
  void multiply(
      GemmOperand a,
      GemmOperand b,
      int m,
      int n,
      int depth,
      float alpha,
      float beta,
      float[] c,
      int cOff,
      int ldc) {
    float[] ap = ThreadScratch.get(ThreadScratch.Slot.LOCAL_A, packedSize(m, depth));
    packA(a, m, depth, ap);
    multiplyPacked(ap, m, 0, m, b, 0, n, depth, alpha, beta, c, cOff, ldc);
  }

  /** C = beta·C on a block (an empty sum); beta 0 clears without reading. */
  private static void scale(
      float beta, float[] c, int cOff, int ldc, int m0, int m1, int n0, int n1) {
    for (int i = m0; i < m1; i++) {
      for (int j = cOff + i * ldc + n0; j < cOff + i * ldc + n1; j++) {
        c[j] = beta == 0f ? 0f : beta * c[j];
      }
    }
  }
}
