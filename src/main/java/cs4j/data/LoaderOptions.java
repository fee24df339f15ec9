package cs4j.data;

import cs4j.tensor.Rng;

/**
 * How a {@link BatchLoader} or {@link ArrayBatches} walks its examples.
 *
 * @param batchSize images per batch, B
 * @param shuffle a new order every epoch (from seed and epoch), else the dataset order
 * @param dropLast skip the last batch when it has fewer than B images
 * @param seed fixes the order and the augmentation of every batch
 */
public record LoaderOptions(int batchSize, boolean shuffle, boolean dropLast, long seed) {
  public LoaderOptions {
    if (batchSize <= 0) {
      throw new IllegalArgumentException(
          "LoaderOptions: batch size must be positive, got " + batchSize);
    }
  }

  /** Batches per epoch over {@code n} examples: ⌊n/B⌋ with dropLast, else ⌈n/B⌉. */
  public int batchesPerEpoch(int n) {
    return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
  }

  /** The indices of {@code n} examples in the order epoch {@code epoch} visits them: [n]. */
  public int[] order(int n, int epoch) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    if (shuffle) {
      Randomness.shuffle(order, new Rng(Randomness.derive(seed, Randomness.ORDER, epoch)));
    }
    return order;
  }

  /** Training: shuffled every epoch, every image used (the last batch may be smaller). */
  public static LoaderOptions training(int batchSize, long seed) {
    return new LoaderOptions(batchSize, true, false, seed);
  }

  /** Evaluation: dataset order, every image used. */
  public static LoaderOptions evaluation(int batchSize) {
    return new LoaderOptions(batchSize, false, false, 0);
  }
}
