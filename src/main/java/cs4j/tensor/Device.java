package cs4j.tensor;

/**
 * Where a tensor's storage lives. The CPU device is built in; accelerator backends provide their
 * own subclasses (for example {@code cs4j.backend.cuda}), found by name through {@code
 * cs4j.backend.Devices}, so this package never knows about them.
 *
 * <p>Memory is owned: it belongs to the {@link MemoryScope} open on the allocating thread ({@link
 * #openScope()}) and is returned when the scope closes, or to an owner that releases it ({@link
 * #release}). On the CPU, "returned" means put back in the thread's {@link HostPool} for the next
 * allocation of that length; CPU memory allocated with no scope open is left to the garbage
 * collector.
 */
public abstract class Device {
  public static final Device CPU = new CpuDevice();

  /** A short name such as {@code cpu} or {@code cuda:0}. */
  public abstract String name();

  /** A new storage of {@code n} elements, all zero. */
  public abstract Storage allocate(int n);

  /**
   * A new storage of {@code n} elements whose contents are unspecified (stale values of reused
   * memory, zeros, or garbage): for an op output that its kernel writes entirely, every element,
   * before anything reads it. It saves the zero-fill of {@link #allocate}; a kernel that skips an
   * element or accumulates into its output needs {@link #allocate}. By default the same as {@link
   * #allocate}.
   */
  public Storage allocateUninitialized(int n) {
    return allocate(n);
  }

  /** A new storage holding a copy of {@code values}. */
  public abstract Storage upload(float[] values);

  /** Copies the whole of {@code storage} into {@code dst} (whose length must equal its size). */
  public abstract void download(Storage storage, float[] dst);

  /**
   * Copies {@code src} into the existing {@code dst} (whose size must equal its length): new values
   * for a parameter, a mask or a momentum buffer without a temporary.
   */
  public abstract void write(float[] src, Storage dst);

  /**
   * Returns {@code storage}'s memory now, when it is owned (allocated in a scope; on the CPU, plain
   * garbage-collected storage is left alone); the storage must not be used again.
   */
  public void release(Storage storage) {}

  /**
   * Opens a {@link MemoryScope} on this thread: memory allocated on any device until it closes is
   * released when it closes (on the CPU, pooled for reuse).
   */
  public final MemoryScope openScope() {
    return MemoryScope.open();
  }

  /** Whether {@link #capture} can record work on this device (CUDA graphs). */
  public boolean capturesGraphs() {
    return false;
  }

  /**
   * Records the device work {@code body} issues on this thread into a graph, without running it
   * (run it with {@link StepGraph#replay()}). The graph owns every tensor allocated while recording
   * and reuses them at each replay. Inside {@code body}, host reads and writes of device memory
   * ({@link Tensor#toArray()}, {@link Tensor#copyFrom}, uploads) are refused: their values would be
   * frozen into the graph.
   *
   * @throws UnsupportedOperationException on a device that cannot capture ({@link
   *     #capturesGraphs()})
   */
  public final StepGraph capture(Runnable body) {
    if (!capturesGraphs()) {
      throw new UnsupportedOperationException(name() + " cannot capture graphs");
    }
    try (MemoryScope pool = openScope()) {
      StepGraph recorded = record(body);
      return new PooledGraph(recorded, pool.detach());
    }
  }

  /** This device's recording of {@code body} for {@link #capture}. */
  protected StepGraph record(Runnable body) {
    throw new UnsupportedOperationException(name() + " cannot capture graphs");
  }

  /** Bytes held now by live tensors on this device (0 on the CPU, which does not count them). */
  public long liveBytes() {
    return 0;
  }

  /** The highest {@link #liveBytes()} seen so far (0 on the CPU). */
  public long peakLiveBytes() {
    return 0;
  }

  /** Waits until all work issued to this device by this thread has finished (no-op on the CPU). */
  public void synchronize() {}

  @Override
  public String toString() {
    return name();
  }

  private static final class CpuDevice extends Device {
    @Override
    public String name() {
      return "cpu";
    }

    /** Pooled storage owned by the thread's open scope, or plain storage when none is open. */
    @Override
    public Storage allocate(int n) {
      return allocate(n, true);
    }

    /** As {@link #allocate}, but a pooled array keeps its stale values (a new one is zero). */
    @Override
    public Storage allocateUninitialized(int n) {
      return allocate(n, false);
    }

    private static Storage allocate(int n, boolean zeroed) {
      MemoryScope scope = MemoryScope.current();
      return scope == null ? new HostStorage(new float[n]) : scope.lendHost(n, zeroed);
    }

    @Override
    public void release(Storage storage) {
      if (storage instanceof PooledHostStorage pooled) {
        pooled.release();
      }
    }

    @Override
    public Storage upload(float[] values) {
      return new HostStorage(values.clone());
    }

    @Override
    public void download(Storage storage, float[] dst) {
      float[] src = ((HostStorage) storage).data();
      checkLength("download", src.length, dst.length);
      System.arraycopy(src, 0, dst, 0, src.length);
    }

    @Override
    public void write(float[] src, Storage dst) {
      float[] d = ((HostStorage) dst).data();
      checkLength("write", d.length, src.length);
      System.arraycopy(src, 0, d, 0, src.length);
    }
  }

  /** Refuses a copy between a storage and an array of another length. */
  protected static void checkLength(String op, int storageSize, int arrayLength) {
    if (storageSize != arrayLength) {
      throw new IllegalArgumentException(
          op + ": the array has " + arrayLength + " floats, the storage " + storageSize);
    }
  }
}
