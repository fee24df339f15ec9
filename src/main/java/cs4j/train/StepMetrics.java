package cs4j.train;

/**
 * What one training step measured, read back from the device once per step with the loss the
 * trainer checks for NaN.
 *
 * @param epoch 0-based epoch
 * @param step 0-based step in the epoch
 * @param stepsPerEpoch steps in every epoch
 * @param loss the loss that was minimised: cross-entropy plus any penalty a hook adds
 * @param crossEntropy the batch's mean cross-entropy alone
 * @param hits examples of the batch whose top-1 prediction was right
 * @param batchSize examples in the batch
 * @param lr the first optimiser's learning rate at this step (schedule applied)
 */
public record StepMetrics(
    int epoch,
    int step,
    int stepsPerEpoch,
    double loss,
    double crossEntropy,
    int hits,
    int batchSize,
    double lr) {

  /** Top-1 accuracy on the batch, in [0, 1]. */
  public double accuracy() {
    return (double) hits / batchSize;
  }
}
