package cs4j.tensor;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * One thread's free host arrays, by length: the CPU face of {@link MemoryScope}. While a scope is
 * open, {@link Device#CPU} allocates by taking a free array of the exact length (zero-filled again,
 * as {@link Device#allocate} promises, or left as it is for {@link Device#allocateUninitialized})
 * or a new one, lent as a {@link PooledHostStorage}; releasing that storage (its scope closing,
 * {@link Tensor#release()}) puts the array back. A training step allocates the same lengths as the
 * step before it, so in the steady state it takes every buffer from here and the garbage collector
 * sees no large allocation.
 *
 * <p>Thread safety: each thread has its own pool and only its owner touches it. Allocation happens
 * on the thread that opened the scope, and scopes close on that thread; an array released on
 * another thread ({@link Tensor#release()} there) is not recycled but left to the garbage
 * collector. Threads never share an array, so parallel trainers in one JVM stay independent.
 *
 * <p>Bound: when a scope closes, the arrays that lay free for its whole life are dropped to the
 * garbage collector. Every array still free afterwards was therefore in use while that scope was
 * open, so the pool never holds more than the closing scope used: a run of equal steps keeps its
 * working set, and a change of shapes (the last, smaller batch of an epoch; evaluation) frees the
 * previous one after one scope. A thread that ends takes its pool with it.
 */
final class HostPool {
  private static final ThreadLocal<HostPool> LOCAL = ThreadLocal.withInitial(HostPool::new);

  /** A free array and the {@link #clock} when it was released. */
  private record Free(float[] data, long releasedAt) {}

  private final Thread owner = Thread.currentThread();

  /**
   * Free arrays by length, oldest release first: a step that allocates as the step before it did
   * gets, tensor for tensor, the same arrays (scopes release in allocation order).
   */
  private final Map<Integer, ArrayDeque<Free>> free = new HashMap<>();

  /** Counts the scopes opened on this thread (the pool's time: see {@link #trim}). */
  private long clock;

  private HostPool() {}

  /** The calling thread's pool. */
  static HostPool local() {
    return LOCAL.get();
  }

  /** Notes a scope opening on this thread; returns its stamp for {@link #trim}. */
  long scopeOpened() {
    return ++clock;
  }

  /**
   * An array of length n, lent as storage (called on the owner thread): a reused one is zero-filled
   * when {@code zeroed}, else keeps the values of its last user; a new one is zero.
   */
  PooledHostStorage lend(int n, boolean zeroed) {
    ArrayDeque<Free> list = free.get(n);
    Free reused = list == null ? null : list.pollFirst();
    float[] data;
    if (reused == null) {
      data = new float[n];
    } else {
      data = reused.data();
      if (zeroed) {
        Arrays.fill(data, 0f);
      }
    }
    return new PooledHostStorage(this, data);
  }

  /**
   * Overwrites every free array with {@code value}: tests poison the stale values that {@link
   * Device#allocateUninitialized} hands out, to prove that no op reads one.
   */
  void fillFree(float value) {
    free.values().forEach(list -> list.forEach(f -> Arrays.fill(f.data(), value)));
  }

  /** Takes back a released array (on another thread it is left to the garbage collector). */
  void recycle(float[] data) {
    if (Thread.currentThread() == owner) {
      free.computeIfAbsent(data.length, k -> new ArrayDeque<>()).addLast(new Free(data, clock));
    }
  }

  /** Drops the arrays released before the scope stamped {@code openedAt} and not taken since. */
  void trim(long openedAt) {
    free.values()
        .removeIf(
            list -> {
              while (!list.isEmpty() && list.peekFirst().releasedAt() < openedAt) {
                list.pollFirst();
              }
              return list.isEmpty();
            });
  }
}
