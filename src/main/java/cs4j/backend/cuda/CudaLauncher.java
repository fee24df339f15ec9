package cs4j.backend.cuda;

import cs4j.tensor.Tensor;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;

/**
 * Launches kernels on the calling thread's stream, without waiting for them. Arguments are tensors
 * (passed as their device address), {@link Temp} buffers, {@code null} (a null pointer), and boxed
 * int, float and double scalars, matching the kernel's C signature in order.
 *
 * <p>Errors name the kernel and the launch shape. Faults inside a kernel surface at a later sync;
 * with {@code -Dcs4j.cuda.syncEachLaunch=true} every launch waits, so the fault is pinned to it.
 */
final class CudaLauncher {
  static final int BLOCK = 256;

  /** Grid-stride kernels use at most this many blocks per SM (8 resident × 2 waves). */
  private static final int BLOCKS_PER_SM = 16;

  /** n elements per block targeted by {@link #reduceBlocks}, and the cap on partials. */
  private static final int REDUCE_ELEMENTS_PER_BLOCK = 4096;

  private static final int MAX_REDUCE_BLOCKS = 1024;

  private final CudaDevice device;
  private final int smCount;
  private final KernelDriver driver;

  CudaLauncher(CudaDevice device, int smCount, KernelDriver driver) {
    this.device = device;
    this.smCount = smCount;
    this.driver = driver;
  }

  /** A device scratch buffer from the caching allocator, returned to it on close. */
  final class Temp implements AutoCloseable {
    final CUdeviceptr ptr;
    private final long bytes;
    private final Object stream;

    private Temp(long bytes) {
      this.bytes = bytes;
      this.stream = device.streamKey();
      this.ptr = device.allocator().allocate(bytes, stream);
    }

    @Override
    public void close() {
      // Safe while kernels that use it are still queued: the stream orders any later reuse.
      device.releaseScratch(ptr, bytes, stream);
    }
  }

  Temp temp(long bytes) {
    return new Temp(bytes);
  }

  /** Blocks for a grid-stride loop over {@code work} items (device-dependent: order-free work). */
  int blocks(long work) {
    long need = (work + BLOCK - 1) / BLOCK;
    return (int) Math.max(1, Math.min(need, (long) smCount * BLOCKS_PER_SM));
  }

  /**
   * Blocks of a partial-sum pass over n elements: a function of n alone, so the partials, and the
   * sum's rounding, are the same on every device.
   */
  static int reduceBlocks(long n) {
    long need = (n + REDUCE_ELEMENTS_PER_BLOCK - 1) / REDUCE_ELEMENTS_PER_BLOCK;
    return (int) Math.max(1, Math.min(need, MAX_REDUCE_BLOCKS));
  }

  /** A 1-D grid-stride launch over {@code work} items. */
  void launch1d(String module, String kernel, long work, Object... args) {
    launch(module, kernel, blocks(work), 1, 1, args);
  }

  void launch(String module, String kernel, int gx, int gy, int gz, Object... args) {
    CudaModules.checkArguments(module, kernel, args);
    Pointer[] params = new Pointer[args.length];
    for (int i = 0; i < args.length; i++) {
      params[i] = param(args[i], kernel, i);
    }
    driver.launch(module, kernel, gx, gy, gz, BLOCK, params);
  }

  private Pointer param(Object a, String kernel, int index) {
    if (a == null) {
      return Pointer.to(new CUdeviceptr());
    } else if (a instanceof Tensor t) {
      return Pointer.to(device.ptr(t, kernel + " argument " + index));
    } else if (a instanceof Temp t) {
      return Pointer.to(t.ptr);
    } else if (a instanceof Integer v) {
      return Pointer.to(new int[] {v});
    } else if (a instanceof Long v) {
      return Pointer.to(new long[] {v});
    } else if (a instanceof Float v) {
      return Pointer.to(new float[] {v});
    } else if (a instanceof Double v) {
      return Pointer.to(new double[] {v});
    }
    throw new IllegalArgumentException(
        kernel + ": argument " + index + " has unsupported type " + a.getClass().getName());
  }
}
