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
    int n = 200_000;
    long offset = 0;
    for (float a : new float[] {-2f, 0f, 1.5f}) {
      float[] alpha = new float[n];
      java.util.Arrays.fill(alpha, a);
      float[] z = hc.sample(Tensor.of(alpha, n), new Rng(11).state(), offset).toArray();
      offset += n;
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

  /**
   * The gates draw their noise where log α lives, yet exactly as a host generator would: element i
   * of a sample at (state, offset) uses draw offset + i of {@code new Rng(seed)}, in order, with
   * the formula of the former host loop, bit for bit.
   */
  @Test
  void sampledGatesUseTheHostGeneratorsDrawsInOrder() {
    float[] a = {-3f, -0.7f, 0f, 0.2f, 1.4f, 5f, -1.1f};
    Rng host = new Rng(2024);
    long state = host.state();
    for (int skip = 0; skip < 9; skip++) {
      host.nextFloat();
    }
    float[] z = hc.sample(Tensor.of(a, a.length), state, 9).toArray();
    float t = (float) T;
    float gamma = (float) GAMMA;
    float zeta = (float) ZETA;
    for (int i = 0; i < a.length; i++) {
      float u = Math.max(Float.MIN_NORMAL, Math.min(1f - 0x1p-24f, host.nextFloat()));
      float sig =
          (float) (1 / (1 + Math.exp(-(float) ((Math.log(u) - Math.log1p(-u) + a[i]) / t))));
      float expected = Math.min(1f, Math.max(0f, sig * (zeta - gamma) + gamma));
      assertEquals(expected, z[i], 0f, "gate " + i);
    }
  }

  @Test
  void gradientsMatchFiniteDifferences() {
    float[] a = {-1.2f, -0.3f, 0.4f, 1.1f, 2.0f};
    Tensor alpha = Tensor.of(a, 5).requiresGrad(true);
    long state = insideTheClampsLinearRange(a);
    GradCheck.checkElementwise(in -> hc.sample(in[0], state, 0), new Tensor[] {alpha}, 1e-2, 1)
        .assertBelow(1e-2);
    GradCheck.checkElementwise(in -> hc.expectedOpen(in[0]), new Tensor[] {alpha}, 1e-2, 2)
        .assertBelow(1e-2);
  }

  /**
   * The first noise state (seeds 1, 2, ...) whose gates for {@code a} all lie well inside (0, 1),
   * so that finite differences of ±1e-2 never cross the clamp.
   */
  private long insideTheClampsLinearRange(float[] a) {
    for (long seed = 1; ; seed++) {
      long state = new Rng(seed).state();
      float[] z = hc.sample(Tensor.of(a, a.length), state, 0).toArray();
      boolean inside = true;
      for (float v : z) {
        inside &= v > 0.05f && v < 0.95f;
      }
      if (inside) {
        return state;
      }
    }
  }
}
