package cs4j.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import cs4j.tensor.Rng;
import org.junit.jupiter.api.Test;

class ActivationKernelTest {
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

  @Test
  void scalarReluBackwardFollowsItsDefinition() {
    float[] y = SPECIAL.clone();
    float[] g = new float[y.length];
    java.util.Arrays.fill(g, 3f);
    float[] dx = new float[y.length];
    new ScalarActivationKernel().reluBackward(y, g, 0, y.length, dx, 0);
    assertArrayEquals(new float[] {0f, 0f, 3f, 0f, 0f, 3f, 0f, 3f, 0f}, dx);
  }

  @Test
  void vectorReluBackwardMatchesScalarBitForBitOnEveryRange() {
    assumeTrue(VectorKernels.moduleEnabled(), "needs --add-modules jdk.incubator.vector");
    ActivationKernel vector =
        VectorKernels.choose(
            ActivationKernel.class, "VectorActivationKernel", ScalarActivationKernel::new);
    assertEquals(VectorActivationKernel.class, vector.getClass());
    Rng rng = new Rng(11);
    int n = 1000;
    float[] y = new float[n];
    float[] g = new float[n];
    for (int i = 0; i < n; i++) {
      y[i] = i % 7 == 0 ? SPECIAL[i % SPECIAL.length] : (float) rng.nextGaussian();
      g[i] = i % 11 == 0 ? SPECIAL[(i / 11) % SPECIAL.length] : (float) rng.nextGaussian();
    }
    // {lo, hi, to}: in place (to = lo) and shifted into a scratch row (to = 0, or off alignment)
    int[][] ranges = {{0, n, 0}, {3, 997, 3}, {5, 6, 5}, {0, 0, 0}, {17, 64, 17}, {40, 960, 0}};
    for (int[] range : ranges) {
      float[] expected = new float[n];
      float[] actual = new float[n];
      new ScalarActivationKernel().reluBackward(y, g, range[0], range[1], expected, range[2]);
      vector.reluBackward(y, g, range[0], range[1], actual, range[2]);
      for (int i = 0; i < n; i++) {
        assertEquals(
            Float.floatToRawIntBits(expected[i]),
            Float.floatToRawIntBits(actual[i]),
            "range " + range[0] + ".." + range[1] + " to " + range[2] + ", element " + i);
      }
    }
  }
}
