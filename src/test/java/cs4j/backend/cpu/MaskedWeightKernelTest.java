package cs4j.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import cs4j.tensor.Rng;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fused masked-weight kernels (scalar and, where the Vector API is present, vector) against a
 * double-precision loop of the exact formulas, and {@link FastSigmoid} against exact σ.
 *
 * <p>Tolerances: σ relative 2⁻²¹ and σ' relative 2⁻²⁰ for |x| ≤ 87 (FastSigmoid's stated bound);
 * the outputs add two float roundings, so wEff and dW are checked at relative 2⁻²⁰, dS at 2⁻¹⁹
 * relative to (|g·w| + |λp|)·cβσ' (g·w + λp may cancel), each plus an absolute 10⁻³⁰ that only
 * matters where σ is saturated (exact value below 1.7·10⁻³⁸); the penalty at relative 4·10⁻⁶ (float
 * partial sums of at most 32 terms).
 */
class MaskedWeightKernelTest {
  private static final double OUT_RTOL = 0x1p-20;
  private static final double DS_RTOL = 0x1p-19;
  private static final double ATOL = 1e-30;
  private static final double PENALTY_RTOL = 4e-6;

  private static ParallelFor par;

  @BeforeAll
  static void startThreads() {
    par = new ParallelFor(2);
  }

  @AfterAll
  static void stopThreads() {
    par.close();
  }

  private static List<MaskedWeightKernel> kernels() {
    List<MaskedWeightKernel> list = new ArrayList<>();
    list.add(new ScalarMaskedWeightKernel());
    MaskedWeightKernel fastest = CpuMaskedWeight.fastestKernel();
    if (!(fastest instanceof ScalarMaskedWeightKernel)) {
      list.add(fastest);
    }
    return list;
  }

  /** w, g ~ U(−1, 1); s ~ U(−2, 2) with every 7th entry pushed far beyond saturation (±∞ too). */
  private static float[][] inputs(int n, float beta, long seed) {
    Rng rng = new Rng(seed);
    float[] w = new float[n];
    float[] s = new float[n];
    float[] g = new float[n];
    for (int i = 0; i < n; i++) {
      w[i] = 2 * rng.nextFloat() - 1;
      g[i] = 2 * rng.nextFloat() - 1;
      s[i] = 4 * rng.nextFloat() - 2;
      if (i % 7 == 3) {
        float far = (90f + 1000f * rng.nextFloat()) / beta;
        s[i] = rng.nextFloat() < 0.5f ? -far : far;
      }
      if (i % 97 == 5) {
        s[i] = (i & 1) == 0 ? Float.MAX_VALUE : Float.NEGATIVE_INFINITY;
      }
      if (i % 89 == 7) {
        s[i] = ((i & 2) == 0 ? 87f : -87f) / beta; // at the saturation threshold
      }
    }
    return new float[][] {w, s, g};
  }

  private static double sigma(double x) {
    return 1 / (1 + Math.exp(-x));
  }

  /** σ'(x) = e/(1 + e)² with e = exp(−|x|) (even function), in double. */
  private static double slope(double x) {
    double e = Math.exp(-Math.abs(x));
    return e / ((1 + e) * (1 + e));
  }

  @Test
  void fusedKernelsMatchDoubleReference() {
    for (MaskedWeightKernel kernel : kernels()) {
      for (float beta : new float[] {1f, 5f, 200f}) {
        for (float c : new float[] {1f, 2f}) {
          for (float lambda : new float[] {0f, 1e-8f, 0.5f}) {
            for (int n : new int[] {1, 7, 1000, (1 << 16) + 3}) {
              checkAgainstReference(kernel, n, beta, c, lambda);
            }
          }
        }
      }
    }
  }

