package cs4j.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cs4j.autograd.Autograd;
import cs4j.autograd.GradCheck;
import cs4j.autograd.Graph;
import cs4j.tensor.Rng;
import cs4j.tensor.Tensor;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The fused ops batchNormRelu and batchNormAddRelu against their compositions relu(batchNorm(x))
 * and relu(add(batchNorm(x), r)), bit for bit: outputs, running statistics and every gradient, on
 * odd shapes, channel counts off the vector width, tiny maps and [N, C] input; in eval, in place
 * only when asked and when nothing records. Plus gradient checks of the fused ops themselves, with
 * outputs kept ≥ 0.05 from ReLU's kink, step 1e-2 (truncation through the batch statistics observed
 * ≤ 2.2e-4): tolerance 5e-4.
 */
class FusedReluTest {
  private static final float MOMENTUM = 0.1f;
  private static final float EPS = 1e-5f;

  private static final int[][] SHAPES = {
    {2, 1, 1, 1},
    {3, 5, 7, 9},
    {4, 17, 3, 5},
    {1, 3, 2, 1},
    {2, 33, 5, 5},
    {6, 19},
    {3, 2, 1, 1},
    {2, 16, 32, 32}
  };

  /**
   * One batch norm's inputs and an optional residual, copied so that two runs accumulate separate
   * gradients.
   */
  private record Inputs(
      Tensor x, Tensor residual, Tensor gamma, Tensor beta, Tensor runMean, Tensor runVar) {
    static Inputs random(Rng rng, boolean residual, int... dims) {
      int c = dims[1];
      return new Inputs(
          Tensor.normal(rng, 0.3f, 1.5f, dims),
          residual ? Tensor.normal(rng, 0f, 1f, dims) : null,
          Tensor.uniform(rng, 0.5f, 1.5f, c),
          Tensor.normal(rng, 0f, 0.5f, c),
          Tensor.normal(rng, 0f, 0.5f, c),
          Tensor.uniform(rng, 0.5f, 2f, c));
    }

    Inputs copy(boolean grads) {
      return new Inputs(
          leaf(x, grads),
          residual == null ? null : leaf(residual, grads),
          leaf(gamma, grads),
          leaf(beta, grads),
          leaf(runMean, false),
          leaf(runVar, false));
    }

    private static Tensor leaf(Tensor t, boolean grad) {
      return Tensor.of(t.toArray(), t.shape().dims()).requiresGrad(grad);
    }

    Tensor composed(boolean training) {
      Tensor y = Ops.batchNorm(x, gamma, beta, runMean, runVar, training, MOMENTUM, EPS);
      return Ops.relu(residual == null ? y : Ops.add(y, residual));
    }

    Tensor fused(boolean training, boolean consumeX) {
      return fused(x, residual, gamma, beta, training, consumeX);
    }

    /** The fused op on these running statistics and the given inputs. */
    Tensor fused(Tensor x, Tensor r, Tensor g, Tensor b, boolean training, boolean consumeX) {
      return r == null
          ? Ops.batchNormRelu(x, g, b, runMean, runVar, training, MOMENTUM, EPS, consumeX)
          : Ops.batchNormAddRelu(x, r, g, b, runMean, runVar, training, MOMENTUM, EPS, consumeX);
    }

    String name(int[] dims) {
      return (residual == null ? "batchNormRelu " : "batchNormAddRelu ") + Arrays.toString(dims);
    }
  }

  @Test
  void trainingIsTheCompositionBitForBit() {
    Rng rng = new Rng(71);
    for (boolean withResidual : new boolean[] {false, true}) {
      for (int[] dims : SHAPES) {
        Inputs in = Inputs.random(rng, withResidual, dims);
        String what = in.name(dims);
        Tensor dY = Tensor.normal(rng, 0f, 1f, dims);
        Inputs a = in.copy(true);
        Inputs b = in.copy(true);
        Tensor expected = a.composed(true);
        Tensor actual = b.fused(true, true);
        assertTrue(countZeros(actual) > 0 || actual.numel() < 8, what + ": some outputs clipped");
        assertSameBits(expected, actual, what + " output");
        assertSameBits(a.runMean, b.runMean, what + " running mean");
        assertSameBits(a.runVar, b.runVar, what + " running variance");
        Autograd.backward(expected, dY);
        Autograd.backward(actual, dY);
        assertSameBits(a.x.grad(), b.x.grad(), what + " dX");
        assertSameBits(a.gamma.grad(), b.gamma.grad(), what + " dGamma");
        assertSameBits(a.beta.grad(), b.beta.grad(), what + " dBeta");
        if (withResidual) {
          assertSameBits(a.residual.grad(), b.residual.grad(), what + " dResidual");
        }
      }
    }
  }

