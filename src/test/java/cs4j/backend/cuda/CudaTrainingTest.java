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
import cs4j.testing.MaskedResNet20;
import cs4j.testing.TrainingParityContract;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Whole training steps of the production masked ResNet-20 on the GPU against the CPU (the
 * well-posed comparisons of {@link TrainingParityContract}), and the device memory rules: scopes
 * release, the caching allocator stops calling cuMemAlloc once the step's shapes are cached.
 */
@Tag("cuda")
class CudaTrainingTest extends TrainingParityContract {
  @Override
  protected Device device() {
    return cudaOrSkip().device();
  }

  @Override
  protected boolean exact() {
    return false;
  }

  @Test
  void theCacheServesEveryAllocationAfterTheFirstSteps() {
    CudaDevice cuda = cudaOrSkip().device();
    try (MaskedResNet20 net = new MaskedResNet20(cuda, 11)) {
      Tensor[] b = MaskedResNet20.batch(5, 16);
      long[] live = new long[5];
      long[] driverAllocations = new long[5];
      for (int s = 0; s < live.length; s++) {
        net.step(b, true);
        live[s] = cuda.memory().liveBytes();
        driverAllocations[s] = cuda.memory().driverAllocations();
      }
      for (int s = 2; s < live.length; s++) {
        assertEquals(live[1], live[s], "live device bytes after step " + s + " vs step 1");
        assertEquals(
            driverAllocations[1],
            driverAllocations[s],
            "cuMemAlloc calls after step " + s + ": the cache should serve every request");
      }
    }
  }

  @Test
  void scopeReleasesAndKeeps() {
    CudaBackend cuda = cudaOrSkip();
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
      assertTrue(e.getMessage().contains("released"), e.getMessage());
      cuda.fill(kept, 2f);
      assertEquals(2f, kept.toArray()[999]);
    }
    assertTrue(((CudaStorage) kept.storage()).isReleased(), "outer scope releases kept tensor");
    assertEquals(before, cuda.device().memory().liveBytes(), "live bytes after both scopes");
  }

  @Test
  void uploadAndDownloadRoundTripLargerThanTheStagingBuffer() {
    CudaBackend cuda = cudaOrSkip();
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

  /** Two threads, two streams: each one's work stays ordered and correct while both run. */
  @Test
  void twoThreadsTrainOnTheirOwnStreamsAndMatchOneThread() throws Exception {
    CudaDevice cuda = cudaOrSkip().device();
    Tensor[] b = MaskedResNet20.batch(42, 16);
    java.util.Map<String, float[]> alone;
    try (MaskedResNet20 net = new MaskedResNet20(cuda, 3)) {
      net.step(b, true);
      alone = net.state();
    }
    java.util.List<java.util.Map<String, float[]>> together =
        java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    Thread[] threads = new Thread[2];
    Throwable[] failure = new Throwable[1];
    for (int i = 0; i < threads.length; i++) {
      threads[i] =
          new Thread(
              () -> {
                try (MaskedResNet20 net = new MaskedResNet20(cuda, 3)) {
                  net.step(b, true);
                  together.add(net.state());
                } catch (Throwable t) {
                  failure[0] = t;
                }
              });
      threads[i].start();
    }
    for (Thread t : threads) {
      t.join();
    }
    assertEquals(null, failure[0], "a thread failed: " + failure[0]);
    for (java.util.Map<String, float[]> state : together) {
      cs4j.testing.Parity.assertClose("a step on its own stream", alone, state, 0, 0);
    }
  }
}
