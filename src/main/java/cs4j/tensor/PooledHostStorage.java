package cs4j.tensor;

/**
 * Host storage on loan from a thread's {@link HostPool}: owned like device memory by the {@link
 * MemoryScope} it was allocated in (or, after {@link MemoryScope#keep}, by the enclosing scope, or
 * by nobody: then the garbage collector takes it). {@link #release()} hands the array back to the
 * pool, where the next allocation of the same length on that thread takes it, so after its release
 * this storage refuses {@link #data()}: it would otherwise read and write another tensor's values.
 */
final class PooledHostStorage extends HostStorage implements ReleasableStorage {
  private final HostPool pool;
  private boolean released;

  PooledHostStorage(HostPool pool, float[] data) {
    super(data);
    this.pool = pool;
  }

  /**
   * The backing array.
   *
   * @throws IllegalStateException once released (its scope closed, or {@link Tensor#release()})
   */
  @Override
  public float[] data() {
    if (released) {
      throw new IllegalStateException(
          "a cpu tensor of "
              + size()
              + " floats was used after its memory was released (its MemoryScope closed, or"
              + " Tensor.release()): MemoryScope.keep() it to use it after its scope");
    }
    return super.data();
  }

  @Override
  public boolean isReleased() {
    return released;
  }

  @Override
  public void release() {
    if (!released) {
      released = true;
      pool.recycle(super.data());
    }
  }
}
