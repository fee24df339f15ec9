package cs4j.train;

/** The loss became NaN or infinite: training stopped at the named epoch and step. */
public class TrainingDivergedException extends RuntimeException {
  private final int epoch;
  private final int step;

  /**
   * @param what what went non-finite, e.g. "the loss (output of add) is NaN"
   */
  public TrainingDivergedException(int epoch, int step, String what) {
    super(
        "training diverged at epoch "
            + epoch
            + ", step "
            + step
            + ": "
            + what
            + "; stopped before applying its gradients"
            + " (lower the learning rate, or check the inputs for NaN)");
    this.epoch = epoch;
    this.step = step;
  }

  public int epoch() {
    return epoch;
  }

  public int step() {
    return step;
  }
}
