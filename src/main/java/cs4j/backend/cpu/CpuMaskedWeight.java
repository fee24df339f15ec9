package cs4j.backend.cpu;

/**
 * The fused Continuous Sparsification mask, one pass over memory each way. Forward reads w and s
 * and writes wEff (12 bytes per element); backward reads w, s and g and writes dW and dS (20 bytes
 * per element), recomputing σ(β·s) rather than storing it.
 *
 * <p>σ comes from {@link FastSigmoid} (stated accuracy there), lane-wise in {@link
 * VectorMaskedWeightKernel} when the JVM runs with {@code --add-modules jdk.incubator.vector}, else
 * element by element in {@link ScalarMaskedWeightKernel}; the system property {@code
 * cs4j.vector=false} forces the scalar path. The penalty is summed in double per block of {@link
 * CpuBackend#GRAIN} elements and the block sums are added in block order, so it is identical for
 * any thread count.
 */
final class CpuMaskedWeight {
  private CpuMaskedWeight() {}

  /** The kernel every CpuBackend uses, chosen once. */
  static final MaskedWeightKernel KERNEL = fastestKernel();

  /** wEff = w ⊙ c·σ(β·s); returns the penalty λ·Σ c·σ(β·s). */
  static float forward(
      ParallelFor par, float[] w, float[] s, float beta, float c, float lambda, float[] wEff) {
    return forward(KERNEL, par, w, s, beta, c, lambda, wEff);
  }

  static float forward(
      MaskedWeightKernel kernel,
      ParallelFor par,
      float[] w,
      float[] s,
      float beta,
      float c,
      float lambda,
      float[] wEff) {
    double[] partial = new double[ParallelFor.blocks(w.length, CpuBackend.GRAIN)];
    par.runBlocks(
        w.length,
        CpuBackend.GRAIN,
        (b, lo, hi) -> partial[b] = kernel.forward(w, s, beta, c, wEff, lo, hi));
    double total = 0;
    for (double p : partial) {
      total += p;
    }
    return (float) (lambda * total);
  }

  /** dW = g ⊙ c·σ; dS = (g ⊙ w + λ·p) ⊙ c·β·σ(1 − σ). */
  static void backward(
      ParallelFor par,
      float[] w,
      float[] s,
      float[] g,
      float p,
      float beta,
      float c,
      float lambda,
      float[] dW,
      float[] dS) {
    backward(KERNEL, par, w, s, g, p, beta, c, lambda, dW, dS);
  }

  static void backward(
      MaskedWeightKernel kernel,
      ParallelFor par,
      float[] w,
      float[] s,
      float[] g,
      float p,
      float beta,
      float c,
      float lambda,
      float[] dW,
      float[] dS) {
    float lambdaP = lambda * p;
    par.run(
        w.length,
        CpuBackend.GRAIN,
        (ch, lo, hi) -> kernel.backward(w, s, g, lambdaP, beta, c, dW, dS, lo, hi));
  }

  /** The vector kernel when {@link VectorKernels} allows it, else the scalar one (same values). */
  static MaskedWeightKernel fastestKernel() {
    return VectorKernels.choose(
        MaskedWeightKernel.class, "VectorMaskedWeightKernel", ScalarMaskedWeightKernel::new);
  }
}
