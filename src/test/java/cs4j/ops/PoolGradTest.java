package cs4j.ops;

import static cs4j.testing.TensorAssert.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import cs4j.autograd.Autograd;
import cs4j.autograd.GradCheck;
import cs4j.tensor.Rng;
import cs4j.tensor.Shape;
import cs4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Max and average pooling, global average pooling and the option-A shortcut: gradients and
 * hand-computed forward values.
 *
 * <p>All four are linear in x (max pooling piecewise: its inputs are distinct values 0.05 apart and
 * the step is 1e-2, so no step changes a window's maximum), so central differences are exact up to
 * float rounding: tolerance 1e-5 (observed ~1e-7). Average pooling and the shortcut use step 0.5.
 */
class PoolGradTest {
  private static final double TOL = 1e-5;

  @Test
  void maxPool2x2Stride2Gradient() {
    Tensor x = GradInputs.distinct(new Rng(61), 0.05f, 2, 3, 4, 6);
    GradCheck.checkElementwise(in -> Ops.maxPool2d(in[0], 2, 2, 0), new Tensor[] {x}, 1e-2, 1)
        .assertBelow(TOL);
  }

  @Test
  void maxPool3x3Stride2Pad1Gradient() {
    // Overlapping windows: an input that wins two windows gets both gradients.
    Tensor x = GradInputs.distinct(new Rng(62), 0.05f, 2, 2, 5, 7);
    GradCheck.checkElementwise(in -> Ops.maxPool2d(in[0], 3, 2, 1), new Tensor[] {x}, 1e-2, 2)
        .assertBelow(TOL);
  }

  @Test
  void avgPoolGradients() {
    int[][] cases = {{2, 2, 0}, {3, 1, 1}, {3, 2, 1}, {2, 1, 1}};
    for (int[] c : cases) {
      Tensor x = GradInputs.normal(new Rng(63 + c[0] + c[1] + c[2]), 1f, 2, 2, 5, 4);
      GradCheck.checkElementwise(
              in -> Ops.avgPool2d(in[0], c[0], c[1], c[2]), new Tensor[] {x}, 0.5, 3)
          .assertBelow(TOL);
    }
  }

  @Test
  void globalAvgPoolGradient() {
    Tensor x = GradInputs.normal(new Rng(64), 1f, 2, 3, 3, 5);
    GradCheck.checkElementwise(in -> Ops.globalAvgPool(in[0]), new Tensor[] {x}, 0.5, 4)
        .assertBelow(TOL);
  }

  @Test
  void shortcutAGradientEvenAndOddSizes() {
    int[][] cases = {{2, 2, 4, 6, 4}, {2, 2, 5, 3, 6}, {1, 3, 3, 3, 3}};
    for (int[] c : cases) {
      Tensor x = GradInputs.normal(new Rng(65 + c[2]), 1f, c[0], c[1], c[2], c[3]);
      GradCheck.checkElementwise(in -> Ops.shortcutA(in[0], c[4]), new Tensor[] {x}, 0.5, 5)
          .assertBelow(TOL);
    }
  }

  @Test
  void maxPoolTiesPickTheFirstAndRouteTheGradientThere() {
    // One 2×2 window per plane: plane 0 all equal; plane 1 = [[0, 5], [5, 1]].
    Tensor x = Tensor.of(new float[] {1, 1, 1, 1, 0, 5, 5, 1}, 1, 2, 2, 2).requiresGrad(true);
    Tensor y = Ops.maxPool2d(x, 2, 2, 0);
    assertClose(new float[] {1, 5}, y, 0, 0, "maxPool2d values");
    Autograd.backward(Ops.sum(y));
    assertClose(new float[] {1, 0, 0, 0, 0, 1, 0, 0}, x.grad(), 0, 0, "gradient at first max");
  }

  @Test
  void maxPoolPaddingNeverWins() {
    // All inputs negative: a zero from padding must not be the maximum.
    Tensor x = Tensor.full(-1f, 1, 1, 3, 3);
    Tensor y = Ops.maxPool2d(x, 3, 2, 1);
    assertEquals(Shape.of(1, 1, 2, 2), y.shape(), "maxPool2d 3/s2/p1 shape on 3×3");
    assertClose(new float[] {-1, -1, -1, -1}, y, 0, 0, "maxPool2d with padding");
  }

  @Test
  void avgPoolCountsPaddingInTheDivisor() {
    Tensor y = Ops.avgPool2d(Tensor.ones(1, 1, 3, 3), 3, 1, 1);
    float c = 4f / 9;
    float e = 6f / 9;
    assertClose(new float[] {c, e, c, e, 1, e, c, e, c}, y, 1e-6, 0, "avgPool2d 3/s1/p1 of ones");
  }

  @Test
  void globalAvgPoolIsThePlaneMean() {
    Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6, 10, 20, 30, 40, 50, 60}, 1, 2, 2, 3);
    Tensor y = Ops.globalAvgPool(x);
    assertEquals(Shape.of(1, 2), y.shape(), "globalAvgPool shape");
    assertClose(new float[] {3.5f, 35f}, y, 1e-6, 0, "globalAvgPool values");
  }

  @Test
  void shortcutASubsamplesAndPadsChannels() {
    float[] v = new float[18];
    for (int i = 0; i < v.length; i++) {
      v[i] = i;
    }
    Tensor y =
        Ops.shortcutA(Tensor.of(v, 1, 2, 3, 3), 4); // odd 3×3 → 2×2, one zero channel per side
    assertEquals(Shape.of(1, 4, 2, 2), y.shape(), "shortcutA shape");
    assertClose(
        new float[] {0, 0, 0, 0, 0, 2, 6, 8, 9, 11, 15, 17, 0, 0, 0, 0},
        y,
        0,
        0,
        "shortcutA values");
    Tensor even = Ops.shortcutA(Tensor.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 1, 1, 2, 4), 1);
    assertEquals(Shape.of(1, 1, 1, 2), even.shape(), "shortcutA even shape");
    assertClose(new float[] {1, 3}, even, 0, 0, "shortcutA even values, no padding channels");
  }
}
