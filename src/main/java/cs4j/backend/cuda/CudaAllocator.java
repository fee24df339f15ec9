package cs4j.backend.cuda;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import jcuda.CudaException;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUresult;

/**
 * A caching device allocator. Sizes are rounded up (to 512 bytes up to 1 MiB, to 2 MiB above) and a
 * released block goes to a free list for its rounded size instead of back to the driver, so a
 * training step that allocates the same shapes every time stops calling cuMemAlloc after the first.
 *
 * <p>Free lists are kept per stream, and a block returns to the list of the stream it was allocated
 * on. Reuse is then safe without synchronisation: a block released after a kernel was enqueued on
 * its stream can only be handed to work enqueued later on the same stream, which runs after it.
 * (The stream is an opaque key here: the thread's CUstream on a GPU, a stand-in in the tests.) On
 * an out-of-memory error the cache is flushed (after a device sync) and the allocation retried
 * once.
 *
 * <p>Counters: live bytes (handed out and not yet released), cached bytes (on free lists) and the
 * peak of live bytes; tests assert that live bytes stay flat across training steps.
 */
final class CudaAllocator {
  private static final long SMALL = 1L << 20;
  private static final long SMALL_ROUND = 512;
  private static final long LARGE_ROUND = 2L << 20;

  /** A free list's key: the stream the blocks were used on, and their rounded size. */
  private record Bin(Object stream, long size) {}

  private final DeviceBlocks blocks;
  private final Map<Bin, ArrayDeque<CUdeviceptr>> free = new HashMap<>();
  private long liveBytes;
  private long cachedBytes;
  private long peakLiveBytes;
  private long driverAllocations;

  CudaAllocator(DeviceBlocks blocks) {
    this.blocks = blocks;
  }

  /** The size a request of {@code bytes} occupies (at least one rounding unit). */
  static long rounded(long bytes) {
    long unit = bytes <= SMALL ? SMALL_ROUND : LARGE_ROUND;
    return Math.max(unit, (bytes + unit - 1) / unit * unit);
  }

  /**
   * A block of at least {@code bytes} for work on {@code stream}; release it with {@link #release}
   * and the same size and stream.
   */
  synchronized CUdeviceptr allocate(long bytes, Object stream) {
    long size = rounded(bytes);
    ArrayDeque<CUdeviceptr> list = free.get(new Bin(stream, size));
    CUdeviceptr p = list == null ? null : list.pollLast();
    if (p != null) {
      cachedBytes -= size;
    } else {
      p = driverAlloc(size);
    }
    liveBytes += size;
    peakLiveBytes = Math.max(peakLiveBytes, liveBytes);
    return p;
  }

  private CUdeviceptr driverAlloc(long size) {
    CUdeviceptr p;
    try {
      p = blocks.allocate(size);
    } catch (CudaException e) {
      if (!String.valueOf(e.getMessage())
          .contains(CUresult.stringFor(CUresult.CUDA_ERROR_OUT_OF_MEMORY))) {
        throw e;
      }
      trim();
      try {
        p = blocks.allocate(size);
      } catch (CudaException again) {
        throw new IllegalStateException(
            String.format(
                "CUDA out of memory allocating %d bytes (%d bytes live in cs4j tensors, cache"
                    + " flushed; running fewer searches at once, --parallel, needs less)",
                size, liveBytes),
            again);
      }
    }
    driverAllocations++;
    return p;
  }

  /** Returns a block from {@link #allocate}{@code (bytes, stream)} to that stream's cache. */
  synchronized void release(CUdeviceptr p, long bytes, Object stream) {
    long size = rounded(bytes);
    liveBytes -= size;
    cachedBytes += size;
    free.computeIfAbsent(new Bin(stream, size), k -> new ArrayDeque<>()).addLast(p);
  }

  /** Gives every cached block back to the driver (waits for the whole device first). */
  synchronized void trim() {
    blocks.synchronize();
    for (ArrayDeque<CUdeviceptr> list : free.values()) {
      for (CUdeviceptr p : list) {
        blocks.free(p);
      }
    }
    free.clear();
    cachedBytes = 0;
  }

  synchronized CudaMemoryStats stats() {
    return new CudaMemoryStats(liveBytes, cachedBytes, peakLiveBytes, driverAllocations);
  }
}
