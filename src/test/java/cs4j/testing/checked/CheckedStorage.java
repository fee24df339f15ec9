package cs4j.testing.checked;

import cs4j.tensor.Device;
import cs4j.tensor.ReleasableStorage;

/**
 * The checked device's memory: a heap array that, like CUDA memory, is owned (by a scope or an
 * owner) and refuses every use after its release, naming the user.
 */
final class CheckedStorage implements ReleasableStorage {
  private final CheckedDevice device;
  private final float[] data;
  private boolean released;

  CheckedStorage(CheckedDevice device, float[] data) {
    this.device = device;
    this.data = data;
  }

  @Override
  public Device device() {
    return device;
  }

  @Override
  public int size() {
    return data.length;
  }

  /** The values, for the kernel or copy named {@code user}. */
  float[] data(String user) {
    if (released) {
      throw new IllegalStateException(
          user
              + ": a "
              + device.name()
              + " tensor of "
              + data.length
              + " floats was used after its memory was released");
    }
    return data;
  }

  long bytes() {
    return 4L * data.length;
  }

  @Override
  public boolean isReleased() {
    return released;
  }

  @Override
  public void release() {
    if (!released) {
      released = true;
      device.freed(this);
    }
  }
}
