package cs4j.backend.cuda;

import static jcuda.driver.JCudaDriver.cuEventCreate;
import static jcuda.driver.JCudaDriver.cuEventRecord;
import static jcuda.driver.JCudaDriver.cuEventSynchronize;
import static jcuda.driver.JCudaDriver.cuMemAllocHost;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoHAsync;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoDAsync;
import static jcuda.driver.JCudaDriver.cuStreamSynchronize;

import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUevent;
import jcuda.driver.CUevent_flags;

/**
 * One thread's host↔device copies through a pinned (page-locked) host buffer of its own, so the DMA
 * engine reads and writes host memory directly and uploads are asynchronous: the host fills the
 * buffer, enqueues the copy and returns; the next upload first waits (on an event) until that copy
 * has drained. Copies larger than the buffer go through it in chunks. Downloads wait for the
 * stream, since the caller reads the values at once.
 */
final class PinnedStaging {
  /** 8 MiB: a CIFAR batch of 128 images (1.5 MiB) uploads in one piece. */
  private static final int CAPACITY_FLOATS = 2 << 20;

  private final CudaContext ctx;
  private final Pointer host = new Pointer();
  private final CUevent drained = new CUevent();
  private FloatBuffer view;
  private boolean copyInFlight;

  PinnedStaging(CudaContext ctx) {
    this.ctx = ctx;
  }

  private void ensureAllocated() {
    if (view == null) {
      ctx.makeCurrent();
      cuMemAllocHost(host, 4L * CAPACITY_FLOATS);
      view =
          host.getByteBuffer(0, 4L * CAPACITY_FLOATS)
              .order(ByteOrder.nativeOrder())
              .asFloatBuffer();
      cuEventCreate(drained, CUevent_flags.CU_EVENT_DISABLE_TIMING);
    }
  }

  private void awaitDrained() {
    if (copyInFlight) {
      cuEventSynchronize(drained);
      copyInFlight = false;
    }
  }

  /** Enqueues dst[0 .. src.length) ← src; returns once src has been copied to pinned memory. */
  void upload(float[] src, CUdeviceptr dst) {
    ensureAllocated();
    ctx.makeCurrent();
    for (int off = 0; off < src.length; off += CAPACITY_FLOATS) {
      int len = Math.min(CAPACITY_FLOATS, src.length - off);
      awaitDrained();
      view.clear();
      view.put(src, off, len);
      cuMemcpyHtoDAsync(dst.withByteOffset(4L * off), host, 4L * len, ctx.stream());
      cuEventRecord(drained, ctx.stream());
      copyInFlight = true;
    }
  }

  /** dst ← src[0 .. dst.length), after all work enqueued before it. */
  void download(CUdeviceptr src, float[] dst) {
    ensureAllocated();
    ctx.makeCurrent();
    awaitDrained();
    for (int off = 0; off < dst.length; off += CAPACITY_FLOATS) {
      int len = Math.min(CAPACITY_FLOATS, dst.length - off);
      cuMemcpyDtoHAsync(host, src.withByteOffset(4L * off), 4L * len, ctx.stream());
      cuStreamSynchronize(ctx.stream());
      view.clear();
      view.get(dst, off, len);
    }
  }
}
