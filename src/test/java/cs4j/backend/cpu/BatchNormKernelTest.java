package cs4j.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import cs4j.tensor.Rng;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link VectorBatchNormKernel} against {@link ScalarBatchNormKernel} on rows of odd lengths at odd
 * offsets. The element-wise passes must agree bit for bit. The sums may differ by rounding: the
 * vector kernel adds each lane in float over at most 512 / lanes ≤ 128 terms (lanes ≥ 4) before
 * going to double, so each float partial carries at most 128 roundings of 2⁻²⁴ relative to its
 * running magnitude, plus at most two roundings per term (a float product, a float difference); the
 * scalar kernel's double error is negligible next to that. So |vector − scalar| ≤ (128 + 2)·2⁻²⁴ ·
 * Σ |term|, checked at {@link #SUM_RTOL} = 2⁻¹⁶ (about 1.5·10⁻⁵, a 2× margin) times Σ |term|. The
 * squared deviations are taken from the mean rounded to float, which moves each (x − m)² by at most
 * 2·|m − m′|·|x − m| + (m − m′)², with |m − m′| ≤ 2⁻²⁴·|m|: that is added to the term magnitudes.
 */
class BatchNormKernelTest {
  private static final int[] LENGTHS = {1, 3, 15, 16, 17, 100, 1024 + 5};
  private static final int[] OFFSETS = {0, 1, 7};
  private static final double SUM_RTOL = 0x1p-16;

  private static BatchNormKernel vector;
  private static final BatchNormKernel SCALAR = new ScalarBatchNormKernel();

  @BeforeAll
  static void chooseVectorKernel() {
    assumeTrue(VectorKernels.moduleEnabled(), "needs --add-modules jdk.incubator.vector");
    vector = CpuBatchNorm.KERNEL;
    assertEquals(VectorBatchNormKernel.class, vector.getClass());
  }

  /** N(shift, 1) values, with ±0, NaN and infinities sprinkled in when special. */
  private static float[] row(Rng rng, int size, float shift, boolean special) {
    float[] a = new float[size];
    for (int i = 0; i < size; i++) {
      a[i] = shift + (float) rng.nextGaussian();
    }
    if (special && size > 8) {
      a[1] = -0f;
      a[size / 2] = Float.NaN;
      a[size - 2] = Float.POSITIVE_INFINITY;
      a[size - 1] = Float.NEGATIVE_INFINITY;
    }
    return a;
  }

  private static void assertClose(double expected, double actual, double magnitude, String what) {
    assertTrue(
        Math.abs(expected - actual) <= SUM_RTOL * magnitude,
        what + ": scalar " + expected + ", vector " + actual + ", Σ|term| " + magnitude);
  }

  @Test
  void sumsMatchScalarWithinFloatPartialRounding() {
    Rng rng = new Rng(21);
    for (int len : LENGTHS) {
      for (int off : OFFSETS) {
        String where = "length " + len + " offset " + off;
        float[] x = row(rng, off + len + 3, 3f, false);
        float[] g = row(rng, len + 5, 0f, false);
        double sumAbs = 0;
        for (int j = off; j < off + len; j++) {
          sumAbs += Math.abs(x[j]);
        }
        assertClose(SCALAR.sum(x, off, off + len), vector.sum(x, off, off + len), sumAbs, where);

        double mean = SCALAR.sum(x, off, off + len) / len + 0.1;
        double meanError = Math.ulp((float) mean);
        double sqMagnitude = 0;
        for (int j = off; j < off + len; j++) {
          double d = Math.abs(x[j] - mean);
          sqMagnitude += d * d + 2 * meanError * d + meanError * meanError;
        }
        assertClose(
            SCALAR.squaredDeviations(x, off, off + len, mean),
            vector.squaredDeviations(x, off, off + len, mean),
            sqMagnitude,
            "squared deviations, " + where);

        float fmean = (float) mean;
        float invStd = 0.7f;
        double[] expected = {1.5, -2.5};
        double[] actual = expected.clone();
        double gAbs = 0;
        double gXhatAbs = 0;
        for (int i = 0; i < len; i++) {
          gAbs += Math.abs(g[2 + i]);
          gXhatAbs += Math.abs(g[2 + i] * ((x[off + i] - fmean) * invStd));
        }
        SCALAR.addGradientSums(g, 2, x, off, len, fmean, invStd, expected);
        vector.addGradientSums(g, 2, x, off, len, fmean, invStd, actual);
        assertClose(expected[0], actual[0], gAbs, "Σ g, " + where);
        assertClose(expected[1], actual[1], gXhatAbs, "Σ g·x̂, " + where);
      }
    }
  }

  @Test
  void affineAndInputGradientMatchScalarBitForBit() {
    Rng rng = new Rng(22);
    for (int len : LENGTHS) {
      for (int off : OFFSETS) {
        int size = off + len + 3;
        float[] x = row(rng, size, 0.5f, true);
        float[] r = row(rng, size, -0.5f, true);
        float[] g = row(rng, size + 4, 0f, true);
        for (boolean relu : new boolean[] {false, true}) {
          for (float[] residual : new float[][] {null, r}) {
            float[] expected = new float[size];
            float[] actual = new float[size];
            SCALAR.affine(x, residual, expected, off, off + len, 1.3f, -0.4f, relu);
            vector.affine(x, residual, actual, off, off + len, 1.3f, -0.4f, relu);
            assertBitsEqual(
                expected, actual, "affine relu " + relu + " residual " + (residual != null));
          }
        }
        float[] expected = new float[size];
        float[] actual = new float[size];
        SCALAR.inputGradient(x, g, 3, expected, off, off + len, 0.2f, 1.7f, 0.01f, 4096f, 3f, -2f);
        vector.inputGradient(x, g, 3, actual, off, off + len, 0.2f, 1.7f, 0.01f, 4096f, 3f, -2f);
        assertBitsEqual(expected, actual, "input gradient, length " + len + " offset " + off);
      }
    }
  }

  private static void assertBitsEqual(float[] expected, float[] actual, String what) {
    for (int i = 0; i < expected.length; i++) {
      assertEquals(
          Float.floatToIntBits(expected[i]),
          Float.floatToIntBits(actual[i]),
          what + ", element " + i + ": " + expected[i] + " vs " + actual[i]);
    }
  }
}
