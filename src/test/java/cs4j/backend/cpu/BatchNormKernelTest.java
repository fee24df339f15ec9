package cs4j.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import cs4j.tensor.Rng;
import org.junit.jupiter.api.Test;

/**
 * The batch-norm passes (with and without the fused ReLU): the scalar kernel against its definition
 * on special values, and the vector kernel against the scalar one bit for bit on ranges that start
 * and end off the vector width, including empty and shorter-than-a-vector ones.
 */
class BatchNormKernelTest {
  private static final float[] SPECIAL = {
    0f,
    -0f,
    Float.MIN_VALUE,
    -Float.MIN_VALUE,
    Float.NaN,
    Float.POSITIVE_INFINITY,
    Float.NEGATIVE_INFINITY,
    1f,
    -1f
  };

  private static final int[][] RANGES = {{0, 1000}, {3, 997}, {5, 6}, {0, 0}, {17, 64}, {1, 4}};

  @Test
  void scalarAffineReluFollowsMathMax() {
    float[] x = SPECIAL.clone();
    float[] y = new float[x.length];
    new ScalarBatchNormKernel().affine(x, y, 0, x.length, 2f, 0f, true);
    float[] expected = {
      0f, 0f, 2 * Float.MIN_VALUE, 0f, Float.NaN, Float.POSITIVE_INFINITY, 0f, 2f, 0f
    };
    for (int i = 0; i < x.length; i++) {
      assertEquals(bits(expected[i]), bits(y[i]), "element " + i + " of relu(2·" + x[i] + ")");
    }
  }

  @Test
  void scalarGradientSumsMaskByTheReluOutput() {
    float[] dY = {1f, 2f, 4f, 8f, 16f, 32f};
    float[] y = {1f, 0f, -0f, Float.NaN, Float.MIN_VALUE, -3f};
    float[] x = {1f, 1f, 1f, 1f, 3f, 1f};
    double[] sums = new double[2];
    new ScalarBatchNormKernel().addGradientSums(dY, y, x, 0, 6, 1f, 0.5f, sums);
    assertEquals(1 + 16, sums[0], "Σ g: dY where y > 0 only");
    assertEquals(16 * 1, sums[1], "Σ g·x̂, x̂ = (x − 1)·0.5");
  }

  @Test
  void vectorMatchesScalarBitForBitOnEveryRange() {
    assumeTrue(VectorKernels.moduleEnabled(), "needs --add-modules jdk.incubator.vector");
    BatchNormKernel vector =
        VectorKernels.choose(
            BatchNormKernel.class, "VectorBatchNormKernel", ScalarBatchNormKernel::new);
    assertEquals(VectorBatchNormKernel.class, vector.getClass());
    BatchNormKernel scalar = new ScalarBatchNormKernel();
    Rng rng = new Rng(31);
    int n = 1000;
    float[] x = values(rng, n, 7);
    float[] dY = values(rng, n, 11);
    float[] y = values(rng, n, 13);
    for (int[] r : RANGES) {
      String where = "range " + r[0] + ".." + r[1];
      for (boolean relu : new boolean[] {false, true}) {
        float[] expected = new float[n];
        float[] actual = new float[n];
        scalar.affine(x, expected, r[0], r[1], 1.25f, -0.3f, relu);
        vector.affine(x, actual, r[0], r[1], 1.25f, -0.3f, relu);
        assertSameBits(expected, actual, where + ", affine, relu " + relu);
      }
      for (float[] mask : new float[][] {null, y}) {
        String what = where + (mask == null ? ", plain" : ", relu-masked");
        double[] expected = new double[2];
        double[] actual = new double[2];
        scalar.addGradientSums(dY, mask, x, r[0], r[1], 0.1f, 1.7f, expected);
        vector.addGradientSums(dY, mask, x, r[0], r[1], 0.1f, 1.7f, actual);
        assertEquals(expected[0], actual[0], what + ", Σ g (exact: same adds in the same order)");
        assertEquals(expected[1], actual[1], what + ", Σ g·x̂");
        float[] dXs = new float[n];
        float[] dXv = new float[n];
        scalar.inputGradient(dY, mask, x, dXs, r[0], r[1], 0.1f, 1.7f, 0.01f, 999f, 3f, -2f);
        vector.inputGradient(dY, mask, x, dXv, r[0], r[1], 0.1f, 1.7f, 0.01f, 999f, 3f, -2f);
        assertSameBits(dXs, dXv, what + ", input gradient");
      }
    }
  }

  /** Gaussian values with a special value at every {@code every}-th index. */
  private static float[] values(Rng rng, int n, int every) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = i % every == 0 ? SPECIAL[(i / every) % SPECIAL.length] : (float) rng.nextGaussian();
    }
    return a;
  }

  private static void assertSameBits(float[] expected, float[] actual, String what) {
    for (int i = 0; i < expected.length; i++) {
      assertEquals(bits(expected[i]), bits(actual[i]), what + ", element " + i);
    }
  }

  private static int bits(float v) {
    return Float.floatToRawIntBits(v);
  }
}