  private static void checkAgainstReference(
      MaskedWeightKernel kernel, int n, float beta, float c, float lambda) {
    String what =
        String.format("%s n=%d beta=%s c=%s lambda=%s", kernel.name(), n, beta, c, lambda);
    float[][] in = inputs(n, beta, 1234 + n);
    float[] w = in[0];
    float[] s = in[1];
    float[] g = in[2];
    float p = 0.75f; // upstream gradient of the penalty
    float[] wEff = new float[n];
    float[] dW = new float[n];
    float[] dS = new float[n];
    float penalty = CpuMaskedWeight.forward(kernel, par, w, s, beta, c, lambda, wEff);
    CpuMaskedWeight.backward(kernel, par, w, s, g, p, beta, c, lambda, dW, dS);

    double sum = 0;
    for (int i = 0; i < n; i++) {
      double x = (double) beta * s[i];
      double m = c * sigma(x);
      sum += m;
      double gw = (double) g[i] * w[i];
      double lp = (double) lambda * p;
      double ds = (gw + lp) * c * beta * slope(x);
      double dsScale = (Math.abs(gw) + Math.abs(lp)) * c * beta * slope(x);
      // relative, from x = β·s rounded to float; beyond |x| = 87 only ATOL matters
      double rounding = Math.min(Math.abs(x), 100) * 0x1p-24;
      double outRtol = OUT_RTOL + rounding;
      within(w[i] * m, Math.abs(w[i] * m), wEff[i], outRtol, what, "wEff", i, s[i]);
      within(g[i] * m, Math.abs(g[i] * m), dW[i], outRtol, what, "dW", i, s[i]);
      within(ds, dsScale, dS[i], DS_RTOL + 2 * rounding, what, "dS", i, s[i]);
    }
    double expected = lambda * sum;
    assertTrue(
        Math.abs(penalty - expected) <= PENALTY_RTOL * expected,
        what + ": penalty " + penalty + ", expected " + expected);
  }

  private static void within(
      double expected,
      double scale,
      float actual,
      double rtol,
      String what,
      String output,
      int index,
      float s) {
    double tol = rtol * scale + ATOL;
    if (!(Math.abs(actual - expected) <= tol)) {
      fail(
          String.format(
              "%s %s: first mismatch at index %d (s=%s): expected %s, actual %s (|diff| %.3g > tol"
                  + " %.3g)",
              what, output, index, s, expected, actual, Math.abs(actual - expected), tol));
    }
  }

  @Test
  void saturatedElementsAreExactZeroOrOneAndFinite() {
    float[] s = {
      88f,
      1e4f,
      Float.MAX_VALUE,
      Float.POSITIVE_INFINITY,
      -88f,
      -1e4f,
      -Float.MAX_VALUE,
      Float.NEGATIVE_INFINITY,
      0f,
      -0f
    };
    float[] w = new float[s.length];
    float[] g = new float[s.length];
    Arrays.fill(w, 1f);
    Arrays.fill(g, 1f);
    for (MaskedWeightKernel kernel : kernels()) {
      float[] wEff = new float[s.length];
      float[] dW = new float[s.length];
      float[] dS = new float[s.length];
      CpuMaskedWeight.forward(kernel, par, w, s, 1f, 1f, 0.5f, wEff);
      CpuMaskedWeight.backward(kernel, par, w, s, g, 1f, 1f, 1f, 0.5f, dW, dS);
      float[] sigma = {1, 1, 1, 1, 0, 0, 0, 0, 0.5f, 0.5f};
      float[] slope = {0, 0, 0, 0, 0, 0, 0, 0, 0.25f, 0.25f};
      assertArrayEquals(sigma, wEff, 0f, kernel.name() + ": wEff = σ(s)");
      assertArrayEquals(sigma, dW, 0f, kernel.name() + ": dW = σ(s)");
      for (int i = 0; i < s.length; i++) {
        assertEquals(1.5f * slope[i], dS[i], 0f, kernel.name() + ": dS at s=" + s[i]);
      }
    }
  }

  @Test
  void nanPropagates() {
    assertTrue(Float.isNaN(FastSigmoid.sigmoid(Float.NaN)), "σ(NaN)");
    assertTrue(Float.isNaN(FastSigmoid.slope(Float.NaN)), "σ'(NaN)");
  }

  @Test
  void runsAreDeterministicAndVectorMatchesScalarBitForBit() {
    int n = (1 << 17) + 11;
    float[][] in = inputs(n, 5f, 99);
    float[][] first = run(new ScalarMaskedWeightKernel(), in);
    assertArrayEquals(first[0], run(new ScalarMaskedWeightKernel(), in)[0], "scalar rerun");
    MaskedWeightKernel fastest = CpuMaskedWeight.fastestKernel();
    float[][] a = run(fastest, in);
    float[][] b = run(fastest, in);
    for (int k = 0; k < a.length; k++) {
      assertArrayEquals(a[k], b[k], fastest.name() + ": two runs differ, output " + k);
    }
    for (int k = 0; k < 3; k++) { // wEff, dW, dS; the penalty sum order differs by path
      assertArrayEquals(first[k], a[k], fastest.name() + " vs scalar, output " + k);
    }
  }

