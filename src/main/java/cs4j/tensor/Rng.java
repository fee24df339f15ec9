package cs4j.tensor;

/**
 * A small, seedable random generator whose output is fixed by this file alone (SplitMix64), so a
 * seed gives the same weights, data order and masks on every JVM and every platform. Its whole
 * state is one {@code long} ({@link #state()}), which checkpoints store to resume a run exactly.
 *
 * <p>Not thread-safe: give each thread its own generator ({@link #split()}).
 */
public final class Rng {
  private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
  private long state;

  public Rng(long seed) {
    this.state = seed;
  }

  /** The generator's complete state; {@code new Rng(r.state())} continues exactly where r is. */
  public long state() {
    return state;
  }

  public long nextLong() {
    return mix(state += GOLDEN_GAMMA);
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** Uniform in [0, 1), with 24 random bits (every float in the range is reachable). */
  public float nextFloat() {
    return (nextLong() >>> 40) * 0x1.0p-24f;
  }

  /**
   * What {@link #nextFloat()} returns at draw {@code draw} (0-based) of a generator now at {@code
   * state}, without drawing the ones before: SplitMix64 is counter-based (draw j mixes state + (j +
   * 1)·γ), so a device can draw a whole tensor of noise in parallel, bit for bit as here.
   */
  public static float floatAt(long state, long draw) {
    return (mix(state + (draw + 1) * GOLDEN_GAMMA) >>> 40) * 0x1.0p-24f;
  }

  /** Uniform in [0, 1), with 53 random bits. */
  public double nextDouble() {
    return (nextLong() >>> 11) * 0x1.0p-53;
  }

  /** Uniform in [0, bound), without modulo bias. */
  public int nextInt(int bound) {
    if (bound <= 0) {
      throw new IllegalArgumentException("Rng.nextInt: bound must be positive, got " + bound);
    }
    long limit = (1L << 32) - ((1L << 32) % bound);
    while (true) {
      long r = nextLong() >>> 32;
      if (r < limit) {
        return (int) (r % bound);
      }
    }
  }

  /**
   * Standard normal sample by the Box–Muller transform. One sample per call (the twin is dropped)
   * so that the state advances by exactly two draws: simple to reason about when resuming.
   */
  public double nextGaussian() {
    double u1 = 1.0 - nextDouble(); // (0, 1]: log is finite
    double u2 = nextDouble();
    return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
  }

  /** An independent generator derived from this one (advances this one by one draw). */
  public Rng split() {
    return new Rng(nextLong());
  }
}
