package cs4j.autograd;

import static cs4j.testing.TensorAssert.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cs4j.ops.MaskedWeight;
import cs4j.ops.Ops;
import cs4j.tensor.Rng;
import cs4j.tensor.Tensor;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The engine's promises: any depth, accumulation and zeroing, sums over shared inputs, one output
 * of a multi-output node unused, saved tensors released, and clear errors for misuse.
 */
class BackwardContractTest {

  @Test
  void tenThousandLayerChainOnASmallStack() throws InterruptedException {
    // A recursive walk needs a frame or more per layer: 10,000 layers on a 256 KiB stack would
    // overflow. The gradient of x through 10,000 scalings by −1 is exactly (−1)^10000 = 1.
    AtomicReference<Throwable> failure = new AtomicReference<>();
    AtomicReference<float[]> grad = new AtomicReference<>();
    Thread t =
        new Thread(
            null,
            () -> {
              try {
                Tensor x = Tensor.of(new float[] {1.5f, -2f}, 2).requiresGrad(true);
                Tensor y = x;
                for (int i = 0; i < 10_000; i++) {
                  y = Ops.scale(y, -1f);
                }
                Autograd.backward(Ops.sum(y));
                grad.set(x.grad().toArray());
              } catch (Throwable e) {
                failure.set(e);
              }
            },
            "small-stack",
            256 * 1024);
    t.start();
    t.join();
    if (failure.get() != null) {
      throw new AssertionError("backward through a 10,000-layer chain failed", failure.get());
    }
    assertArrayEquals(new float[] {1f, 1f}, grad.get(), "gradient through 10,000 layers");
  }

  @Test
  void gradientsAccumulateUntilZeroed() {
    Tensor x = Tensor.of(new float[] {1f, 2f, 3f}, 3).requiresGrad(true);
    Autograd.backward(Ops.sum(Ops.scale(x, 2f)));
    assertClose(new float[] {2, 2, 2}, x.grad(), 0, 0, "after one backward");
    Autograd.backward(Ops.sum(Ops.mul(x, x)));
    assertClose(new float[] {4, 6, 8}, x.grad(), 0, 0, "after a second backward: 2 + 2x");
    x.zeroGrad();
    assertNull(x.grad(), "zeroGrad drops the gradient");
    Autograd.backward(Ops.sum(Ops.scale(x, 3f)));
    assertClose(new float[] {3, 3, 3}, x.grad(), 0, 0, "after zeroGrad, starts from zero");
  }

  @Test
  void aTensorUsedTwiceGetsTheSumOfBothPaths() {
    // Diamond: x → relu and x → sigmoid, joined by add. dL/dx = 1[x > 0] + σ(x)(1 − σ(x)).
    float[] v = {-1.5f, -0.25f, 0.5f, 2f};
    Tensor x = Tensor.of(v, 4).requiresGrad(true);
    Autograd.backward(Ops.sum(Ops.add(Ops.relu(x), Ops.sigmoid(x))));
    float[] expected = new float[4];
    for (int i = 0; i < 4; i++) {
      double s = 1 / (1 + Math.exp(-v[i]));
      expected[i] = (float) ((v[i] > 0 ? 1 : 0) + s * (1 - s));
    }
    assertClose(expected, x.grad(), 1e-6, 0, "diamond gradient");

    Tensor z = Tensor.of(new float[] {3f, -1f}, 2).requiresGrad(true);
    Autograd.backward(Ops.sum(Ops.mul(z, z)));
    assertClose(new float[] {6f, -2f}, z.grad(), 0, 0, "mul(z, z): both arguments are z");
  }

  @Test
  void sameGraphGivesBitwiseSameGradients() {
    float[][] first = smallNetworkGradients();
    float[][] second = smallNetworkGradients();
    for (int i = 0; i < first.length; i++) {
      assertArrayEquals(first[i], second[i], "gradient " + i + " on a second identical run");
    }
  }

