package cs4j.train;

import cs4j.tensor.Tensor;

/**
 * Extension points for what a pruning method adds to plain training: a temperature that changes per
 * epoch, a penalty added to the loss, masks re-applied after each step.
 */
public interface TrainingHooks {
  TrainingHooks NONE = new TrainingHooks() {};

  /**
   * Before {@code epoch} trains its batches from {@code firstStep} on: 0 for an epoch that starts
   * afresh, more when a run resumes from a checkpoint in the middle of the epoch. Per-epoch state
   * (a temperature) is set on either; what must see the network before the epoch's first batch (a
   * rewind snapshot) acts only on {@code firstStep == 0}.
   */
  default void onEpochStart(int epoch, int firstStep) {}

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
