package cs4j.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import cs4j.autograd.Autograd;
import cs4j.backend.ConvGeometry;
import cs4j.backend.Devices;
import cs4j.models.InputSpec;
import cs4j.models.Models;
import cs4j.nn.Module;
import cs4j.ops.Ops;
import cs4j.optim.ParamGroup;
import cs4j.optim.Sgd;
import cs4j.sparsity.LayerSelection;
import cs4j.sparsity.MaskLogits;
import cs4j.tensor.Device;
import cs4j.tensor.MemoryScope;
import cs4j.tensor.Rng;
import cs4j.tensor.Tensor;
import cs4j.testing.MaskedResNet20;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * CPU results do not depend on the thread count, bit for bit: every reduction and a few training
 * steps give the same bits on 1, 2, 3 and 4 threads (the process-wide count, {@link
 * Devices#setCpuThreads}).
 */
class ThreadCountDeterminismTest {
  private static final int[] THREADS = {1, 2, 3, 4};

  /** Weight-gradient shapes: odd batches, one image, stride 2, 2×2 maps (large groups), 1×1. */
  private static final ConvGeometry[] CONVS = {
    ConvGeometry.square(13, 16, 16, 16, 3, 1, 1),
    ConvGeometry.square(1, 3, 9, 9, 3, 1, 1),
    ConvGeometry.square(9, 8, 15, 15, 3, 2, 1),
    ConvGeometry.square(70, 24, 2, 2, 3, 1, 1),
    ConvGeometry.square(37, 16, 8, 8, 1, 2, 0)
  };

  private static final int CONV_K = 12;

  private int threadsBefore;

  @BeforeEach
  void remember() {
    threadsBefore = Devices.cpuThreads();
  }

  @AfterEach
  void restore() {
    Devices.setCpuThreads(threadsBefore);
  }

  @Test
  void kernelsAreIdenticalForAnyThreadCount() {
    assertSameForEveryThreadCount(ThreadCountDeterminismTest::kernels);
  }

  @Test
  void lenet300StepsAreIdenticalForAnyThreadCount() {
    assertSameForEveryThreadCount(ThreadCountDeterminismTest::maskedLenetSteps);
  }

  @Test
  void maskedResNet20StepsAreIdenticalForAnyThreadCount() {
    assertSameForEveryThreadCount(
        () -> {
          try (MaskedResNet20 net = new MaskedResNet20(Device.CPU, 3)) {
            Tensor[] batch = MaskedResNet20.batch(4, 6);
            Map<String, float[]> out = new LinkedHashMap<>();
            for (int s = 0; s < 3; s++) {
              out.put("loss " + s, net.step(batch, true).get("loss"));
            }
            out.putAll(net.state());
            return out;
          }
        });
  }

  private void assertSameForEveryThreadCount(Supplier<Map<String, float[]>> run) {
    Devices.setCpuThreads(THREADS[0]);
    Map<String, float[]> first = run.get();
    for (int t = 1; t < THREADS.length; t++) {
      Devices.setCpuThreads(THREADS[t]);
      Map<String, float[]> other = run.get();
      assertEquals(first.keySet(), other.keySet());
      for (String key : first.keySet()) {
        assertArrayEquals(
            first.get(key),
            other.get(key),
            key + ": " + THREADS[0] + " vs " + THREADS[t] + " threads");
      }
    }
  }

  /** Every CPU kernel that sums across items, and convolution, on the shared backend, by name. */
  private static Map<String, float[]> kernels() {
    CpuBackend cpu = CpuBackend.get();
    Rng rng = new Rng(21);
    Map<String, float[]> out = new LinkedHashMap<>();

    int big = 5 * CpuBackend.GRAIN + 124; // several blocks and a short last one
    Tensor x = Tensor.of(cancelling(rng, big), big);
    Tensor sum = Tensor.zeros(1);
    cpu.sum(x, sum);
    out.put("sum", sum.toArray());

    Tensor w = Tensor.uniform(rng, -1f, 1f, big);
    Tensor s = Tensor.of(wide(rng, big), big);
    Tensor wEff = Tensor.zeros(big);
    Tensor penalty = Tensor.zeros(1);
    cpu.maskedWeight(w, s, 1.5f, 2f, 1e-3f, wEff, penalty);
    out.put("masked weight", wEff.toArray());
    out.put("masked penalty", penalty.toArray());

    for (ConvGeometry g : CONVS) {
      Tensor in = Tensor.uniform(rng, -1f, 1f, g.n(), g.c(), g.h(), g.w());
      Tensor dY = Tensor.uniform(rng, -1f, 1f, g.n(), CONV_K, g.p(), g.q());
      Tensor convW = Tensor.uniform(rng, -1f, 1f, CONV_K, g.c(), g.r(), g.s());
      Tensor convY = Tensor.zeros(g.n(), CONV_K, g.p(), g.q());
      Tensor convDX = Tensor.zeros(g.n(), g.c(), g.h(), g.w());
      Tensor dW = Tensor.zeros(CONV_K, g.c(), g.r(), g.s());
      cpu.conv2d(in, convW, convY, g);
      cpu.conv2dBackwardData(dY, convW, convDX, g);
      cpu.conv2dBackwardWeight(in, dY, dW, g);
      out.put("conv forward " + g, convY.toArray());
      out.put("conv backward data " + g, convDX.toArray());
      out.put("conv backward weight " + g, dW.toArray());
    }

    // [37, 300] · [300, 129]: GEMM splits over rows or columns, never along the depth
    Tensor a = Tensor.uniform(rng, -1f, 1f, 300, 37);
    Tensor b = Tensor.uniform(rng, -1f, 1f, 129, 300);
    Tensor c = Tensor.zeros(37, 129);
    cpu.gemm(true, true, 37, 129, 300, 1f, a, b, 0f, c);
    out.put("gemm", c.toArray());

    int n = 7;
    int ch = 5;
    Tensor bx = Tensor.uniform(rng, -1f, 1f, n, ch, 11, 13);
    Tensor bdY = Tensor.uniform(rng, -1f, 1f, n, ch, 11, 13);
    Tensor gamma = Tensor.uniform(rng, 0.5f, 1.5f, ch);
    Tensor beta = Tensor.uniform(rng, -1f, 1f, ch);
    Tensor runMean = Tensor.zeros(ch);
    Tensor runVar = Tensor.ones(ch);
    Tensor y = Tensor.zeros(n, ch, 11, 13);
    Tensor mean = Tensor.zeros(ch);
    Tensor invStd = Tensor.zeros(ch);
    cpu.batchNormTrain(bx, gamma, beta, runMean, runVar, 0.1f, 1e-5f, y, mean, invStd);
    Tensor dX = Tensor.zeros(n, ch, 11, 13);
    Tensor dGamma = Tensor.zeros(ch);
    Tensor dBeta = Tensor.zeros(ch);
    cpu.batchNormBackward(bx, bdY, gamma, mean, invStd, dX, dGamma, dBeta);
    for (Tensor t : List.of(y, mean, invStd, runMean, runVar, dX, dGamma, dBeta)) {
      out.put("batch norm " + out.size(), t.toArray());
    }
    cpu.batchNormReluTrain(bx, null, gamma, beta, runMean, runVar, 0.1f, 1e-5f, y, mean, invStd);
    cpu.batchNormReluBackward(bx, y, bdY, gamma, mean, invStd, dX, dGamma, dBeta);
    for (Tensor t : List.of(y, mean, invStd, runMean, runVar, dX, dGamma, dBeta)) {
      out.put("batch norm + relu " + out.size(), t.toArray());
    }
    cpu.batchNormReluTrain(bx, bdY, gamma, beta, runMean, runVar, 0.1f, 1e-5f, y, mean, invStd);
    out.put("batch norm + residual + relu", y.toArray());

    Tensor logits = Tensor.uniform(rng, -4f, 4f, 67, 10);
    Tensor labels = Tensor.of(labels(rng, 67), 67);
    Tensor probs = Tensor.zeros(67, 10);
    Tensor loss = Tensor.zeros(1);
    Tensor hits = Tensor.zeros(1);
    cpu.softmaxCrossEntropy(logits, labels, probs, loss);
    cpu.countCorrect(logits, labels, hits);
    out.put("cross entropy", loss.toArray());
    out.put("count correct", hits.toArray());
    return out;
  }

  /**
   * n values ±u·2^e, e in [−30, 30): so many exponents that sums in double round, and a changed
   * order of additions shows in the result.
   */
  private static float[] wide(Rng rng, int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (2f * rng.nextFloat() - 1f) * (float) Math.scalb(1.0, rng.nextInt(60) - 30);
    }
    return a;
  }

  /**
   * {@link #wide} values, then the same negated in another order: the exact sum is 0, so the sum in
   * double is all rounding error, which shows in float and depends on the order of additions.
   */
  private static float[] cancelling(Rng rng, int n) {
    int half = n / 2;
    float[] a = wide(rng, n);
    for (int i = 0; i < half; i++) {
      a[half + i] = -a[(int) ((long) i * 7919 % half)];
    }
    return a;
  }

  /** n random class labels in [0, 10). */
  private static float[] labels(Rng rng, int n) {
    float[] labels = new float[n];
    for (int i = 0; i < n; i++) {
      labels[i] = rng.nextInt(10);
    }
    return labels;
  }

  /** Three SGD steps of LeNet-300-100 with CS masks on every layer; losses and final state. */
  private static Map<String, float[]> maskedLenetSteps() {
    Module net = Models.create("lenet300", InputSpec.MNIST, 5);
    MaskLogits masks = new MaskLogits(net, LayerSelection.CONVS_AND_LINEAR, 0.0, true, 1e-4);
    masks.install();
    Sgd sgd = new Sgd(ParamGroup.nesterov(net.parameters(), 0.05, 0.9, 1e-4));
    Rng rng = new Rng(6);
    Tensor images = Tensor.uniform(rng, -1f, 1f, 33, 1, 28, 28);
    Tensor labels = Tensor.of(labels(rng, 33), 33);
    Map<String, float[]> out = new LinkedHashMap<>();
    for (int s = 0; s < 3; s++) {
      try (MemoryScope step = Device.CPU.openScope()) {
        masks.onStepStart(0, s, 3);
        Tensor loss = Ops.add(Ops.crossEntropy(net.forward(images), labels), masks.extraLoss());
        sgd.zeroGrad();
        Autograd.backward(loss);
        out.put("loss " + s, new float[] {loss.item()});
        sgd.step();
        sgd.zeroGrad();
      }
    }
    net.stateDict().forEach((name, t) -> out.put(name, t.toArray()));
    sgd.close();
    net.close();
    return out;
  }
}