  /** conv → batch norm → relu → pool → linear → cross-entropy, plus a masked weight; seeded. */
  private static float[][] smallNetworkGradients() {
    Rng rng = new Rng(5);
    Tensor x = Tensor.normal(rng, 0f, 1f, 4, 3, 6, 6);
    Tensor w = Tensor.normal(rng, 0f, 0.3f, 5, 3, 3, 3).requiresGrad(true);
    Tensor s = Tensor.normal(rng, 0f, 1f, 5, 3, 3, 3).requiresGrad(true);
    Tensor gamma = Tensor.ones(5).requiresGrad(true);
    Tensor beta = Tensor.zeros(5).requiresGrad(true);
    Tensor fc = Tensor.normal(rng, 0f, 0.3f, 10, 5).requiresGrad(true);
    Tensor labels = Tensor.of(new float[] {1, 7, 3, 3}, 4);
    MaskedWeight m = Ops.maskedWeight(w, s, 2f, 1f, 1e-3f);
    Tensor h = Ops.conv2d(x, m.weight(), null, 1, 1);
    h = Ops.relu(Ops.batchNorm(h, gamma, beta, Tensor.zeros(5), Tensor.ones(5), true, 0.1f, 1e-5f));
    h = Ops.globalAvgPool(Ops.maxPool2d(h, 2, 2, 0));
    Tensor loss = Ops.add(Ops.crossEntropy(Ops.linear(h, fc, null), labels), m.penalty());
    Autograd.backward(loss);
    return new float[][] {
      w.grad().toArray(),
      s.grad().toArray(),
      gamma.grad().toArray(),
      beta.grad().toArray(),
      fc.grad().toArray()
    };
  }

  @Test
  void topologicalOrderIsDeterministicAndPutsInputsFirst() {
    Tensor x = Tensor.of(new float[] {1f, 2f}, 2).requiresGrad(true);
    Tensor a = Ops.sigmoid(x);
    Tensor b = Ops.relu(x);
    Tensor c = Ops.mul(a, b);
    Tensor loss = Ops.sum(Ops.add(c, a));
    Node root = (Node) loss.gradFn();
    var order = Autograd.topologicalOrder(root);
    assertEquals(order, Autograd.topologicalOrder(root), "same order on a second walk");
    assertEquals(5, order.size(), "each node once: sigmoid, relu, mul, add, sum");
    assertSame(root, order.get(order.size() - 1), "the root comes last");
    for (int i = 0; i < order.size(); i++) {
      for (Tensor in : order.get(i).inputs()) {
        if (in.gradFn() instanceof Node producer) {
          assertTrue(
              order.indexOf(producer) < i,
              producer.name() + " must come before its consumer " + order.get(i).name());
        }
      }
    }
  }

  @Test
  void multiOutputNodeWithOneOutputUnused() {
    float beta = 2f;
    float c = 1.5f;
    float lambda = 0.1f;
    float[] wv = {0.5f, -1f, 2f};
    float[] sv = {0.3f, -0.2f, 1f};
    float[] sig = new float[3];
    for (int i = 0; i < 3; i++) {
      sig[i] = (float) (1 / (1 + Math.exp(-beta * sv[i])));
    }

    // Only the weight reaches the loss: dW = c·σ, dS = w·c·β·σ(1 − σ).
    Tensor w = Tensor.of(wv, 3).requiresGrad(true);
    Tensor s = Tensor.of(sv, 3).requiresGrad(true);
    Autograd.backward(Ops.sum(Ops.maskedWeight(w, s, beta, c, lambda).weight()));
    float[] dW = new float[3];
    float[] dS = new float[3];
    for (int i = 0; i < 3; i++) {
      dW[i] = c * sig[i];
      dS[i] = wv[i] * c * beta * sig[i] * (1 - sig[i]);
    }
    assertClose(dW, w.grad(), 1e-6, 0, "dW, weight only");
    assertClose(dS, s.grad(), 1e-6, 1e-7, "dS, weight only");

    // Only the penalty: dW = 0, dS = λ·c·β·σ(1 − σ).
    w.zeroGrad();
    s.zeroGrad();
    Autograd.backward(Ops.maskedWeight(w, s, beta, c, lambda).penalty());
    for (int i = 0; i < 3; i++) {
      dS[i] = lambda * c * beta * sig[i] * (1 - sig[i]);
    }
    assertClose(new float[3], w.grad(), 0, 0, "dW, penalty only");
    assertClose(dS, s.grad(), 1e-6, 1e-8, "dS, penalty only");
  }

