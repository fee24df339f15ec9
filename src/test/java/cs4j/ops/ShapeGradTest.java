package cs4j.ops;

import static cs4j.testing.TensorAssert.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import cs4j.autograd.GradCheck;
import cs4j.tensor.Rng;
import cs4j.tensor.Shape;
import cs4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Gradient checks and forward values for sum, mean, reshape and flatten. All are linear, so central
 * differences are exact up to float rounding: step 0.5, tolerance 1e-5 (observed ~1e-7).
 */
class ShapeGradTest {
  private static final double EPS = 0.5;
  private static final double TOL = 1e-5;

  @Test
  void sumGradient() {
    Tensor x = GradInputs.normal(new Rng(21), 1f, 2, 3, 4);
    GradCheck.checkElementwise(in -> Ops.sum(in[0]), new Tensor[] {x}, EPS, 1).assertBelow(TOL);
  }

  @Test
  void meanGradient() {
    Tensor x = GradInputs.normal(new Rng(22), 1f, 2, 3, 4);
    GradCheck.checkElementwise(in -> Ops.mean(in[0]), new Tensor[] {x}, EPS, 2).assertBelow(TOL);
  }

  @Test
  void reshapeGradient() {
    Tensor x = GradInputs.normal(new Rng(23), 1f, 2, 3, 4);
    // Followed by sigmoid so that a wrongly ordered gradient would meet the wrong slope.
    GradCheck.checkElementwise(
            in -> Ops.sigmoid(Ops.reshape(in[0], 4, -1)), new Tensor[] {x}, 1e-2, 3)
        .assertBelow(2e-4);
  }

  @Test
  void flattenGradient() {
    Tensor x = GradInputs.normal(new Rng(24), 1f, 2, 3, 2, 2);
    GradCheck.checkElementwise(in -> Ops.flatten(in[0]), new Tensor[] {x}, EPS, 4).assertBelow(TOL);
  }

  @Test
  void forwardValues() {
    float[] v = {1f, 2f, 3f, 4f, 5f, 6f};
    Tensor x = Tensor.of(v, 2, 3);
    assertEquals(Shape.scalar(), Ops.sum(x).shape(), "sum shape");
    assertEquals(21f, Ops.sum(x).item(), 0f, "sum of 1..6");
    assertEquals(3.5f, Ops.mean(x).item(), 0f, "mean of 1..6");
    Tensor r = Ops.reshape(x, 3, -1);
    assertEquals(Shape.of(3, 2), r.shape(), "reshape shape with inferred -1");
    assertArrayEquals(v, r.toArray(), "reshape keeps row-major order");
    Tensor f = Ops.flatten(Tensor.of(new float[24], 2, 3, 2, 2));
    assertEquals(Shape.of(2, 12), f.shape(), "flatten shape");
  }

  @Test
  void meanOfAnInfinityIsInfiniteNotNaN() {
    Tensor x = Tensor.of(new float[] {Float.POSITIVE_INFINITY, 1f}, 2);
    assertEquals(Float.POSITIVE_INFINITY, Ops.mean(x).item(), "mean(∞, 1)");
  }

  @Test
  void sumAccumulatesInDouble() {
    // 2²⁴ + 1 + 1 + ... in float would stay at 2²⁴; the double sum is exact here.
    float[] v = new float[1001];
    v[0] = 1 << 24;
    java.util.Arrays.fill(v, 1, v.length, 1f);
    assertClose(new float[] {(1 << 24) + 1000}, Ops.sum(Tensor.of(v, v.length)), 0, 0, "sum");
  }
}
