package cs4j.train;

/** The loss became NaN or infinite: training stopped at the named epoch and step. */
public class TrainingDivergedException extends RuntimeException {
  private final int epoch;
  private final int step;

  public TrainingDivergedException(int epoch, int step, Throwable cause) {
    super(
        "training diverged at epoch "
            + epoch
            + ", step "
            + step
            + ": "
            + cause.getMessage()
            + " (lower the learning rate, or check the inputs for NaN)",
        cause);
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
