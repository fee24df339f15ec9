package cs4j.backend.cuda;

import cs4j.tensor.Device;
import cs4j.tensor.ReleasableStorage;
import jcuda.driver.CUdeviceptr;

/**
 * A float32 buffer in device memory. It is released by its {@link cs4j.tensor.MemoryScope} or its
 * owner, never by the garbage collector; a kernel handed a released buffer fails with a message
 * instead of reading memory that now belongs to another tensor. It remembers the stream it was
 * allocated for, whose cache it returns to ({@link CudaAllocator}).
 */
public final class CudaStorage implements ReleasableStorage {
  private final CudaDevice device;
  private final int size;
  private final Object stream;
  private CUdeviceptr pointer;

  CudaStorage(CudaDevice device, CUdeviceptr pointer, int size, Object stream) {
    this.device = device;
    this.pointer = pointer;
    this.size = size;
    this.stream = stream;
  }

  @Override
  public Device device() {
    return device;
  }

  @Override
  public int size() {
    return size;
  }

  long bytes() {
    return 4L * Math.max(1, size);
  }

  @Override
  public boolean isReleased() {
    return pointer == null;
  }

  /** The device address, for a launch or copy named {@code user}. */
  CUdeviceptr pointer(String user) {
    if (pointer == null) {
      throw new IllegalStateException(
          user
              + ": a device tensor of "
              + size
              + " floats was used after its memory was released (its MemoryScope closed, or"
              + " its owner released it: keep() it to use it later)");
    }
    return pointer;
  }

  @Override
  public void release() {
    if (pointer != null) {
      device.allocator().release(pointer, bytes(), stream);
      pointer = null;
    }
  }
}
