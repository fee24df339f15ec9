package cs4j.backend.cpu;

/**
 * One range [lo, hi) of the fused CS masked-weight kernels, with σ = σ(β·s) from {@link
 * FastSigmoid}. {@link CpuMaskedWeight} splits the arrays over threads and picks the
 * implementation: {@link VectorMaskedWeightKernel} where the Vector API is present, else {@link
 * ScalarMaskedWeightKernel}. Both give bit-identical wEff, dW and dS; penalty sums may differ in
 * the last bits (different summation order).
 */
interface MaskedWeightKernel {

  /** wEff = w ⊙ c·σ on [lo, hi); returns Σ c·σ over the range, in a fixed order. */
  double forward(float[] w, float[] s, float beta, float c, float[] wEff, int lo, int hi);

  /**
   * dW = g ⊙ c·σ and dS = (g ⊙ w + λp) ⊙ c·β·σ' on [lo, hi), where λp = lambda·dPenalty is passed
   * premultiplied.
   */
  void backward(
      float[] w,
      float[] s,
      float[] g,
      float lambdaP,
      float beta,
      float c,
      float[] dW,
      float[] dS,
      int lo,
      int hi);

  /** A short name for logs and benchmark reports. */
  String name();
}