  @Test
  void vectorKernelLoadsWhenModulePresent() {
    assumeTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent());
    assertTrue(
        CpuMaskedWeight.fastestKernel().name().startsWith("vector"),
        "the incubator module is present but " + CpuMaskedWeight.fastestKernel().name() + " ran");
  }

  /** {wEff, dW, dS, {penalty}}. */
  private static float[][] run(MaskedWeightKernel kernel, float[][] in) {
    int n = in[0].length;
    float[] wEff = new float[n];
    float[] dW = new float[n];
    float[] dS = new float[n];
    float penalty = CpuMaskedWeight.forward(kernel, par, in[0], in[1], 5f, 2f, 0.5f, wEff);
    CpuMaskedWeight.backward(kernel, par, in[0], in[1], in[2], 0.75f, 5f, 2f, 0.5f, dW, dS);
    return new float[][] {wEff, dW, dS, {penalty}};
  }

  /**
   * σ and σ' over every 2039th float in [−87, 87] and densely around 0 and ±87 against exact double
   * values; the vector kernel (forward with w = 1, c = 1, β = 1 returns σ) must agree bit for bit.
   */
  @Test
  void sigmoidAccuracySweep() {
    int top = Float.floatToRawIntBits(FastSigmoid.SATURATION);
    int strided = top / 2039 + 1;
    int dense = 40001;
    float[] x = new float[2 * strided + 3 * dense];
    int n = 0;
    for (int j = 0; j < strided; j++) {
      float v = Float.intBitsToFloat(j * 2039);
      x[n++] = v;
      x[n++] = -v;
    }
    for (int k = -(dense / 2); k <= dense / 2; k++) {
      x[n++] = k * 1e-4f;
      x[n++] = 87f + k * 1e-5f;
      x[n++] = -87f + k * 1e-5f;
    }
    double worstSigma = 0;
    double worstSlope = 0;
    for (float xi : x) {
      float sig = FastSigmoid.sigmoid(xi);
      float sl = FastSigmoid.slope(xi);
      if (!(sig >= 0f && sig <= 1f && sl >= 0f && sl < 0.2501f)) {
        fail("σ(" + xi + ") = " + sig + ", σ' = " + sl + ": out of range");
      }
      if (Math.abs(xi) > FastSigmoid.SATURATION) {
        if (sig != (xi > 0 ? 1f : 0f) || sl != 0f) {
          fail("saturated σ(" + xi + ") = " + sig + ", σ' = " + sl);
        }
        continue;
      }
      double relSigma = Math.abs(sig - sigma(xi)) / sigma(xi);
      double relSlope = Math.abs(sl - slope(xi)) / slope(xi);
      if (!(relSigma <= 0x1p-21 && relSlope <= 0x1p-20)) {
        fail(
            String.format(
                "x=%s: σ=%s (relative error %.3g, tol 2^-21), σ'=%s (relative error %.3g, tol"
                    + " 2^-20)",
                xi, sig, relSigma, sl, relSlope));
      }
      worstSigma = Math.max(worstSigma, relSigma);
      worstSlope = Math.max(worstSlope, relSlope);
    }
    assertTrue(worstSigma > 0 && worstSlope > 0, "the sweep compared nothing");
    System.out.printf(
        "FastSigmoid sweep, %d points: worst relative error σ %.3g (%.2f·2^-24), σ' %.3g (%.2f·2^-24)%n",
        x.length, worstSigma, worstSigma * 0x1p24, worstSlope, worstSlope * 0x1p24);

    assertEquals(x.length, n, "sweep size");
    float[] ones = new float[x.length];
    Arrays.fill(ones, 1f);
    float[] viaKernel = new float[x.length];
    CpuMaskedWeight.forward(CpuMaskedWeight.fastestKernel(), par, ones, x, 1f, 1f, 0f, viaKernel);
    for (int i = 0; i < x.length; i++) {
      if (Float.floatToRawIntBits(viaKernel[i])
          != Float.floatToRawIntBits(FastSigmoid.sigmoid(x[i]))) {
        fail(
            String.format(
                "%s: σ(%s) = %s, scalar FastSigmoid gives %s (first difference, index %d)",
                CpuMaskedWeight.fastestKernel().name(),
                x[i],
                viaKernel[i],
                FastSigmoid.sigmoid(x[i]),
                i));
      }
    }
  }
}