  @Test
  void savedTensorsAreReleasedAndASecondBackwardThrows() {
    Tensor x = Tensor.of(new float[] {1f, 2f}, 2).requiresGrad(true);
    Tensor loss = Ops.sum(Ops.mul(x, Ops.sigmoid(x)));
    Autograd.backward(loss);
    float[] once = x.grad().toArray();
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> Autograd.backward(loss));
    assertTrue(e.getMessage().contains("sum"), "names the op: " + e.getMessage());
    assertTrue(e.getMessage().contains("second time"), "says why: " + e.getMessage());
    assertArrayEquals(once, x.grad().toArray(), "the failed second backward added nothing");
    Node root = (Node) loss.gradFn();
    assertThrows(IllegalStateException.class, root::inputs, "inputs dropped after backward");
  }

  @Test
  void backwardNeedsAScalar() {
    Tensor x = Tensor.of(new float[] {1f, 2f}, 2).requiresGrad(true);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Autograd.backward(Ops.relu(x)));
    assertTrue(e.getMessage().contains("scalar"), e.getMessage());
    assertTrue(e.getMessage().contains("[2]"), "gives the shape: " + e.getMessage());
  }

  @Test
  void backwardNeedsALossThatRequiresAGradient() {
    Tensor x = Tensor.of(new float[] {1f, 2f}, 2);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Autograd.backward(Ops.sum(x)));
    assertTrue(e.getMessage().contains("requiresGrad"), e.getMessage());
  }

  @Test
  void seedGradientMustMatchTheRootShape() {
    Tensor x = Tensor.of(new float[] {1f, 2f}, 2).requiresGrad(true);
    Tensor y = Ops.relu(x);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Autograd.backward(y, Tensor.zeros(3)));
    assertTrue(e.getMessage().contains("[3]") && e.getMessage().contains("[2]"), e.getMessage());
  }

  @Test
  void nonFiniteLossThrowsBeforeAnyGradientIsTouched() {
    Tensor x = Tensor.of(new float[] {1f, 2f}, 2).requiresGrad(true);
    Autograd.backward(Ops.sum(x));
    Tensor before = x.grad();
    float[] values = before.toArray();

    Tensor nan = Ops.mul(x, Tensor.of(new float[] {Float.NaN, 1f}, 2));
    NonFiniteLossException e =
        assertThrows(NonFiniteLossException.class, () -> Autograd.backward(Ops.sum(nan)));
    assertTrue(e.getMessage().contains("NaN"), "says NaN: " + e.getMessage());
    assertSame(before, x.grad(), "gradient untouched by the NaN loss");
    assertArrayEquals(values, x.grad().toArray(), "gradient values untouched");

    Tensor inf = Ops.scale(x, Float.POSITIVE_INFINITY);
    NonFiniteLossException e2 =
        assertThrows(NonFiniteLossException.class, () -> Autograd.backward(Ops.sum(inf)));
    assertTrue(e2.getMessage().contains("Infinity"), "says infinite: " + e2.getMessage());
    assertSame(before, x.grad(), "gradient untouched by the infinite loss");
  }

  @Test
  void leavesThatDoNotRequireAGradientGetNone() {
    Tensor x = Tensor.of(new float[] {1f, 2f}, 2).requiresGrad(true);
    Tensor k = Tensor.of(new float[] {3f, 4f}, 2);
    Autograd.backward(Ops.sum(Ops.mul(x, k)));
    assertNotNull(x.grad(), "x requires a gradient");
    assertNull(k.grad(), "k does not");
  }
}
