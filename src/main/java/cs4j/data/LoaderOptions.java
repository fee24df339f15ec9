package cs4j.data;

/**
 * How a {@link BatchLoader} walks its dataset.
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

  /** Training: shuffled every epoch, every image used (the last batch may be smaller). */
  public static LoaderOptions training(int batchSize, long seed) {
    return new LoaderOptions(batchSize, true, false, seed);
  }

  /** Evaluation: dataset order, every image used. */
  public static LoaderOptions evaluation(int batchSize) {
    return new LoaderOptions(batchSize, false, false, 0);
  }
}
