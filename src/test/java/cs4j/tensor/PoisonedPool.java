package cs4j.tensor;

/** Test access to the calling thread's {@link HostPool}, for tests outside this package. */
public final class PoisonedPool {
  private PoisonedPool() {}

  /**
   * Fills every free array of the calling thread's pool with NaN: the next scope's uninitialised
   * allocations ({@link Device#allocateUninitialized}) start as NaN, so an op that does not
   * overwrite all of its output, or reads it first, leaves NaN where a fresh array gives a number.
   */
  public static void poison() {
    HostPool.local().fillFree(Float.NaN);
  }
}
