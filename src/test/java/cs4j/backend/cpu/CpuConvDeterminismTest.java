package cs4j.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import cs4j.backend.ConvGeometry;
import cs4j.tensor.Rng;
import org.junit.jupiter.api.Test;

/**
 * Bitwise reproducibility of the fast convolution: forward and backward data give identical bits
 * for any thread count (each image is computed by one thread with one fixed GEMM); backward weight
 * sums per-chunk partials in chunk order, so it is identical run to run for a fixed thread count.
 */
class CpuConvDeterminismTest {
  private static final ConvGeometry G = ConvGeometry.square(6, 16, 16, 16, 3, 1, 1);
  private static final ConvGeometry G_STRIDE2 = ConvGeometry.square(5, 16, 16, 16, 3, 2, 1);
  private static final int K = 32;

  @Test
  void forwardAndBackwardDataAreIdenticalForOneAndTwoThreads() {
    for (ConvGeometry g : new ConvGeometry[] {G, G_STRIDE2}) {
      Rng rng = new Rng(9);
      float[] x = KernelFixtures.uniform(rng, g.n() * g.c() * g.h() * g.w());
      float[] w = KernelFixtures.uniform(rng, K * g.c() * g.r() * g.s());
      float[] dY = KernelFixtures.uniform(rng, g.n() * K * g.p() * g.q());
      float[][] y = new float[2][dY.length];
      float[][] dX = new float[2][x.length];
      for (int t = 0; t < 2; t++) {
        try (ParallelFor par = new ParallelFor(t + 1)) {
          CpuConv conv = new CpuConv(par, new CpuGemm(par));
          conv.forward(x, w, y[t], g);
          conv.backwardData(dY, w, dX[t], g);
        }
      }
      assertArrayEquals(y[0], y[1], "conv forward, 1 vs 2 threads, " + g);
      assertArrayEquals(dX[0], dX[1], "conv backward data, 1 vs 2 threads, " + g);
    }
  }

  @Test
  void repeatedCallsGiveIdenticalBits() {
    Rng rng = new Rng(10);
    float[] x = KernelFixtures.uniform(rng, G.n() * G.c() * G.h() * G.w());
    float[] w = KernelFixtures.uniform(rng, K * G.c() * G.r() * G.s());
    float[] dY = KernelFixtures.uniform(rng, G.n() * K * G.p() * G.q());
    try (ParallelFor par = new ParallelFor(2)) {
      CpuConv conv = new CpuConv(par, new CpuGemm(par));
      float[] y1 = new float[dY.length];
      float[] y2 = new float[dY.length];
      float[] dW1 = new float[w.length];
      float[] dW2 = new float[w.length];
      conv.forward(x, w, y1, G);
      conv.backwardWeight(x, dY, dW1, G);
      conv.forward(x, w, y2, G);
      conv.backwardWeight(x, dY, dW2, G);
      assertArrayEquals(y1, y2, "conv forward, two calls");
      assertArrayEquals(dW1, dW2, "conv backward weight, two calls with 2 threads");
    }
  }
}
