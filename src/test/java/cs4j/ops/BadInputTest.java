package cs4j.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import cs4j.autograd.Autograd;
import cs4j.autograd.NonFiniteLossException;
import cs4j.tensor.Device;
import cs4j.tensor.Storage;
import cs4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Bad input fails at once with an exception that names the op, the argument and the expected and
 * actual shapes (or values); a NaN reaching the loss stops backward. Messages are asserted by the
 * fragments a reader needs, not verbatim.
 */
class BadInputTest {

  /** Asserts an IllegalArgumentException whose message contains every fragment. */
  private static void rejects(Executable call, String... fragments) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    String m = e.getMessage();
    for (String f : fragments) {
      if (m == null || !m.contains(f)) {
        fail("message should contain '" + f + "': " + m);
      }
    }
  }

  private static Tensor t(int... dims) {
    return Tensor.zeros(dims);
  }

  // ---- shapes ---------------------------------------------------------------------------------

  @Test
  void elementwise() {
    rejects(() -> Ops.add(t(2, 3), t(3, 2)), "add", "a [2, 3]", "b [3, 2]");
    rejects(() -> Ops.mul(t(2, 3), t(2, 3, 1)), "mul", "a [2, 3]", "b [2, 3, 1]");
  }

  @Test
  void reductionsAndReshapes() {
    rejects(() -> Ops.sum(t(0)), "sum", "empty", "[0]");
    rejects(() -> Ops.mean(t(2, 0)), "mean", "empty", "[2, 0]");
    rejects(() -> Ops.reshape(t(2, 3), 4), "reshape", "[2, 3]", "[4]");
    rejects(() -> Ops.reshape(t(2, 3), -1, -1), "reshape", "-1");
    rejects(() -> Ops.reshape(t(2, 3), 4, -1), "reshape", "[2, 3]", "[4, -1]");
    rejects(() -> Ops.flatten(Tensor.scalar(1f)), "flatten", "x", "[]");
  }

  @Test
  void matmulAndBias() {
    rejects(() -> Ops.matmul(t(2, 3, 4), t(4, 5)), "matmul", "a", "[M, K]", "[2, 3, 4]");
    rejects(() -> Ops.matmul(t(2, 3), t(3)), "matmul", "b", "[K, N]", "[3]");
    rejects(() -> Ops.matmul(t(2, 3), t(4, 5)), "matmul", "a [2, 3]", "b [4, 5]", "K = 3", "K = 4");
    rejects(() -> Ops.addBias(t(3), t(3)), "addBias", "x", "[3]");
    rejects(() -> Ops.addBias(t(2, 3, 4, 4), t(4)), "addBias", "bias", "[3]", "[4]");
  }

  @Test
  void linear() {
    rejects(() -> Ops.linear(t(2, 3, 4), t(5, 12), null), "linear", "x", "[N, F]", "[2, 3, 4]");
    rejects(() -> Ops.linear(t(2, 6), t(5, 6, 1), null), "linear", "w", "[K, F]", "[5, 6, 1]");
    rejects(() -> Ops.linear(t(2, 6), t(5, 4), null), "linear", "w [5, 4]", "x [2, 6]", "F");
    rejects(() -> Ops.linear(t(2, 6), t(5, 6), t(6)), "linear", "bias", "[5]", "[6]");
  }

  @Test
  void conv2d() {
    rejects(() -> Ops.conv2d(t(3, 8, 8), t(4, 3, 3, 3), null, 1, 1), "conv2d", "x", "[3, 8, 8]");
    rejects(() -> Ops.conv2d(t(1, 3, 8, 8), t(4, 3, 3), null, 1, 1), "conv2d", "w", "[4, 3, 3]");
    rejects(
        () -> Ops.conv2d(t(1, 3, 8, 8), t(4, 2, 3, 3), null, 1, 1),
        "conv2d",
        "w [4, 2, 3, 3]",
        "x [1, 3, 8, 8]",
        "C");
    rejects(
        () -> Ops.conv2d(t(1, 3, 2, 8), t(4, 3, 5, 5), null, 1, 1),
        "conv2d",
        "5×5",
        "x [1, 3, 2, 8]",
        "padded by 1");
    rejects(() -> Ops.conv2d(t(1, 3, 8, 8), t(4, 3, 3, 3), null, 0, 1), "conv2d", "stride", "0");
    rejects(() -> Ops.conv2d(t(1, 3, 8, 8), t(4, 3, 3, 3), null, 1, -1), "conv2d", "padding");
    rejects(
        () -> Ops.conv2d(t(1, 3, 8, 8), t(4, 3, 3, 3), t(3), 1, 1), "conv2d", "bias", "[4]", "[3]");
    rejects(() -> Ops.conv2d(t(0, 3, 8, 8), t(4, 3, 3, 3), null, 1, 1), "conv2d", "x", "empty");
  }

  @Test
  void batchNorm() {
    Tensor c3 = t(3);
    rejects(() -> bn(t(2, 3, 4), c3, c3, true), "batchNorm", "x", "[2, 3, 4]");
    rejects(() -> bn(t(2, 3, 4, 4), t(4), c3, true), "batchNorm", "gamma", "[3]", "[4]");
    rejects(() -> bn(t(2, 3, 4, 4), c3, t(2), true), "batchNorm", "beta", "[3]", "[2]");
    rejects(
        () -> Ops.batchNorm(t(2, 3), c3, c3, t(1), c3, true, 0.1f, 1e-5f),
        "batchNorm",
        "runningMean",
        "[1]");
    rejects(
        () -> Ops.batchNorm(t(2, 3), c3, c3, c3, t(3, 1), false, 0.1f, 1e-5f),
        "batchNorm",
        "runningVar",
        "[3, 1]");
    rejects(() -> bn(t(1, 3, 1, 1), c3, c3, true), "batchNorm", "one value per channel");
    rejects(
        () -> Ops.batchNorm(t(2, 3), c3, c3, t(3), t(3), true, 1.5f, 1e-5f),
        "batchNorm",
        "momentum",
        "1.5");
    rejects(() -> Ops.batchNorm(t(2, 3), c3, c3, t(3), t(3), false, 0.1f, 0f), "batchNorm", "eps");
  }

  @Test
  void fusedBatchNormRelu() {
    Tensor c3 = t(3);
    rejects(
        () -> Ops.batchNormRelu(t(2, 3, 4, 4), t(4), c3, c3, c3, true, 0.1f, 1e-5f, false),
        "batchNormRelu",
        "gamma",
        "[3]",
        "[4]");
    rejects(
        () -> Ops.batchNormRelu(t(1, 3, 1, 1), c3, c3, c3, c3, true, 0.1f, 1e-5f, true),
        "batchNormRelu",
        "one value per channel");
    rejects(
        () ->
            Ops.batchNormAddRelu(
                t(2, 3, 4, 4), t(2, 3, 4, 5), c3, c3, c3, c3, false, 0.1f, 1e-5f, true),
        "batchNormAddRelu",
        "residual",
        "[2, 3, 4, 5]");
  }

  private static Tensor bn(Tensor x, Tensor gamma, Tensor beta, boolean training) {
    return Ops.batchNorm(x, gamma, beta, t(3), Tensor.ones(3), training, 0.1f, 1e-5f);
  }

  @Test
  void pooling() {
    rejects(() -> Ops.maxPool2d(t(3, 8, 8), 2, 2, 0), "maxPool2d", "x", "[3, 8, 8]");
    rejects(() -> Ops.maxPool2d(t(1, 3, 8, 8), 0, 2, 0), "maxPool2d", "kernel", "0");
    rejects(() -> Ops.maxPool2d(t(1, 3, 8, 8), 2, 0, 0), "maxPool2d", "stride", "0");
    rejects(() -> Ops.maxPool2d(t(1, 3, 8, 8), 3, 2, 2), "maxPool2d", "padding", "2");
    rejects(() -> Ops.maxPool2d(t(1, 3, 2, 2), 3, 1, 0), "maxPool2d", "3×3", "x [1, 3, 2, 2]");
    rejects(() -> Ops.avgPool2d(t(1, 3, 8), 2, 2, 0), "avgPool2d", "x", "[1, 3, 8]");
    rejects(() -> Ops.avgPool2d(t(1, 3, 2, 4), 4, 1, 0), "avgPool2d", "4×4", "x [1, 3, 2, 4]");
    rejects(() -> Ops.globalAvgPool(t(2, 3)), "globalAvgPool", "x", "[2, 3]");
    rejects(() -> Ops.globalAvgPool(t(2, 3, 0, 4)), "globalAvgPool", "x", "empty");
    rejects(() -> Ops.shortcutA(t(2, 3, 4), 6), "shortcutA", "x", "[2, 3, 4]");
    rejects(() -> Ops.shortcutA(t(1, 4, 4, 4), 2), "shortcutA", "outChannels", "C = 4", "2");
    rejects(() -> Ops.shortcutA(t(1, 4, 4, 4), 7), "shortcutA", "outChannels", "even", "7");
  }

  @Test
  void crossEntropy() {
    rejects(() -> Ops.crossEntropy(t(4), t(4)), "crossEntropy", "logits", "[N, K]", "[4]");
    rejects(() -> Ops.crossEntropy(t(4, 3), t(3)), "crossEntropy", "labels", "[4]", "[3]");
    rejects(() -> Ops.crossEntropy(t(0, 3), t(0)), "crossEntropy", "logits", "[0, 3]");
    Tensor logits = t(3, 5);
    rejects(() -> ce(logits, 0, 5, 1), "crossEntropy", "labels[1] = 5.0", "[0, 5)");
    rejects(() -> ce(logits, 0, 1, -1), "crossEntropy", "labels[2] = -1.0");
    rejects(() -> ce(logits, 0.5f, 1, 1), "crossEntropy", "labels[0] = 0.5");
    rejects(() -> ce(logits, Float.NaN, 1, 1), "crossEntropy", "labels[0] = NaN");
    Tensor trainableLabels = Tensor.of(new float[] {0, 1, 2}, 3).requiresGrad(true);
    rejects(() -> Ops.crossEntropy(logits, trainableLabels), "crossEntropy", "labels", "gradient");
  }

  private static Tensor ce(Tensor logits, float... labels) {
    return Ops.crossEntropy(logits, Tensor.of(labels, labels.length));
  }

  @Test
  void maskedWeight() {
    rejects(() -> Ops.maskedWeight(t(3, 4), t(4, 3), 1f, 1f, 0f), "maskedWeight", "w [3, 4]");
    rejects(() -> Ops.maskedWeight(t(3), t(3), 0f, 1f, 0f), "maskedWeight", "beta", "0.0");
    rejects(() -> Ops.maskedWeight(t(3), t(3), 1f, 1f, -1f), "maskedWeight", "lambda", "-1.0");
    rejects(
        () -> Ops.maskedWeight(t(3), t(3), Float.POSITIVE_INFINITY, 1f, 0f),
        "maskedWeight",
        "beta",
        "Infinity");
    rejects(() -> Ops.maskedWeight(t(3), t(3), 1f, Float.NaN, 0f), "maskedWeight", "c", "NaN");
  }

  // ---- devices --------------------------------------------------------------------------------

  /** A second device with heap storage: enough to put tensors "elsewhere" without a GPU. */
  private static final class FakeDevice extends Device {
    @Override
    public String name() {
      return "fake:0";
    }

    @Override
    public Storage allocate(int n) {
      return new FakeStorage(new float[n], this);
    }

    @Override
    public Storage upload(float[] values) {
      return new FakeStorage(values.clone(), this);
    }

    @Override
    public void download(Storage storage, float[] dst) {
      float[] src = ((FakeStorage) storage).data();
      System.arraycopy(src, 0, dst, 0, src.length);
    }

    @Override
    public void write(float[] src, Storage dst) {
      System.arraycopy(src, 0, ((FakeStorage) dst).data(), 0, src.length);
    }
  }

  private record FakeStorage(float[] data, Device device) implements Storage {
    @Override
    public int size() {
      return data.length;
    }
  }

  private static final Device FAKE = new FakeDevice();

  private static Tensor f(int... dims) {
    return Tensor.zeros(FAKE, dims);
  }

  @Test
  void mismatchedDevicesNameTheArgumentAndBothDevices() {
    rejects(() -> Ops.add(t(2), f(2)), "add", "b", "fake:0", "cpu");
    rejects(() -> Ops.mul(f(2), t(2)), "mul", "b", "cpu", "fake:0");
    rejects(() -> Ops.matmul(t(2, 3), f(3, 2)), "matmul", "b", "fake:0");
    rejects(() -> Ops.addBias(t(2, 3), f(3)), "addBias", "bias", "fake:0");
    rejects(() -> Ops.linear(t(2, 3), f(4, 3), null), "linear", "w", "fake:0");
    rejects(() -> Ops.linear(t(2, 3), t(4, 3), f(4)), "linear", "bias", "fake:0");
    rejects(() -> Ops.conv2d(t(1, 3, 4, 4), f(2, 3, 3, 3), null, 1, 1), "conv2d", "w", "fake:0");
    rejects(() -> Ops.conv2d(t(1, 3, 4, 4), t(2, 3, 3, 3), f(2), 1, 1), "conv2d", "bias", "fake");
    rejects(
        () -> Ops.batchNorm(t(2, 3), t(3), t(3), t(3), f(3), true, 0.1f, 1e-5f),
        "batchNorm",
        "runningVar",
        "fake:0");
    rejects(() -> Ops.crossEntropy(t(2, 3), f(2)), "crossEntropy", "labels", "fake:0");
    rejects(() -> Ops.maskedWeight(f(3), t(3), 1f, 1f, 0f), "maskedWeight", "s", "cpu", "fake");
  }

  @Test
  void aDeviceWithoutABackendIsNamed() {
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> Ops.relu(f(2)));
    assertTrue(e.getMessage().contains("fake:0"), e.getMessage());
  }

  // ---- NaN reaching the loss -----------------------------------------------------------------

  /**
   * Design: forward ops do not scan their inputs for NaN (metrics are read once per step, and on a
   * GPU every scan is a device-to-host sync); a NaN or ∞ that reaches the loss is caught by
   * backward, which reads the scalar loss anyway, before any gradient is written.
   */
  @Test
  void nanLogitsGiveANanLossThatBackwardRejects() {
    Tensor w = Tensor.ones(3, 3).requiresGrad(true);
    Tensor x = Tensor.of(new float[] {1, Float.NaN, 0, 0, 1, 0}, 2, 3);
    Tensor loss = Ops.crossEntropy(Ops.linear(x, w, null), Tensor.of(new float[] {0, 2}, 2));
    assertTrue(Float.isNaN(loss.item()), "the loss carries the NaN, got " + loss.item());
    NonFiniteLossException e =
        assertThrows(NonFiniteLossException.class, () -> Autograd.backward(loss));
    assertTrue(e.getMessage().contains("NaN"), "says NaN: " + e.getMessage());
    assertTrue(e.getMessage().contains("crossEntropy"), "names the loss op: " + e.getMessage());
    assertNull(w.grad(), "no gradient written");
  }

  @Test
  void infiniteLogitsAreCaughtToo() {
    Tensor logits = Tensor.of(new float[] {Float.POSITIVE_INFINITY, 0f}, 1, 2).requiresGrad(true);
    Tensor loss = Ops.crossEntropy(logits, Tensor.of(new float[] {1}, 1));
    assertThrows(NonFiniteLossException.class, () -> Autograd.backward(loss));
    assertEquals(null, logits.grad(), "no gradient written");
  }
}
