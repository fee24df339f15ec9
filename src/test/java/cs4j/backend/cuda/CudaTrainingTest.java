package cs4j.backend.cuda;

import static cs4j.backend.cuda.CudaTestSupport.assertParity;
import static cs4j.backend.cuda.CudaTestSupport.cudaOrSkip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cs4j.backend.cpu.CpuBackend;
import cs4j.tensor.Device;
import cs4j.tensor.MemoryScope;
import cs4j.tensor.Rng;
import cs4j.tensor.Tensor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Whole training steps on the GPU: a masked ResNet-20 trained three steps on CPU and CUDA from one
 * seed gives the same losses and weights, and device memory stays flat step after step.
 */
@Tag("cuda")
class CudaTrainingTest {
  private CudaBackend cuda;

  @BeforeEach
  void setUp() {
    cuda = cudaOrSkip();
  }

  private static Tensor[] batch(long seed, int n) {
    Rng rng = new Rng(seed);
    float[] labels = new float[n];
    for (int i = 0; i < n; i++) {
      labels[i] = rng.nextInt(10);
    }
    return new Tensor[] {Tensor.uniform(rng, -1f, 1f, n, 3, 32, 32), Tensor.of(labels, n)};
  }

  /** Runs one step of model in a scope on device; returns the loss. */
  private static float scopedStep(MaskedResNet20 model, Tensor[] cpuBatch, Device device) {
    try (MemoryScope step = device.openScope()) {
      float loss = model.step(cpuBatch[0].to(device), cpuBatch[1].to(device));
      step.keep(model.momentumBuffers());
      return loss;
    }
  }

  /**
   * Tolerances: losses within 1e-4 relative; weights, masks and BN statistics after three steps
   * within 1e-3·max|w| + 1e-3·|w| (float sums in other orders, amplified by three SGD steps).
   */
  @Test
  void threeMaskedResNet20StepsMatchTheCpu() {
    MaskedResNet20 cpu = new MaskedResNet20(Device.CPU, 7);
    MaskedResNet20 gpu = new MaskedResNet20(cuda.device(), 7);
    for (int s = 0; s < 3; s++) {
      Tensor[] b = batch(100 + s, 32);
      float expected = cpu.step(b[0], b[1]);
      float actual = scopedStep(gpu, b, cuda.device());
      assertEquals(expected, actual, 1e-4 * Math.abs(expected), "loss at step " + s);
    }
    int[] layers = {0, 9, 19};
    for (int l : layers) {
      assertParity(
          "weight of layer " + l,
          cpu.weights().get(l).value(),
          gpu.weights().get(l).value(),
          1e-3,
          1e-3);
      assertParity(
          "mask logits of layer " + l,
          cpu.masks().get(l).value(),
          gpu.masks().get(l).value(),
          1e-3,
          1e-3);
    }
    for (int i = 0; i < cpu.runningStats().size(); i += 7) {
      assertParity(
          "batch-norm running statistic " + i,
          cpu.runningStats().get(i),
          gpu.runningStats().get(i),
          1e-3,
          1e-3);
    }
  }

  @Test
  void liveDeviceBytesStayFlatAcrossSteps() {
    MaskedResNet20 model = new MaskedResNet20(cuda.device(), 11);
    Tensor[] b = batch(5, 16);
    long[] live = new long[5];
    long[] driverAllocations = new long[5];
    for (int s = 0; s < live.length; s++) {
      scopedStep(model, b, cuda.device());
      CudaMemoryStats m = cuda.device().memory();
      live[s] = m.liveBytes();
      driverAllocations[s] = m.driverAllocations();
    }
    // Step 0 creates the momentum buffers (kept); from then on every step frees what it takes.
    for (int s = 2; s < live.length; s++) {
      assertEquals(live[1], live[s], "live device bytes after step " + s + " vs step 1");
      assertEquals(
          driverAllocations[1],
          driverAllocations[s],
          "cuMemAlloc calls after step " + s + ": the cache should serve every request");
    }
  }

  @Test
  void scopeReleasesAndKeeps() {
    long before = cuda.device().memory().liveBytes();
    Tensor kept;
    Tensor dropped;
    try (MemoryScope outer = cuda.device().openScope()) {
      try (MemoryScope inner = cuda.device().openScope()) {
        kept = inner.keep(Tensor.zeros(cuda.device(), 1000));
        dropped = Tensor.zeros(cuda.device(), 1000);
      }
      assertTrue(!((CudaStorage) kept.storage()).isReleased(), "kept tensor survives inner scope");
      IllegalStateException e =
          assertThrows(IllegalStateException.class, () -> cuda.fill(dropped, 1f));
      assertTrue(e.getMessage().contains("CudaScope"), e.getMessage());
      cuda.fill(kept, 2f);
      assertEquals(2f, kept.toArray()[999]);
    }
    assertTrue(((CudaStorage) kept.storage()).isReleased(), "outer scope releases kept tensor");
    assertEquals(before, cuda.device().memory().liveBytes(), "live bytes after both scopes");
  }

  @Test
  void uploadAndDownloadRoundTripLargerThanTheStagingBuffer() {
    Tensor host = Tensor.uniform(new Rng(3), -1f, 1f, 5_000_003);
    try (MemoryScope scope = cuda.device().openScope()) {
      Tensor dev = host.to(cuda.device());
      Tensor back = dev.to(Device.CPU);
      assertParity("round trip", host, back, 0, 0);
      Tensor sum = Tensor.zeros(cuda.device(), 1);
      cuda.sum(dev, sum);
      Tensor expected = Tensor.zeros(1);
      CpuBackend.get().sum(host, expected);
      assertParity("sum after upload", expected, sum, 1e-6, 0);
    }
  }
}
