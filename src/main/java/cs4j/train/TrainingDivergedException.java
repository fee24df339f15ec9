package cs4j.train;

/** The loss became NaN or infinite: training stopped at the named epoch and step. */
public class TrainingDivergedException extends RuntimeException {
  private final int epoch;
  private final int step;
  private final String what;

  /**
   * @param what what went non-finite, e.g. "the loss (output of add) is NaN"
   */
  public TrainingDivergedException(int epoch, int step, String what) {
    super(
        describe(epoch, step, what)
            + "; stopped before applying its gradients"
            + " (lower the learning rate, or check the inputs for NaN)");
    this.epoch = epoch;
    this.step = step;
    this.what = what;
  }

  private static String describe(int epoch, int step, String what) {
    return "training diverged at epoch " + epoch + ", step " + step + ": " + what;
  }

  public int epoch() {
    return epoch;
  }

  public int step() {
    return step;
  }

  /**
   * Where and how it diverged, without the general advice of the message: for a caller that knows
   * the likely cause better.
   */
  public String where() {
    return describe(epoch, step, what);
  }
}
