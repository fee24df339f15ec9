package cs4j.cli;

import cs4j.train.Progress;

/**
 * Test hook for Spark's retries: with the system property {@value #PROPERTY} set to N, the first
 * attempt of every sweep task ({@link SweepTask}) throws when its N-th epoch ends, as a lost
 * executor would end it; the retry must resume from the checkpoint. Inert when the property is not
 * set.
 */
final class FirstAttemptFailure {
  static final String PROPERTY = "cs4j.test.failFirstAttemptAfterEpochs";

  private FirstAttemptFailure() {}

  /** Silent progress; for the first attempt under the hook, one that fails after N epochs. */
  static Progress progress(int attempt) {
    Integer after = Integer.getInteger(PROPERTY);
    if (after == null || attempt > 0) {
      return Progress.silent();
    }
    return Progress.silent()
        .afterEachEpoch(
            epochs -> {
              if (epochs == after) {
                throw new IllegalStateException(
                    PROPERTY
                        + "="
                        + after
                        + ": the first attempt fails after "
                        + after
                        + " epochs");
              }
            });
  }
}
