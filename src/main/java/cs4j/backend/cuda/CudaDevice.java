package cs4j.backend.cuda;

import static jcuda.driver.JCudaDriver.cuMemsetD32Async;

import cs4j.tensor.Device;
import cs4j.tensor.MemoryScope;
import cs4j.tensor.StepGraph;
import cs4j.tensor.Storage;
import cs4j.tensor.Tensor;
import java.util.List;
import jcuda.driver.CUdeviceptr;

/**
 * One CUDA GPU as a cs4j {@link Device} ({@code cuda:N}). Storage comes from the caching allocator
 * and belongs to the thread's open {@link MemoryScope} (permanent when none is open). Work is
 * issued on the calling thread's stream ({@link CudaContext}): allocation zero-fills on it (no host
 * wait; {@link #allocateUninitialized} skips the fill), uploads and writes go through the thread's
 * pinned staging buffer, downloads wait for the stream.
 */
public final class CudaDevice extends Device {
  /** The stream key of the launch-checking tests, which run without a context. */
  private static final Object NO_STREAM = new Object();

  private final CudaContext ctx;
  private final String name;
  private final CudaAllocator allocator;
  private final ThreadLocal<PinnedStaging> staging;

  /** While this thread records a graph: where the scratch blocks of its kernels go. */
  private final ThreadLocal<List<CudaGraph.Scratch>> capturing = new ThreadLocal<>();

  /** The device of a live context; {@code ctx} may be null only with stand-in {@code blocks}. */
  CudaDevice(CudaContext ctx, DeviceBlocks blocks) {
    this.ctx = ctx;
    this.name = "cuda:" + (ctx == null ? 0 : ctx.ordinal);
    this.allocator = new CudaAllocator(blocks);
    this.staging = ThreadLocal.withInitial(() -> new PinnedStaging(ctx));
  }

  @Override
  public String name() {
    return name;
  }

  CudaAllocator allocator() {
    return allocator;
  }

  /** The calling thread's stream, as the allocator's key for it. */
  Object streamKey() {
    return ctx == null ? NO_STREAM : ctx.stream();
  }

  private CudaStorage newStorage(int n) {
    Object stream = streamKey();
    CudaStorage s =
        new CudaStorage(this, allocator.allocate(4L * Math.max(1, n), stream), n, stream);
    MemoryScope.adopt(s);
    return s;
  }

  @Override
  public Storage allocate(int n) {
    CudaStorage s = newStorage(n);
    if (n > 0) {
      cuMemsetD32Async(s.pointer("allocate"), 0, n, ctx.stream());
    }
    return s;
  }

  /** Cached memory as the allocator hands it back: no memset, the kernel writes all of it. */
  @Override
  public Storage allocateUninitialized(int n) {
    return newStorage(n);
  }

  @Override
  public Storage upload(float[] values) {
    CudaStorage s = newStorage(values.length);
    write(values, s);
    return s;
  }

  @Override
  public boolean capturesGraphs() {
    return ctx != null;
  }

  @Override
  protected StepGraph record(Runnable body) {
    return CudaGraph.record(ctx, this, body);
  }

  void beginCapture(List<CudaGraph.Scratch> scratch) {
    capturing.set(scratch);
  }

  void endCapture() {
    capturing.remove();
  }

  /** Whether this thread is recording a graph now. */
  boolean isCapturing() {
    return capturing.get() != null;
  }

  /**
   * Returns a scratch block after use: to the cache, or, while recording, to the graph, whose
   * replays will write it again.
   */
  void releaseScratch(CUdeviceptr p, long bytes, Object stream) {
    List<CudaGraph.Scratch> graph = capturing.get();
    if (graph != null) {
      graph.add(new CudaGraph.Scratch(p, bytes, stream));
    } else {
      allocator.release(p, bytes, stream);
    }
  }

  private void refuseWhileCapturing(String what) {
    if (isCapturing()) {
      throw new IllegalStateException(
          what
              + " on "
              + name
              + " while recording a graph: host transfers cannot be replayed (move it out of"
              + " the captured step)");
    }
  }

  @Override
  public void write(float[] src, Storage dst) {
    refuseWhileCapturing("write");
    CudaStorage s = storage(dst, "write");
    checkLength("write", s.size(), src.length);
    if (src.length > 0) {
      staging.get().upload(src, s.pointer("write"));
    }
  }

  @Override
  public void download(Storage storage, float[] dst) {
    refuseWhileCapturing("download");
    CudaStorage s = storage(storage, "download");
    checkLength("download", s.size(), dst.length);
    if (dst.length > 0) {
      staging.get().download(s.pointer("download"), dst);
    }
  }

  @Override
  public void release(Storage storage) {
    storage(storage, "release").release();
  }

  /** Waits until every kernel and copy this thread issued so far has finished. */
  @Override
  public void synchronize() {
    refuseWhileCapturing("synchronize");
    ctx.synchronize();
  }

  @Override
  public long liveBytes() {
    return allocator.stats().liveBytes();
  }

  @Override
  public long peakLiveBytes() {
    return allocator.stats().peakLiveBytes();
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
