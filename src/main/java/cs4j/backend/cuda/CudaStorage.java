package cs4j.backend.cuda;

import cs4j.tensor.Device;
import cs4j.tensor.Storage;
import jcuda.driver.CUdeviceptr;

/**
 * A float32 buffer in device memory. It is released by its {@link CudaScope} (or explicitly by
 * {@link CudaDevice#release}), never by the garbage collector; a kernel handed a released buffer
 * fails with a message instead of reading memory that now belongs to another tensor.
 */
public final class CudaStorage implements Storage {
  private final CudaDevice device;
  private final int size;
  private CUdeviceptr pointer;

  CudaStorage(CudaDevice device, CUdeviceptr pointer, int size) {
    this.device = device;
    this.pointer = pointer;
    this.size = size;
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
              + " floats was used after its CudaScope closed (keep() it to use it later)");
    }
    return pointer;
  }

  /** Returns the memory to the allocator; later uses fail. Idempotent. */
  void release() {
    if (pointer != null) {
      device.allocator().release(pointer, bytes());
      pointer = null;
    }
  }
}
