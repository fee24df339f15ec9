package cs4j.backend.cuda;

import static jcuda.driver.JCudaDriver.cuLaunchKernel;
import static jcuda.driver.JCudaDriver.cuStreamSynchronize;

import jcuda.CudaException;
import jcuda.Pointer;
import jcuda.driver.CUstream;

/**
 * Launches on the GPU: the PTX modules' functions on the calling thread's stream, asynchronously.
 * Errors name the kernel and the launch shape. Faults inside a kernel surface at a later sync; with
 * {@code -Dcs4j.cuda.syncEachLaunch=true} every launch waits, so a fault is pinned to its kernel.
 */
final class NativeKernels implements KernelDriver {
  private final CudaContext ctx;
  private final CudaDevice device;
  private final CudaModules modules;
  private final boolean syncEachLaunch = Boolean.getBoolean("cs4j.cuda.syncEachLaunch");

  NativeKernels(CudaContext ctx, CudaDevice device) {
    this.ctx = ctx;
    this.device = device;
    this.modules = new CudaModules(ctx);
  }

  @Override
  public void launch(
      String module, String kernel, int gx, int gy, int gz, int block, Pointer[] params) {
    try {
      CUstream stream = ctx.stream();
      cuLaunchKernel(
          modules.function(module, kernel),
          gx,
          gy,
          gz,
          block,
          1,
          1,
          0,
          stream,
          Pointer.to(params),
          null);
      if (syncEachLaunch && !device.isCapturing()) {
        cuStreamSynchronize(stream);
      }
    } catch (CudaException e) {
      throw new IllegalStateException(
          String.format(
              "CUDA kernel %s (module %s) failed, grid (%d, %d, %d) x block %d: %s",
              kernel, module, gx, gy, gz, block, e.getMessage()),
          e);
    }
  }
}
