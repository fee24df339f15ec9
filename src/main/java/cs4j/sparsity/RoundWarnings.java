package cs4j.sparsity;

import cs4j.train.Evaluation;
import cs4j.train.TrainingDivergedException;

/**
 * The {@link RoundResult#warning} of a round: its training diverged, or its network tests near
 * chance (below {@value #CHANCE_FACTOR}× 1/classes), said in plain words with the likely cause and
 * the flag that changes it.
 */
public final class RoundWarnings {
  /** Accuracy below this multiple of chance counts as guessing. */
  public static final double CHANCE_FACTOR = 1.5;

  /** The likely cause of a round that failed when nothing more specific is known. */
  public static final String LEARNING_RATE =
      "the learning rate is too high for this network and data (lower --lr), or the inputs hold"
          + " NaN";

  private RoundWarnings() {}

  /**
   * The likely cause of a CS ticket that failed while it trains with its weights scaled by {@code
   * c}: without batch norm, the outputs grow by up to c^L over L masked layers, and each weight's
   * step by c². {@code unscaled} is the flag that trains it with c = 1.
   */
  public static String ticketScale(double c, String unscaled) {
    return String.format(
        "the ticket trains with its weights scaled by c = %.3g, which multiplies the outputs of a"
            + " network without batch norm by up to c^L over its L masked layers (%s trains it"
            + " with c = 1; lowering --lr by c² also helps)",
        c, unscaled);
  }

  /**
   * The warning of a round whose network tested as {@code test} after training that stopped with
   * {@code diverged} (null when it finished); null when the round is fine.
   */
  public static String of(
      Evaluation.Result test, TrainingDivergedException diverged, String likelyCause) {
    if (diverged != null) {
      return diverged.where() + "; likely cause: " + likelyCause;
    }
    double acc = test.accuracy();
    if (!Double.isFinite(acc)) {
      return "test accuracy " + acc + " is not a number; likely cause: " + likelyCause;
    }
    if (test.classes() > 1 && acc < CHANCE_FACTOR / test.classes()) {
      return String.format(
          "test accuracy %.2f%% is near chance (%d classes: %.2f%%); likely cause: %s",
          100 * acc, test.classes(), 100.0 / test.classes(), likelyCause);
    }
    return null;
  }
}
