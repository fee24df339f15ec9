package cs4j.backend.cpu;

/**
 * σ(x) = 1/(1 + e) with e = exp(−x), and its slope σ'(x) = σ(1 − σ) = e·σ², from a polynomial exp
 * rather than {@link Math#exp}, so that the same arithmetic can run lane-wise in {@link
 * VectorMaskedWeightKernel}. Every step is a plain IEEE float operation (no FMA), so the scalar and
 * the vector kernels give bit-identical σ and σ'.
 *
 * <p>exp(u), |u| ≤ 87: k = round(u·log₂e) (by the 1.5·2²³ rounding trick), r = u − k·ln2 (ln2 in
 * two parts, Cody–Waite), e = 2^k · p(r) with the Cephes expf polynomial for e^r on [−ln2/2,
 * ln2/2]; 2^k is built from the exponent bits.
 *
 * <p>Saturation: for x > {@link #SATURATION}, e := 0, so σ = 1 exactly and σ' = 0; for x < −{@link
 * #SATURATION}, σ := 0 and σ' = 0 (the exact values are below 1.7·10⁻³⁸, under float's smallest
 * normal, so nothing denormal is produced). NaN propagates.
 *
 * <p>Accuracy (MaskedWeightKernelTest sweeps it): for |x| ≤ 87, |σ̂ − σ| ≤ 2⁻²¹·σ and |σ̂' − σ'| ≤
 * 2⁻²⁰·σ' against exact double arithmetic; beyond, the absolute error is below 2⁻¹²⁵. Using e·σ²
 * for the slope keeps its relative accuracy where σ rounds to 1 (σ(1 − σ) would give 0 there).
 */
final class FastSigmoid {
  private FastSigmoid() {}

  /** |x| above which σ is saturated to exactly 0 or 1 (and σ' to 0). */
  static final float SATURATION = 87f;

  static final float LOG2E = 1.44269504f;

  /** 1.5·2²³: adding it rounds a float of magnitude < 2²² to an integer, kept in the low bits. */
  static final float ROUNDER = 12582912f;

  /** ln2 = LN2_HI + LN2_LO; LN2_HI has 9 significant bits, so k·LN2_HI is exact for |k| ≤ 127. */
  static final float LN2_HI = 0.693359375f;

  static final float LN2_LO = -2.12194440e-4f;

  /** Cephes expf: e^r ≈ 1 + r + r²·(P0 + P1·r + … + P5·r⁵). */
  static final float P0 = 5.0000001201e-1f;

  static final float P1 = 1.6666665459e-1f;
  static final float P2 = 4.1665795894e-2f;
  static final float P3 = 8.3334519073e-3f;
  static final float P4 = 1.3981999507e-3f;
  static final float P5 = 1.9875691500e-4f;

  /** Float exponent bias: 2^k has the bits (k + 127) << 23. */
  static final int EXPONENT_BIAS = 127;

  /**
   * e = exp(−x) for |x| ≤ SATURATION; 0 above (σ = 1); 1 below −SATURATION, a finite placeholder
   * that {@link #sigmoid(float, float)} overrides with 0.
   */
  static float expNeg(float x) {
    if (x > SATURATION) {
      return 0f;
    }
    float u = x < -SATURATION ? 0f : -x;
    float y = u * LOG2E + ROUNDER;
    float k = y - ROUNDER;
    float r = u - k * LN2_HI - k * LN2_LO;
    float p = P5 * r + P4;
    p = p * r + P3;
    p = p * r + P2;
    p = p * r + P1;
    p = p * r + P0;
    p = p * (r * r) + r + 1f;
    return p * Float.intBitsToFloat((Float.floatToRawIntBits(y) + EXPONENT_BIAS) << 23);
  }

  /** σ(x) from e = {@link #expNeg}(x). */
  static float sigmoid(float x, float e) {
    return x < -SATURATION ? 0f : 1f / (1f + e);
  }

  /** σ'(x) = e·σ² from e = {@link #expNeg}(x) and σ = {@link #sigmoid(float, float)}. */
  static float slope(float e, float sigmoid) {
    return e * sigmoid * sigmoid;
  }

  static float sigmoid(float x) {
    return sigmoid(x, expNeg(x));
  }

  static float slope(float x) {
    float e = expNeg(x);
    return slope(e, sigmoid(x, e));
  }
}
