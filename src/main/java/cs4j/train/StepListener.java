package cs4j.train;

/**
 * Told about every training step after its optimisers stepped, on the training thread ({@link
 * Trainer.Options#steps()}). A resumed run tells only the steps it runs itself.
 */
@FunctionalInterface
public interface StepListener {
  StepListener NONE = m -> {};

  void stepDone(StepMetrics metrics);
}
