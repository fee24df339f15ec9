package cs4j.tensor;

/**
 * Storage whose memory is owned, not collected: device memory, returned by the {@link MemoryScope}
 * it was allocated in, or by its owner ({@link Tensor#release()}), never by the garbage collector.
 * A released storage refuses every later use with a message naming the user, instead of reading
 * memory that now belongs to another tensor. Implementations keep {@link Object}'s identity {@code
 * equals} and {@code hashCode}: scopes hold them in sets.
 */
public interface ReleasableStorage extends Storage {
  /** Returns the memory to its device; later uses fail. Idempotent. */
  void release();

  boolean isReleased();
}
