package cs4j.backend.cuda;

import static jcuda.driver.JCudaDriver.cuMemsetD32Async;

import cs4j.tensor.Device;
import cs4j.tensor.Storage;
import cs4j.tensor.Tensor;
import jcuda.driver.CUdeviceptr;

/**
 * CUDA device 0 as a cs4j {@link Device}. Storage comes from the caching allocator and belongs to
 * the thread's open {@link CudaScope} (permanent when none is open). Allocation zero-fills on the
 * stream (no host wait); uploads go through pinned memory; downloads wait for the stream.
 */
public final class CudaDevice extends Device {
  private final CudaContext ctx;
  private final CudaAllocator allocator;
  private final PinnedStaging staging;

  /** The device of a live context; {@code ctx} may be null only with stand-in {@code blocks}. */
  CudaDevice(CudaContext ctx, DeviceBlocks blocks) {
    this.ctx = ctx;
    this.allocator = new CudaAllocator(blocks);
    this.staging = new PinnedStaging(ctx);
  }

  @Override
  public String name() {
    return "cuda:0";
  }

  CudaAllocator allocator() {
    return allocator;
  }

  private CudaStorage newStorage(int n) {
    CudaStorage s = new CudaStorage(this, allocator.allocate(4L * Math.max(1, n)), n);
    CudaScope.adopt(s);
    return s;
  }

  @Override
  public Storage allocate(int n) {
    CudaStorage s = newStorage(n);
    if (n > 0) {
      ctx.makeCurrent();
      cuMemsetD32Async(s.pointer("allocate"), 0, n, ctx.stream);
    }
    return s;
  }

  @Override
  public Storage upload(float[] values) {
    CudaStorage s = newStorage(values.length);
    if (values.length > 0) {
      staging.upload(values, s.pointer("upload"));
    }
    return s;
  }

  @Override
  public void download(Storage storage, float[] dst) {
    CudaStorage s = storage(storage, "download");
    if (dst.length != s.size()) {
      throw new IllegalArgumentException(
          "download: destination has " + dst.length + " floats, the tensor has " + s.size());
    }
    if (dst.length > 0) {
      staging.download(s.pointer("download"), dst);
    }
  }

  /** Returns a permanent (or scoped) tensor's memory now; the tensor must not be used again. */
  public void release(Tensor t) {
    storage(t.storage(), "release").release();
  }

  /** Waits until every kernel and copy issued so far has finished. */
  public void synchronize() {
    ctx.synchronize();
  }

  /** The allocator's counters (live, cached and peak bytes). */
  public CudaMemoryStats memory() {
    return allocator.stats();
  }

  /** Gives cached blocks back to the driver. */
  public void trimCache() {
    allocator.trim();
  }

  /** Name, compute capability, SMs and memory of the GPU, and the driver's CUDA version. */
  public String describe() {
    return ctx.describe();
  }

  CudaStorage storage(Storage s, String user) {
    if (s instanceof CudaStorage cs && cs.device() == this) {
      return cs;
    }
    throw new IllegalArgumentException(
        user + ": expected a tensor on " + name() + ", got one on " + s.device().name());
  }

  /** The device address of tensor {@code t}, for the launch or copy named {@code user}. */
  CUdeviceptr ptr(Tensor t, String user) {
    return storage(t.storage(), user).pointer(user);
  }
}
