package cs4j.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cs4j.backend.ConvGeometry;
import cs4j.tensor.Shape;
import cs4j.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import jcuda.driver.CUdeviceptr;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every primitive of the CUDA backend, run without a GPU: its launches go to a recorder instead of
 * the driver, after the launcher has checked each argument list against the kernel's signature in
 * the shipped PTX. A wrong argument count or type in any launcher fails here, in CI, instead of
 * passing garbage to a kernel on the GPU. (What the kernels compute is checked by
 * kernels/emu-test.sh and, on a GPU, by CudaParityTest.)
 */
class CudaLaunchCheckTest {
  private final List<String> launches = new ArrayList<>();
  private CudaDevice device;
  private CudaBackend cuda;

  /** Stand-in device memory: address-less pointers, nothing allocated. */
  private static final DeviceBlocks NO_MEMORY =
      new DeviceBlocks() {
        @Override
        public CUdeviceptr allocate(long bytes) {
          return new CUdeviceptr();
        }

        @Override
        public void free(CUdeviceptr p) {}

        @Override
        public void synchronize() {}
      };

  @BeforeEach
  void setUp() {
    device = new CudaDevice(null, NO_MEMORY);
    KernelDriver recorder =
        (module, kernel, gx, gy, gz, block, params) -> {
          assertTrue(gx >= 1 && gy >= 1 && gz >= 1, kernel + ": empty grid");
          assertTrue(gy <= 65535 && gz <= 65535, kernel + ": grid y/z over the hardware limit");
          assertEquals(CudaLauncher.BLOCK, block, kernel + ": block size");
          launches.add(kernel);
        };
    cuda = new CudaBackend(null, device, 132, recorder, "kernels");
  }

  private Tensor t(int... dims) {
    Shape s = Shape.of(dims);
    return new Tensor(s, new CudaStorage(device, new CUdeviceptr(), s.numel(), device.streamKey()));
  }

  @Test
  void everyPrimitiveLaunchesWithItsKernelsSignature() {
    int[] act = {128, 16, 32, 32};
    Tensor x = t(act);
    cuda.fill(x, 1f);
    cuda.addScalar(x, 1f);
    cuda.axpby(1f, x, 2f, x, x);
    cuda.mul(x, x, x);
    cuda.relu(x, x);
    cuda.reluBackward(x, x, x);
    cuda.sigmoid(x, x);
    cuda.sigmoidBackward(x, x, x);
    cuda.sum(x, t(1));
    cuda.broadcastScalar(t(1), 0.5f, x);
    cuda.addBias(x, t(16), 128, 16, 1024, x);
    cuda.biasGrad(x, 128, 16, 1024, t(16));
    cuda.gemm(false, true, 128, 10, 64, 1f, t(128, 64), t(10, 64), 0f, t(128, 10));
    cuda.gemm(true, false, 64, 10, 128 * 64, 1f, t(128 * 64, 64), t(128 * 64, 10), 1f, t(64, 10));
    ConvGeometry g = ConvGeometry.square(128, 16, 32, 32, 3, 1, 1);
    cuda.conv2d(x, t(16, 16, 3, 3), x, g);
    cuda.conv2dBackwardData(x, t(16, 16, 3, 3), x, g);
    cuda.conv2dBackwardWeight(x, x, t(16, 16, 3, 3), g);
    Tensor c = t(16);
    cuda.batchNormTrain(x, c, c, c, c, 0.1f, 1e-5f, x, c, c);
    cuda.batchNormEval(x, c, c, c, c, 1e-5f, x);
    cuda.batchNormBackward(x, x, c, c, c, x, c, c);
    ConvGeometry pool = ConvGeometry.square(128, 16, 32, 32, 2, 2, 0);
    Tensor y = t(128, 16, 16, 16);
    cuda.maxPool2d(x, y, y, pool);
    cuda.maxPool2dBackward(y, y, x, pool);
    cuda.avgPool2d(x, y, pool);
    cuda.avgPool2dBackward(y, x, pool);
    Tensor wide = t(128, 32, 16, 16);
    cuda.shortcutA(x, wide);
    cuda.shortcutABackward(wide, x);
    Tensor logits = t(128, 10);
    cuda.softmaxCrossEntropy(logits, t(128), logits, t(1));
    cuda.softmaxCrossEntropyBackward(logits, t(128), t(1), logits);
    cuda.countCorrect(logits, t(128), t(1));
    Tensor w = t(64, 64, 3, 3);
    cuda.sgdStep(w, w, w, 0.1f, 0.9f, 0f, 1e-4f, true, false);
    cuda.sgdStep(w, w, null, 0.1f, 0f, 0f, 0f, false, false);
    cuda.maskedWeight(w, w, 1f, 2f, 1e-8f, w, t(1));
    cuda.maskedWeightBackward(w, w, w, t(1), 1f, 2f, 1e-8f, w, w);
    cuda.hardConcreteGate(w, true, 0x1234L, 1L << 40, 2f / 3, -0.1f, 1.1f, w, w);
    cuda.hardConcreteGate(w, false, 0L, 0L, 2f / 3, -0.1f, 1.1f, w, null);

    Set<String> all = new TreeSet<>();
    for (String m : CudaModules.MODULES) {
      byte[] text = CudaModules.ptx(m);
      all.addAll(
          new PtxSignatures(
                  new String(text, 0, text.length - 1, java.nio.charset.StandardCharsets.US_ASCII))
              .entries()
              .keySet());
    }
    all.removeAll(launches);
    // Not every tile shape is reached by these sizes; every other kernel must be.
    all.removeIf(k -> k.matches("cs4j_(sgemm|conv_\\w+)_(64x64|128x32|128x16)"));
    assertEquals(Set.of(), all, "kernels no primitive launched");
  }

  @Test
  void scratchBuffersGoBackToTheCache() {
    Tensor x = t(1 << 20);
    cuda.sum(x, t(1));
    cuda.conv2dBackwardWeight(
        t(128, 16, 32, 32),
        t(128, 16, 32, 32),
        t(16, 16, 3, 3),
        ConvGeometry.square(128, 16, 32, 32, 3, 1, 1));
    assertEquals(0, device.memory().liveBytes(), "live bytes after the calls (temps released)");
    assertTrue(device.memory().cachedBytes() > 0, "temps are cached for reuse");
  }
}
