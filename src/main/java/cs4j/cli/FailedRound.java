package cs4j.cli;

import cs4j.sparsity.RoundResult;
import cs4j.sparsity.RoundWarnings;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Whether a finished round failed: its result carries a warning ({@link RoundResult#warning}), or,
 * in results written before warnings were recorded, its test accuracy is not a number or no better
 * than guessing, below 1.5× chance (1/classes). Such a round is a failure to report, not a point of
 * an accuracy–sparsity curve.
 *
 * <p>The class count is the one the run recorded ({@code runtime.data.classes} in {@code
 * hparams.json}); runs written before it was recorded fall back on the datasets whose class count
 * is fixed by their name. Where neither tells, only a non-finite accuracy counts as failed.
 */
final class FailedRound {
  private FailedRound() {}

  /**
   * Why {@code round}, trained on data with {@code classes} classes, failed; empty if it did not.
   */
  static Optional<String> why(RoundResult round, OptionalInt classes) {
    if (round.warning() != null) {
      return Optional.of(round.warning());
    }
    double acc = round.testAccuracy();
    if (!Double.isFinite(acc)) {
      return Optional.of("test accuracy " + acc + " is not a number");
    }
    if (classes.isPresent() && acc < RoundWarnings.CHANCE_FACTOR / classes.getAsInt()) {
      return Optional.of(
          String.format(
              "test accuracy %.2f%% is below %sx chance (%d classes: %.2f%%)",
              100 * acc,
              RoundWarnings.CHANCE_FACTOR,
              classes.getAsInt(),
              100.0 / classes.getAsInt()));
    }
    return Optional.empty();
  }

  /** The class count of the dataset the command line calls {@code name}, when the name fixes it. */
  static OptionalInt classes(String name) {
    for (DatasetName d : DatasetName.values()) {
      if (d.cliName().equals(name)) {
        return switch (d) {
          case SUBSET, FASHION_MNIST, CIFAR10 -> OptionalInt.of(10);
          case IDX, IMAGE_FOLDER -> OptionalInt.empty();
        };
      }
    }
    return OptionalInt.empty();
  }
}
