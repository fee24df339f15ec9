package cs4j.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cs4j.ops.Ops;
import cs4j.tensor.Rng;
import cs4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The gradient check itself must be able to fail, and say where. */
class GradCheckTest {

  /** y = 2x whose backward is wrong at flat index {@code badIndex} (gradient 2.01 instead of 2). */
  private static Tensor doubleWithWrongGradientAt(Tensor x, int badIndex) {
    Tensor y = Ops.scale(x, 2f).detach();
    return Graph.record(
        new Node("wrongDouble", 1, x) {
          @Override
          protected Tensor[] backward(Tensor[] g) {
            float[] d = Ops.scale(g[0], 2f).toArray();
            d[badIndex] *= 1.005f;
            return new Tensor[] {Tensor.of(d, g[0].shape().dims())};
          }
        },
        y);
  }

  @Test
  void elementwiseCheckFindsTheBadElement() {
    Tensor x = Tensor.normal(new Rng(1), 0f, 1f, 3, 4).requiresGrad(true);
    GradCheck.Result r =
        GradCheck.checkElementwise(
            in -> doubleWithWrongGradientAt(in[0], 6), new Tensor[] {x}, 0.5, 1);
    assertTrue(r.maxRelativeError() > 4e-3, "a 0.5% error is seen: " + r);
    assertEquals(12, r.probes(), "one probe per element");
    assertTrue(r.worst().contains("element [1, 2]"), "names flat index 6 as [1, 2]: " + r);
    AssertionError e = assertThrows(AssertionError.class, () -> r.assertBelow(1e-3));
    assertTrue(e.getMessage().contains("tolerance 0.001"), e.getMessage());
  }

  @Test
  void directionalCheckSeesTheBadElementToo() {
    Tensor x = Tensor.normal(new Rng(2), 0f, 1f, 3, 4).requiresGrad(true);
    GradCheck.Result r =
        GradCheck.check(in -> doubleWithWrongGradientAt(in[0], 6), new Tensor[] {x}, 0.5, 3, 1);
    assertTrue(r.maxRelativeError() > 1e-4, "seen along random directions: " + r);
  }

  @Test
  void correctGradientPasses() {
    Tensor x = Tensor.normal(new Rng(3), 0f, 1f, 3, 4).requiresGrad(true);
    GradCheck.checkElementwise(in -> Ops.scale(in[0], 2f), new Tensor[] {x}, 0.5, 1)
        .assertBelow(1e-6);
  }

  @Test
  void anInputWithoutGradientFails() {
    Tensor x = Tensor.normal(new Rng(4), 0f, 1f, 3).requiresGrad(true);
    Tensor y = Tensor.normal(new Rng(5), 0f, 1f, 3).requiresGrad(true);
    // y is ignored by f: it requires a gradient but none reaches it.
    GradCheck.Result r =
        GradCheck.checkElementwise(in -> Ops.relu(in[0]), new Tensor[] {x, y}, 1e-2, 1);
    assertEquals(Double.POSITIVE_INFINITY, r.maxRelativeError(), r.toString());
    assertTrue(r.worst().contains("input 1") && r.worst().contains("no gradient"), r.toString());
  }

  @Test
  void checkingNothingFails() {
    Tensor x = Tensor.normal(new Rng(6), 0f, 1f, 3);
    GradCheck.Result r = GradCheck.check(in -> Ops.relu(in[0]), new Tensor[] {x}, 1e-2, 2, 1);
    assertEquals(0, r.probes(), "no input requires a gradient");
    assertThrows(AssertionError.class, () -> r.assertBelow(1));
  }

  @Test
  void nanGradientCountsAsInfinite() {
    Tensor x = Tensor.of(new float[] {1f, 2f}, 2).requiresGrad(true);
    GradCheck.Result r =
        GradCheck.checkElementwise(
            in -> Ops.mul(in[0], Tensor.of(new float[] {Float.NaN, 1f}, 2)),
            new Tensor[] {x},
            0.5,
            1);
    assertEquals(Double.POSITIVE_INFINITY, r.maxRelativeError(), r.toString());
  }

  @Test
  void inputsAreRestoredAfterTheCheck() {
    Tensor x = Tensor.normal(new Rng(7), 0f, 1f, 2, 3).requiresGrad(true);
    float[] before = x.toArray();
    GradCheck.check(in -> Ops.sigmoid(in[0]), new Tensor[] {x}, 1e-2, 3, 1);
    GradCheck.checkElementwise(in -> Ops.sigmoid(in[0]), new Tensor[] {x}, 1e-2, 1);
    assertArrayEquals(before, x.toArray(), "x bitwise as before");
  }
}
