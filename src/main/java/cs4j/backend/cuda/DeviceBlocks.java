package cs4j.backend.cuda;

import static jcuda.driver.JCudaDriver.cuMemAlloc;
import static jcuda.driver.JCudaDriver.cuMemFree;

import jcuda.driver.CUdeviceptr;

/**
 * Raw device memory for the {@link CudaAllocator}: cuMemAlloc/cuMemFree on a GPU ({@link
 * #on(CudaContext)}); address-less stand-ins in the tests that check launches without one.
 */
interface DeviceBlocks {
  CUdeviceptr allocate(long bytes);

  void free(CUdeviceptr p);

  /** Waits until no queued work, on any stream, can still use a block about to be freed. */
  void synchronize();

  static DeviceBlocks on(CudaContext ctx) {
    return new DeviceBlocks() {
      @Override
      public CUdeviceptr allocate(long bytes) {
        ctx.makeCurrent();
        CUdeviceptr p = new CUdeviceptr();
        cuMemAlloc(p, bytes);
        return p;
      }

      @Override
      public void free(CUdeviceptr p) {
        ctx.makeCurrent();
        cuMemFree(p);
      }

      @Override
      public void synchronize() {
        ctx.synchronizeDevice();
      }
    };
  }
}
