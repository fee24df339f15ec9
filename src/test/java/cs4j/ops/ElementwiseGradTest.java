package cs4j.ops;

import static cs4j.testing.TensorAssert.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import cs4j.autograd.GradCheck;
import cs4j.tensor.Rng;
import cs4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Gradient checks and forward values for add, mul, scale, relu and sigmoid.
 *
 * <p>Step sizes: add, scale and mul are linear in each input perturbed alone (mul(x, x) is
 * quadratic), so central differences have no truncation error and a large step (0.5) leaves only
 * float rounding: tolerance 1e-4. Relu is linear between kinks; inputs are ≥ 0.1 from 0 and the
 * step is 1e-2: tolerance 1e-4. Sigmoid is smooth: step 1e-2 gives a truncation error ~ε²·σ'''/6 ≈
 * 1e-5 relative: tolerance 2e-4.
 */
class ElementwiseGradTest {
  private static final double LINEAR_EPS = 0.5;
  private static final double LINEAR_TOL = 1e-5;

  @Test
  void addGradient() {
    Rng rng = new Rng(11);
    Tensor a = GradInputs.normal(rng, 1f, 2, 3, 4);
    Tensor b = GradInputs.normal(rng, 1f, 2, 3, 4);
    GradCheck.checkElementwise(in -> Ops.add(in[0], in[1]), new Tensor[] {a, b}, LINEAR_EPS, 1)
        .assertBelow(LINEAR_TOL);
  }

  @Test
  void addOfATensorToItselfDoublesTheGradient() {
    Tensor a = GradInputs.normal(new Rng(12), 1f, 5);
    GradCheck.checkElementwise(in -> Ops.add(in[0], in[0]), new Tensor[] {a}, LINEAR_EPS, 2)
        .assertBelow(LINEAR_TOL);
  }

  @Test
  void mulGradient() {
    Rng rng = new Rng(13);
    Tensor a = GradInputs.normal(rng, 1f, 3, 4);
    Tensor b = GradInputs.normal(rng, 1f, 3, 4);
    GradCheck.checkElementwise(in -> Ops.mul(in[0], in[1]), new Tensor[] {a, b}, LINEAR_EPS, 3)
        .assertBelow(LINEAR_TOL);
  }

  @Test
  void mulWithOneInputConstant() {
    Rng rng = new Rng(14);
    Tensor a = GradInputs.normal(rng, 1f, 3, 4);
    Tensor b = Tensor.normal(rng, 0f, 1f, 3, 4);
    GradCheck.checkElementwise(in -> Ops.mul(in[0], in[1]), new Tensor[] {a, b}, LINEAR_EPS, 4)
        .assertBelow(LINEAR_TOL);
  }

  @Test
  void squareByMulOfATensorWithItself() {
    Tensor a = GradInputs.normal(new Rng(15), 1f, 7);
    GradCheck.checkElementwise(in -> Ops.mul(in[0], in[0]), new Tensor[] {a}, LINEAR_EPS, 5)
        .assertBelow(LINEAR_TOL);
  }

  @Test
  void scaleGradient() {
    Tensor a = GradInputs.normal(new Rng(16), 1f, 2, 5);
    GradCheck.checkElementwise(in -> Ops.scale(in[0], -1.75f), new Tensor[] {a}, LINEAR_EPS, 6)
        .assertBelow(LINEAR_TOL);
  }

  @Test
  void reluGradient() {
    Tensor a = GradInputs.awayFromZero(new Rng(17), 0.1f, 3, 4, 5);
    GradCheck.checkElementwise(in -> Ops.relu(in[0]), new Tensor[] {a}, 1e-2, 7).assertBelow(1e-5);
  }

  @Test
  void sigmoidGradient() {
    Tensor a = GradInputs.normal(new Rng(18), 2f, 3, 4, 5);
    GradCheck.checkElementwise(in -> Ops.sigmoid(in[0]), new Tensor[] {a}, 1e-2, 8)
        .assertBelow(2e-4);
  }

  @Test
  void sigmoidDirectionalOnALargerTensor() {
    Tensor a = GradInputs.normal(new Rng(19), 2f, 16, 64);
    GradCheck.check(in -> Ops.sigmoid(in[0]), new Tensor[] {a}, 1e-2, 4, 9).assertBelow(2e-4);
  }

  @Test
  void forwardValues() {
    Tensor x = Tensor.of(new float[] {-2f, 0f, 0.5f, 3f}, 4);
    Tensor y = Tensor.of(new float[] {4f, -1f, 2f, 0.25f}, 4);
    assertClose(new float[] {2f, -1f, 2.5f, 3.25f}, Ops.add(x, y), 0, 0, "add");
    assertClose(new float[] {-8f, -0f, 1f, 0.75f}, Ops.mul(x, y), 0, 0, "mul");
    assertClose(new float[] {3f, -0f, -0.75f, -4.5f}, Ops.scale(x, -1.5f), 0, 0, "scale");
    assertClose(new float[] {0f, 0f, 0.5f, 3f}, Ops.relu(x), 0, 0, "relu");
    float[] sig = new float[4];
    float[] xs = x.toArray();
    for (int i = 0; i < 4; i++) {
      sig[i] = (float) (1 / (1 + Math.exp(-xs[i])));
    }
    assertClose(sig, Ops.sigmoid(x), 1e-6, 0, "sigmoid");
  }

  @Test
  void sigmoidSaturatesWithoutOverflow() {
    Tensor x = Tensor.of(new float[] {-1e4f, -100f, 100f, 1e4f}, 4);
    assertClose(new float[] {0f, 0f, 1f, 1f}, Ops.sigmoid(x), 0, 1e-30, "sigmoid at ±large");
  }

  @Test
  void scaleOfInfinityStaysInfinite() {
    Tensor x = Tensor.of(new float[] {Float.POSITIVE_INFINITY, 1f}, 2);
    // NOTE: exact comparison: ∞ − ∞ is NaN, so a tolerance check cannot match infinities.
    assertArrayEquals(
        new float[] {Float.NEGATIVE_INFINITY, -2f}, Ops.scale(x, -2f).toArray(), "scale(∞, −2)");
  }
}
