package cs4j.tensor;

/**
 * Where a tensor's storage lives. The CPU device is built in; accelerator backends provide their
 * own subclasses (for example {@code cs4j.backend.cuda}), so this package never knows about them.
 */
public abstract class Device {
  public static final Device CPU = new CpuDevice();

  /** A short name such as {@code cpu} or {@code cuda:0}. */
  public abstract String name();

  /** A new storage of {@code n} elements, all zero. */
  public abstract Storage allocate(int n);

  /** A new storage holding a copy of {@code values}. */
  public abstract Storage upload(float[] values);

  /** Copies the whole of {@code storage} into {@code dst} (whose length must equal its size). */
  public abstract void download(Storage storage, float[] dst);

  @Override
  public String toString() {
    return name();
  }

  private static final class CpuDevice extends Device {
    @Override
    public String name() {
      return "cpu";
    }

    @Override
    public Storage allocate(int n) {
      return new HostStorage(new float[n]);
    }

    @Override
    public Storage upload(float[] values) {
      return new HostStorage(values.clone());
    }

    @Override
    public void download(Storage storage, float[] dst) {
      float[] src = ((HostStorage) storage).data();
      System.arraycopy(src, 0, dst, 0, src.length);
    }
  }
}
