package cs4j.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cs4j.tensor.Rng;
import cs4j.testing.TensorAssert;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The blocked GEMM against {@link CpuReference#gemm} (double accumulation). Inputs are uniform in
 * [-1, 1), so a float sum over k terms is off by at most a few ulps per term: tolerance rtol 1e-4
 * plus atol 1e-5·(|alpha|·k + |beta|), far below the O(1) error of any indexing mistake.
 */
class CpuGemmTest {
  /** {m, n, k}: ones, primes, tile edges (mr 4/8, nr 16/32) and sizes past every block. */
  private static final int[][] SHAPES = {
    {1, 1, 1},
    {1, 7, 13},
    {13, 1, 7},
    {7, 13, 1},
    {3, 5, 2},
    {8, 32, 16},
    {9, 33, 17},
    {17, 31, 19},
    {97, 41, 53},
    {31, 67, 257},
    {101, 5, 300},
    {5, 1100, 20}
  };

  /** {alpha, beta}: plain product, general scaling, accumulation. */
  private static final float[][] SCALES = {{1f, 0f}, {-1.5f, 0.5f}, {0.5f, 1f}};

  @Test
  void matchesReferenceForAllShapesTransposesAndScales() {
    try (ParallelFor par = new ParallelFor(2)) {
      for (GemmKernel kernel : KernelFixtures.kernels()) {
        CpuGemm gemm = new CpuGemm(par, kernel);
        Rng rng = new Rng(7);
        for (int[] shape : SHAPES) {
          for (int t = 0; t < 4; t++) {
            for (float[] scale : SCALES) {
              check(gemm, rng, shape[0], shape[1], shape[2], (t & 1) != 0, (t & 2) != 0, scale);
            }
          }
        }
      }
    }
  }

  @Test
  void matchesReferenceWhenMTallerThanOneRowBlockAndDepthSpansBlocks() {
    try (ParallelFor par = new ParallelFor(3)) {
      for (GemmKernel kernel : KernelFixtures.kernels()) {
        Rng rng = new Rng(11);
        check(new CpuGemm(par, kernel), rng, 211, 45, 530, false, true, new float[] {1f, 0f});
        check(new CpuGemm(par, kernel), rng, 70, 300, 260, true, false, new float[] {2f, -1f});
      }
    }
  }

  @Test
  void emptyDepthScalesC() {
    try (ParallelFor par = new ParallelFor(1)) {
      CpuGemm gemm = new CpuGemm(par);
      float[] c = {1f, 2f, 3f, 4f};
      gemm.gemm(false, false, 2, 2, 0, 1f, new float[0], 0, new float[0], 0, 0.5f, c, 0);
      assertArrayEquals(new float[] {0.5f, 1f, 1.5f, 2f}, c, "beta·C with k = 0");
    }
  }

  @Test
  void resultIsBitIdenticalForOneAndTwoThreads() {
    Rng rng = new Rng(3);
    int m = 150;
    int n = 700;
    int k = 300;
    float[] a = KernelFixtures.uniform(rng, m * k);
    float[] b = KernelFixtures.uniform(rng, k * n);
    float[] one = new float[m * n];
    float[] two = new float[m * n];
    try (ParallelFor p1 = new ParallelFor(1);
        ParallelFor p2 = new ParallelFor(2)) {
      new CpuGemm(p1).gemm(false, false, m, n, k, 1f, a, 0, b, 0, 0f, one, 0);
      new CpuGemm(p2).gemm(false, false, m, n, k, 1f, a, 0, b, 0, 0f, two, 0);
      assertArrayEquals(one, two, "gemm 150x700x300, 1 vs 2 threads");
      // and the tall case, split over rows
      float[] tallOne = new float[n * m];
      float[] tallTwo = new float[n * m];
      new CpuGemm(p1).gemm(true, true, n, m, k, 1f, b, 0, a, 0, 0f, tallOne, 0);
      new CpuGemm(p2).gemm(true, true, n, m, k, 1f, b, 0, a, 0, 0f, tallTwo, 0);
      assertArrayEquals(tallOne, tallTwo, "gemm 700x150x300 (Bᵀ·Aᵀ), 1 vs 2 threads");
    }
  }

  private static void check(
      CpuGemm gemm, Rng rng, int m, int n, int k, boolean transA, boolean transB, float[] scale) {
    float alpha = scale[0];
    float beta = scale[1];
    // an offset into each array checks that aOff/bOff/cOff are honoured
    float[] a = KernelFixtures.uniform(rng, 3 + m * k);
    float[] b = KernelFixtures.uniform(rng, 5 + k * n);
    float[] c0 = KernelFixtures.uniform(rng, 2 + m * n);
    if (beta == 0f) {
      Arrays.fill(c0, 2, c0.length, Float.NaN); // must not be read
    }
    float[] expected = c0.clone();
    float[] actual = c0.clone();
    CpuReference.gemm(transA, transB, m, n, k, alpha, a, 3, b, 5, beta, expected, 2);
    gemm.gemm(transA, transB, m, n, k, alpha, a, 3, b, 5, beta, actual, 2);
    String what =
        String.format(
            "gemm[%s] m=%d n=%d k=%d transA=%b transB=%b alpha=%s beta=%s",
            gemm.kernel().name(), m, n, k, transA, transB, alpha, beta);
    assertTrue(Float.isFinite(actual[2]), what + ": C[0] is finite");
    TensorAssert.assertClose(
        expected, actual, 1e-4, 1e-5 * (Math.abs(alpha) * k + Math.abs(beta)), what);
  }
}
