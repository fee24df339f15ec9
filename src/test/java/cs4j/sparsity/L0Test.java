package cs4j.sparsity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cs4j.autograd.GradCheck;
import cs4j.tensor.Rng;
import cs4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Hard-concrete gates: the closed-form expected ℓ0 norm, sampling, test gate, gradients. */
class L0Test {
  private static final double T = 2.0 / 3, GAMMA = -0.1, ZETA = 1.1;
  private final HardConcrete hc = new HardConcrete(T, GAMMA, ZETA);

  private static double sigmoid(double x) {
    return 1 / (1 + Math.exp(-x));
  }

  @Test
  void expectedPenaltyIsTheClosedFormSum() {
    float[] a = {-3f, -1f, 0f, 0.5f, 2.3f, 6f};
    double expected = 0;
    for (float v : a) {
      expected += sigmoid(v - T * Math.log(-GAMMA / ZETA));
    }
    assertEquals(expected, hc.expectedOpen(Tensor.of(a, 6)).item(), 1e-6 * expected);
  }

  /**
   * The closed form is P(z > 0) of the sampled gate: with 200,000 samples per log α the empirical
   * frequency is within 5 standard errors (≤ 0.0056) of it.
   */
  @Test
  void closedFormMatchesTheSampledGatesOpenFrequency() {
    Rng rng = new Rng(11);
    int n = 200_000;
    for (float a : new float[] {-2f, 0f, 1.5f}) {
      float[] alpha = new float[n];
      float[] u = new float[n];
      for (int i = 0; i < n; i++) {
        alpha[i] = a;
        u[i] = Math.max(Float.MIN_NORMAL, rng.nextFloat());
      }
      float[] z = hc.sample(Tensor.of(alpha, n), u).toArray();
      int open = 0;
      for (float v : z) {
        assertTrue(v >= 0f && v <= 1f, "gate in [0, 1]: " + v);
        open += v > 0f ? 1 : 0;
      }
      double p = sigmoid(a - T * Math.log(-GAMMA / ZETA));
      double se = Math.sqrt(p * (1 - p) / n);
      assertEquals(p, (double) open / n, 5 * se, "P(z > 0) at log α = " + a);
    }
  }

  @Test
  void testGateIsTheClampedStretchedSigmoid() {
    float[] z = hc.testGate(Tensor.of(new float[] {-10f, 0f, 10f}, 3)).toArray();
    assertEquals(0f, z[0]);
    assertEquals(0.5f, z[1], 1e-7f);
    assertEquals(1f, z[2]);
  }

  @Test
  void gradientsMatchFiniteDifferences() {
    float[] a = {-1.2f, -0.3f, 0.4f, 1.1f, 2.0f};
    float[] u = {0.2f, 0.45f, 0.5f, 0.6f, 0.35f}; // all inside the clamp's linear range
    Tensor alpha = Tensor.of(a, 5).requiresGrad(true);
    GradCheck.checkElementwise(in -> hc.sample(in[0], u), new Tensor[] {alpha}, 1e-2, 1)
        .assertBelow(1e-2);
    GradCheck.checkElementwise(in -> hc.expectedOpen(in[0]), new Tensor[] {alpha}, 1e-2, 2)
        .assertBelow(1e-2);
  }
}
