package cs4j.ops;

import static cs4j.testing.TensorAssert.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import cs4j.autograd.GradCheck;
import cs4j.tensor.Rng;
import cs4j.tensor.Shape;
import cs4j.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The CS masked weight w_eff = w ⊙ c·σ(β·s), penalty = λ·Σ c·σ(β·s): gradients in w and s with both
 * outputs used, only the weight, and only the penalty, over several β, c, λ; and forward values.
 *
 * <p>The outputs are linear in w and smooth in s with curvature scaling as β: the step is 2e-2/β,
 * so β·ε = 2e-2 and the truncation error ≤ (β·ε)²/6 ≈ 7e-5 relative. Float resolution: the outputs
 * are kept elementwise where possible (a float scalar such as Σ w_eff would resolve only
 * ulp(L)/2ε); the penalty alone is a scalar, resolving ~1e-7·|P|/2ε. Observed ≤ 2e-4: tolerance
 * 5e-4.
 */
class MaskedWeightGradTest {
  private static final double TOL = 5e-4;

  /**
   * w ~ N(0, 1); s ~ N(0, (2/β)²), so that β·s ~ N(0, 4) whatever β: σ neither flat nor saturated.
   */
  private static Tensor[] inputs(Rng rng, float beta) {
    Tensor w = GradInputs.normal(rng, 1f, 3, 2, 2, 2);
    Tensor s = GradInputs.normal(rng, 2f / beta, 3, 2, 2, 2);
    return new Tensor[] {w, s};
  }

  @ParameterizedTest(name = "β {0}, c {1}, λ {2}")
  @CsvSource({"1, 1, 0.1", "5, 1, 1e-3", "0.5, 2.5, 2", "20, 1, 0", "3, 0.3, 10"})
  void bothOutputsUsed(float beta, float c, float lambda) {
    // out [24, 1] = w_eff + penalty/100 (addBias broadcasts the scalar): both outputs, no float
    // scalar reduction; the penalty is scaled so that it does not swamp w_eff's digits.
    Tensor[] in = inputs(new Rng(81), beta);
    GradCheck.checkElementwise(
            t -> {
              MaskedWeight m = Ops.maskedWeight(t[0], t[1], beta, c, lambda);
              return Ops.addBias(
                  Ops.reshape(m.weight(), -1, 1), Ops.reshape(Ops.scale(m.penalty(), 0.01f), 1));
            },
            in,
            2e-2 / beta,
            1)
        .assertBelow(TOL);
  }

  @ParameterizedTest(name = "β {0}, c {1}, λ {2}")
  @CsvSource({"1, 1, 0.1", "5, 1, 1e-3", "0.5, 2.5, 2", "20, 1, 0"})
  void onlyWeightUsed(float beta, float c, float lambda) {
    Tensor[] in = inputs(new Rng(82), beta);
    GradCheck.checkElementwise(
            t -> Ops.maskedWeight(t[0], t[1], beta, c, lambda).weight(), in, 2e-2 / beta, 2)
        .assertBelow(TOL);
  }

  @ParameterizedTest(name = "β {0}, c {1}, λ {2}")
  @CsvSource({"1, 1, 0.1", "5, 1, 1e-3", "0.5, 2.5, 2", "3, 0.3, 10"})
  void onlyPenaltyUsed(float beta, float c, float lambda) {
    // w does not reach the penalty: its gradient must be zero and the differences are exactly 0.
    Tensor[] in = inputs(new Rng(83), beta);
    GradCheck.checkElementwise(
            t -> Ops.maskedWeight(t[0], t[1], beta, c, lambda).penalty(), in, 2e-2 / beta, 3)
        .assertBelow(TOL);
  }

  @ParameterizedTest(name = "β {0}, c {1}, λ {2}")
  @CsvSource({"1, 1, 0.1", "5, 1, 1e-3", "200, 0.5, 3"})
  void forwardMatchesTheFormula(float beta, float c, float lambda) {
    Rng rng = new Rng(84);
    Tensor w = Tensor.normal(rng, 0f, 1f, 4, 5);
    Tensor s = Tensor.normal(rng, 0f, 1f, 4, 5);
    MaskedWeight m = Ops.maskedWeight(w, s, beta, c, lambda);
    assertEquals(w.shape(), m.weight().shape(), "weight shape");
    assertEquals(Shape.scalar(), m.penalty().shape(), "penalty shape");
    float[] ws = w.toArray();
    float[] ss = s.toArray();
    float[] expected = new float[ws.length];
    double maskSum = 0;
    for (int i = 0; i < ws.length; i++) {
      double mask = c / (1 + Math.exp(-(double) beta * ss[i]));
      expected[i] = (float) (ws[i] * mask);
      maskSum += mask;
    }
    assertClose(expected, m.weight(), 1e-6, 1e-7, "w ⊙ c·σ(β·s)");
    assertClose(new float[] {(float) (lambda * maskSum)}, m.penalty(), 1e-6, 0, "λ·Σ c·σ(β·s)");
  }
}
