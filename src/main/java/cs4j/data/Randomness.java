package cs4j.data;

import cs4j.tensor.Rng;

/**
 * Seed derivation and shuffling for the data pipeline. Every random choice is drawn from a
 * generator seeded by (run seed, purpose, epoch, batch, …), never from a generator that has
 * advanced through earlier work, so any batch can be rebuilt on its own: that is what makes exact
 * resume and background prefetching deterministic.
 */
final class Randomness {
  // Purposes, so that the split, the sample, the order and the augmentation never share a stream.
  static final long SPLIT = 1;
  static final long ORDER = 2;
  static final long AUGMENT = 3;
  static final long SAMPLE = 4;

  private Randomness() {}

  /** A seed for {@code path} under {@code seed}: each part is mixed in through SplitMix64. */
  static long derive(long seed, long... path) {
    Rng r = new Rng(seed);
    for (long part : path) {
      r = new Rng(r.nextLong() ^ part);
    }
    return r.nextLong();
  }

  /** Fisher–Yates shuffle of {@code a} in place, drawing from the end towards the front. */
  static void shuffle(int[] a, Rng rng) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }
}
