package cs4j.tensor;

/**
 * Storage in the Java heap: the CPU device's buffers. A plain one is garbage-collected; one the CPU
 * device allocates while a {@link MemoryScope} is open is a {@link PooledHostStorage}, whose array
 * goes back to the thread's {@link HostPool} when the scope closes, and which then refuses {@link
 * #data()}.
 */
public sealed class HostStorage implements Storage permits PooledHostStorage {
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
