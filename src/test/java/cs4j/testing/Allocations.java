package cs4j.testing;

import java.lang.management.ManagementFactory;

/**
 * The heap bytes the current thread has allocated so far (HotSpot's per-thread counter), so that a
 * test can assert a reader allocates no more than its input justifies: with the suite's large heap
 * an oversized array is often granted, so "no OutOfMemoryError" alone proves nothing.
 */
public final class Allocations {
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private Allocations() {}

  /** The counter now; subtract two readings to get what happened in between. */
  public static long current() {
    if (!THREADS.isThreadAllocatedMemorySupported() || !THREADS.isThreadAllocatedMemoryEnabled()) {
      throw new IllegalStateException("this JVM does not count allocated bytes per thread");
    }
    return THREADS.getThreadAllocatedBytes(Thread.currentThread().getId());
  }
}
