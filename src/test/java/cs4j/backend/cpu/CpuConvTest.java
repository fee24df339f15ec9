package cs4j.backend.cpu;

import cs4j.backend.ConvGeometry;
import cs4j.tensor.Rng;
import cs4j.testing.TensorAssert;
import org.junit.jupiter.api.Test;

/**
 * Fast im2col/GEMM convolution against the direct loops of {@link CpuReference}, for forward,
 * backward data and backward weight. Inputs are uniform in [-1, 1); each output is a sum of L
 * products (L = C·R·S forward, K·R·S backward data, N·P·Q backward weight), compared with rtol 1e-4
 * and atol 1e-5·L, far below the O(1) error of an indexing mistake.
 */
class CpuConvTest {
  /** Geometry and output channels K; K, C are deliberately not multiples of the tile sizes. */
  private record Case(ConvGeometry g, int k) {}

  private static final Case[] CASES = {
    new Case(ConvGeometry.square(2, 3, 8, 8, 3, 1, 1), 5),
    new Case(new ConvGeometry(2, 5, 7, 9, 3, 3, 2, 2, 1, 1), 11),
    new Case(ConvGeometry.square(1, 4, 6, 5, 5, 1, 2), 13),
    new Case(ConvGeometry.square(3, 7, 9, 6, 1, 2, 0), 9),
    new Case(ConvGeometry.square(2, 6, 5, 7, 3, 1, 0), 3),
    new Case(new ConvGeometry(2, 3, 10, 7, 3, 5, 2, 1, 1, 2), 7),
    new Case(ConvGeometry.square(2, 2, 3, 3, 5, 1, 2), 4),
    new Case(ConvGeometry.square(1, 2, 1, 1, 3, 2, 1), 3),
    // stride 1 with padding ≥ the kernel size: backward data cannot run as a forward convolution
    new Case(ConvGeometry.square(2, 3, 5, 4, 1, 1, 1), 6),
    // C·R·S = 279 > one depth block; P·Q = 63, so depth blocks straddle images in backward weight
    new Case(ConvGeometry.square(5, 31, 9, 7, 3, 1, 1), 10),
    // ~50k floats per padded image: backward weight works through blocks of 2 images, the last
    // block partial
    new Case(ConvGeometry.square(3, 40, 32, 32, 3, 1, 1), 4),
    // P·Q = 1600 > one column block
    new Case(ConvGeometry.square(1, 2, 40, 40, 3, 1, 1), 3),
    // small maps (P·Q ≤ 64: ChannelVectorGradient) over several groups, K past one channel block,
    // C·R·S not a multiple of the tap block
    new Case(ConvGeometry.square(9, 37, 4, 4, 3, 1, 1), 37),
    new Case(new ConvGeometry(6, 21, 7, 5, 3, 2, 2, 1, 1, 0), 40),
    // a larger map with many output channels: ChannelVectorGradient for every kernel
    new Case(ConvGeometry.square(2, 3, 9, 9, 3, 1, 1), 260),
    // a small map with a wide input: the forward pass (along channels, skipping padding taps) runs
    // groups of 13 images, the last of 2; the weight gradient groups of 4, the last of 3
    new Case(ConvGeometry.square(15, 600, 4, 4, 3, 1, 1), 5),
    // output rows of whole column tiles (Q = 64, a multiple of every kernel's nr): the forward
    // pass stores them in place, with no junk columns
    new Case(ConvGeometry.square(2, 3, 64, 64, 3, 1, 1), 9),
    // a 16×16 map whose 32 output channels fill a vector: ChannelVectorGradient with the vector
    // kernel (WeightGradient.MID_MAP_PIXELS)
    new Case(ConvGeometry.square(2, 5, 16, 16, 3, 1, 1), 32),
    // a ResNet-20 stage-2 entry (stride 2) at a small batch
    new Case(ConvGeometry.square(3, 16, 16, 16, 3, 2, 1), 32)
  };

  @Test
  void matchesDirectConvolutionForVariedGeometries() {
    for (int threads : new int[] {1, 3}) {
      try (ParallelFor par = new ParallelFor(threads)) {
        for (GemmKernel kernel : KernelFixtures.kernels()) {
          CpuConv conv = new CpuConv(par, new CpuGemm(par, kernel));
          Rng rng = new Rng(5);
          for (Case c : CASES) {
            check(conv, rng, c, kernel.name() + ", " + threads + " threads");
          }
        }
      }
    }
  }

  private static void check(CpuConv conv, Rng rng, Case cs, String how) {
    ConvGeometry g = cs.g();
    int k = cs.k();
    int rs = g.r() * g.s();
    float[] x = KernelFixtures.uniform(rng, g.n() * g.c() * g.h() * g.w());
    float[] w = KernelFixtures.uniform(rng, k * g.c() * rs);
    float[] dY = KernelFixtures.uniform(rng, g.n() * k * g.p() * g.q());
    String what = g + " K=" + k + " [" + how + "]";

    float[] y = KernelFixtures.uniform(rng, dY.length); // stale contents must be overwritten
    float[] yRef = new float[dY.length];
    conv.forward(x, w, y, g);
    CpuReference.convForward(x, w, yRef, g);
    TensorAssert.assertClose(yRef, y, 1e-4, 1e-5 * g.c() * rs, "conv forward " + what);

    float[] dX = KernelFixtures.uniform(rng, x.length); // stale contents must be overwritten
    float[] dXRef = new float[x.length];
    conv.backwardData(dY, w, dX, g);
    CpuReference.convBackwardData(dY, w, dXRef, g);
    TensorAssert.assertClose(dXRef, dX, 1e-4, 1e-5 * k * rs, "conv backward data " + what);

    float[] dW = KernelFixtures.uniform(rng, w.length);
    float[] dWRef = new float[w.length];
    conv.backwardWeight(x, dY, dW, g);
    CpuReference.convBackwardWeight(x, dY, dWRef, g);
    TensorAssert.assertClose(
        dWRef, dW, 1e-4, 1e-5 * g.n() * g.p() * g.q(), "conv backward weight " + what);
  }
}
