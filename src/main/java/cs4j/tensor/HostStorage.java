package cs4j.tensor;

/** Storage in the Java heap: the CPU device's buffers. */
public final class HostStorage implements Storage {
  private final float[] data;

  public HostStorage(float[] data) {
    this.data = data;
  }

  /** The backing array itself, not a copy: CPU kernels read and write it in place. */
  public float[] data() {
    return data;
  }

  @Override
  public Device device() {
    return Device.CPU;
  }

  @Override
  public int size() {
    return data.length;
  }
}