  @Test
  void evalOverwritesXOnlyWhenAskedAndNothingRecords() {
    Rng rng = new Rng(72);
    for (boolean withResidual : new boolean[] {false, true}) {
      for (int[] dims : SHAPES) {
        Inputs in = Inputs.random(rng, withResidual, dims);
        String what = in.name(dims) + " eval";
        Tensor expected = in.copy(false).composed(false);
        try (var noGrad = Graph.noGrad()) {
          Inputs kept = in.copy(true);
          assertSameBits(expected, kept.fused(false, false), what + ", new output");
          assertSameBits(in.x, kept.x, what + ", x left alone");
          Inputs consumed = in.copy(true);
          Tensor y = consumed.fused(false, true);
          assertSame(consumed.x, y, what + ": in place");
          assertSameBits(expected, y, what + ", in place");
        }
        Inputs recorded = in.copy(true);
        Tensor y = recorded.fused(false, true);
        assertSameBits(in.x, recorded.x, what + ": recording, so x is kept for backward");
        assertSameBits(expected, y, what + ", recorded");
      }
    }
  }

  @Test
  void gradients() {
    // Each channel of x [2, 2, 2, 3] holds 1 + 2·{±0.5, ±1, …, ±3} shuffled, β = 0 and the residual
    // 0: x̂ is symmetric and |x̂| ≥ 0.25, so γ·x̂ stays ≥ 0.05 from the kink under steps of 1e-2.
    Rng rng = new Rng(73);
    float[] x = new float[24];
    for (int c = 0; c < 2; c++) {
      float[] v = new float[12];
      for (int i = 0; i < 6; i++) {
        v[2 * i] = 1f + (i + 1);
        v[2 * i + 1] = 1f - (i + 1);
      }
      for (int i = 11; i > 0; i--) {
        int j = rng.nextInt(i + 1);
        float t = v[i];
        v[i] = v[j];
        v[j] = t;
      }
      for (int k = 0; k < 12; k++) { // element k of channel c: batch k / 6, position k % 6
        x[((k / 6) * 2 + c) * 6 + k % 6] = v[k];
      }
    }
    Inputs in =
        new Inputs(
            Tensor.of(x, 2, 2, 2, 3),
            Tensor.zeros(2, 2, 2, 3),
            Tensor.uniform(rng, 0.5f, 1.5f, 2),
            Tensor.zeros(2),
            Tensor.zeros(2),
            Tensor.ones(2));
    for (float v : in.copy(false).fused(true, false).toArray()) {
      assertTrue(v == 0f || v >= 0.05f, "precondition: output " + v + " near ReLU's kink");
    }
    Inputs g = in.copy(true);
    GradCheck.checkElementwise(
            t -> g.fused(t[0], null, t[1], t[2], true, false),
            new Tensor[] {g.x, g.gamma, g.beta},
            1e-2,
            1)
        .assertBelow(5e-4);
    GradCheck.checkElementwise(
            t -> g.fused(t[0], t[1], t[2], t[3], true, false),
            new Tensor[] {g.x, g.residual, g.gamma, g.beta},
            1e-2,
            2)
        .assertBelow(5e-4);
  }

  private static int countZeros(Tensor t) {
    int zeros = 0;
    for (float v : t.toArray()) {
      zeros += v == 0f ? 1 : 0;
    }
    return zeros;
  }

  private static void assertSameBits(Tensor expected, Tensor actual, String what) {
    assertEquals(expected.shape(), actual.shape(), what + ": shape");
    float[] e = expected.toArray();
    float[] a = actual.toArray();
    int mismatches = 0;
    int first = -1;
    for (int i = 0; i < e.length; i++) {
      if (Float.floatToRawIntBits(e[i]) != Float.floatToRawIntBits(a[i])) {
        mismatches++;
        first = first < 0 ? i : first;
      }
    }
    if (mismatches > 0) {
      assertArrayEquals(
          e,
          a,
          String.format(
              "%s: %d of %d elements differ in their bits; first at %d: expected %s, actual %s",
              what, mismatches, e.length, first, e[first], a[first]));
    }
  }
}
