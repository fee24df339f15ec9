package cs4j.ops;

import static cs4j.testing.TensorAssert.assertClose;

import cs4j.autograd.GradCheck;
import cs4j.tensor.Rng;
import cs4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Gradient checks and forward values for matmul, addBias (rank 2 and 4) and linear. Each is linear
 * in any one input, so central differences are exact up to float rounding: step 0.5, tolerance 1e-5
 * (observed ~1e-7).
 */
class LinearGradTest {
  private static final double EPS = 0.5;
  private static final double TOL = 1e-5;

  @Test
  void matmulGradient() {
    Rng rng = new Rng(31);
    Tensor a = GradInputs.normal(rng, 1f, 3, 5);
    Tensor b = GradInputs.normal(rng, 1f, 5, 4);
    GradCheck.checkElementwise(in -> Ops.matmul(in[0], in[1]), new Tensor[] {a, b}, EPS, 1)
        .assertBelow(TOL);
  }

  @Test
  void matmulOfATensorWithItself() {
    Tensor a = GradInputs.normal(new Rng(32), 1f, 4, 4);
    // Quadratic in a: central differences are still exact.
    GradCheck.checkElementwise(in -> Ops.matmul(in[0], in[0]), new Tensor[] {a}, EPS, 2)
        .assertBelow(TOL);
  }

  @Test
  void addBiasRank2Gradient() {
    Rng rng = new Rng(33);
    Tensor x = GradInputs.normal(rng, 1f, 4, 3);
    Tensor b = GradInputs.normal(rng, 1f, 3);
    GradCheck.checkElementwise(in -> Ops.addBias(in[0], in[1]), new Tensor[] {x, b}, EPS, 3)
        .assertBelow(TOL);
  }

  @Test
  void addBiasRank4Gradient() {
    Rng rng = new Rng(34);
    Tensor x = GradInputs.normal(rng, 1f, 2, 3, 2, 5);
    Tensor b = GradInputs.normal(rng, 1f, 3);
    GradCheck.checkElementwise(in -> Ops.addBias(in[0], in[1]), new Tensor[] {x, b}, EPS, 4)
        .assertBelow(TOL);
  }

  @Test
  void linearWithBiasGradient() {
    Rng rng = new Rng(35);
    Tensor x = GradInputs.normal(rng, 1f, 4, 6);
    Tensor w = GradInputs.normal(rng, 0.5f, 3, 6);
    Tensor b = GradInputs.normal(rng, 1f, 3);
    GradCheck.checkElementwise(
            in -> Ops.linear(in[0], in[1], in[2]), new Tensor[] {x, w, b}, EPS, 5)
        .assertBelow(TOL);
  }

  @Test
  void linearWithoutBiasGradient() {
    Rng rng = new Rng(36);
    Tensor x = GradInputs.normal(rng, 1f, 4, 6);
    Tensor w = GradInputs.normal(rng, 0.5f, 3, 6);
    GradCheck.checkElementwise(in -> Ops.linear(in[0], in[1], null), new Tensor[] {x, w}, EPS, 6)
        .assertBelow(TOL);
  }

  @Test
  void linearDirectionalOnLargerShapes() {
    Rng rng = new Rng(37);
    Tensor x = GradInputs.normal(rng, 1f, 16, 40);
    Tensor w = GradInputs.normal(rng, 0.2f, 24, 40);
    Tensor b = GradInputs.normal(rng, 1f, 24);
    GradCheck.check(in -> Ops.linear(in[0], in[1], in[2]), new Tensor[] {x, w, b}, EPS, 3, 7)
        .assertBelow(TOL);
  }

  @Test
  void forwardValues() {
    Tensor a = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
    Tensor b = Tensor.of(new float[] {7, 8, 9, 10, 11, 12}, 3, 2);
    // [1 2 3; 4 5 6]·[7 8; 9 10; 11 12] = [58 64; 139 154]
    assertClose(new float[] {58, 64, 139, 154}, Ops.matmul(a, b), 0, 0, "matmul 2x3·3x2");
    Tensor w = Tensor.of(new float[] {1, 0, -1, 2, 1, 0}, 2, 3); // [K=2, F=3]
    Tensor bias = Tensor.of(new float[] {0.5f, -1f}, 2);
    // x·wᵀ: row 1 → (1−3, 2+2) = (−2, 4); row 2 → (4−6, 8+5) = (−2, 13); plus bias.
    assertClose(new float[] {-1.5f, 3f, -1.5f, 12f}, Ops.linear(a, w, bias), 0, 0, "linear");
    Tensor x4 = Tensor.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 1, 2, 2, 2);
    assertClose(
        new float[] {11, 12, 13, 14, 25, 26, 27, 28},
        Ops.addBias(x4, Tensor.of(new float[] {10, 20}, 2)),
        0,
        0,
        "addBias over channels of [1, 2, 2, 2]");
  }
}
