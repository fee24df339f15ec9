package cs4j.train;

import cs4j.tensor.Tensor;

/**
 * Extension points for what a pruning method adds to plain training: a temperature that changes per
 * epoch, a penalty added to the loss, masks re-applied after each step.
 */
public interface TrainingHooks {
  TrainingHooks NONE = new TrainingHooks() {};

  /** Before the first batch of {@code epoch}. */
  default void onEpochStart(int epoch) {}

  /** Before each training batch's forward (per-iteration schedules). */
  default void onStepStart(int epoch, int step, int stepsPerEpoch) {}

  /**
   * A scalar added to the cross-entropy after the forward pass (for example λ·Σ mask), or null.
   * Called once per training step, after the model's forward.
   */
  default Tensor extraLoss() {
    return null;
  }

  /**
   * The host values this hook feeds into a training step's device work (a temperature, a noise
   * seed), or null for none; called after {@link #onStepStart}. With step capture on, a captured
   * step is replayed only while every hook's key (and the learning rate) stays the same.
   */
  default Object stepKey() {
    return null;
  }

  /** After the optimisers stepped (for example to re-apply a fixed pruning mask). */
  default void onStepEnd(int epoch, int step) {}
}
