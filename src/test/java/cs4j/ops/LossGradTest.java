package cs4j.ops;

import static cs4j.testing.TensorAssert.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cs4j.autograd.Autograd;
import cs4j.autograd.GradCheck;
import cs4j.tensor.Rng;
import cs4j.tensor.Shape;
import cs4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Softmax cross-entropy: gradient, value against a direct double computation, and numerical
 * stability. The loss is smooth in the logits (truncation ~ε²/6·|f'''| with |f'''| ≤ 0.1/N); it is
 * one float scalar, so the finite difference resolves only ulp(L)/2ε ≈ 3e-6 at ε = 2e-2, which is
 * why the batch is small (gradients scale as 1/N) and logits moderate (no saturated softmax):
 * observed ≤ 1e-4, tolerance 5e-4.
 */
class LossGradTest {
  @Test
  void crossEntropyGradient() {
    Rng rng = new Rng(71);
    Tensor logits = GradInputs.normal(rng, 1f, 3, 4);
    Tensor labels = GradInputs.labels(rng, 3, 4);
    GradCheck.checkElementwise(
            in -> Ops.crossEntropy(in[0], in[1]), new Tensor[] {logits, labels}, 2e-2, 1)
        .assertBelow(5e-4);
  }

  @Test
  void crossEntropyGradientDirectionalWithManyClasses() {
    Rng rng = new Rng(72);
    Tensor logits = GradInputs.normal(rng, 3f, 16, 100);
    Tensor labels = GradInputs.labels(rng, 16, 100);
    GradCheck.check(in -> Ops.crossEntropy(in[0], in[1]), new Tensor[] {logits, labels}, 2e-2, 4, 2)
        .assertBelow(5e-4);
  }

  @Test
  void valueMatchesTheDefinition() {
    Rng rng = new Rng(73);
    Tensor logits = Tensor.normal(rng, 0f, 3f, 6, 5);
    Tensor labels = GradInputs.labels(rng, 6, 5);
    Tensor loss = Ops.crossEntropy(logits, labels);
    assertEquals(Shape.scalar(), loss.shape(), "loss is a scalar");
    float[] z = logits.toArray();
    float[] y = labels.toArray();
    double total = 0;
    for (int n = 0; n < 6; n++) {
      double sumExp = 0;
      for (int k = 0; k < 5; k++) {
        sumExp += Math.exp(z[n * 5 + k]);
      }
      total += -Math.log(Math.exp(z[n * 5 + (int) y[n]]) / sumExp);
    }
    assertClose(new float[] {(float) (total / 6)}, loss, 1e-6, 0, "mean cross-entropy");
  }

  @Test
  void uniformLogitsGiveLogK() {
    Tensor loss = Ops.crossEntropy(Tensor.full(7f, 3, 10), Tensor.of(new float[] {0, 4, 9}, 3));
    assertClose(new float[] {(float) Math.log(10)}, loss, 1e-6, 0, "loss of equal logits");
  }

  @Test
  void hugeLogitsStayFiniteAndExact() {
    // Row 0: the label's logit is −1e4 against +1e4: loss 2e4. Row 1: the label wins by 2e4: loss
    // log(1 + e^−2e4) = 0. Mean 1e4. Without the max shift exp(1e4) would overflow to ∞.
    Tensor logits = Tensor.of(new float[] {1e4f, -1e4f, 1e4f, -1e4f}, 2, 2).requiresGrad(true);
    Tensor labels = Tensor.of(new float[] {1, 0}, 2);
    Tensor loss = Ops.crossEntropy(logits, labels);
    assertTrue(Float.isFinite(loss.item()), "loss finite, got " + loss.item());
    assertClose(new float[] {1e4f}, loss, 1e-6, 0, "loss with logits ±1e4");
    Autograd.backward(loss);
    // d/dz = (softmax − onehot)/N: row 0 → (1, −1)/2, row 1 → (0, 0).
    assertClose(new float[] {0.5f, -0.5f, 0f, 0f}, logits.grad(), 0, 1e-7, "gradient at ±1e4");
  }
}
