package cs4j.sparsity;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * A sparsification method as a plug-in: one class behind this interface plus one line in {@link
 * Methods}. A method runs its rounds in the context's run directory; rerunning it on the same
 * directory skips finished rounds (their {@code result.json} is read back) and resumes the
 * interrupted one from its training checkpoint.
 */
public interface PruningMethod {
  /** The registry name ({@code cs}, {@code imp}, ...). */
  String name();

  /** The method's immutable hyperparameter record. */
  Record config();

  /** Canonical hyperparameters (record component names → values), for hashing and reports. */
  default Map<String, Object> hyperparameters() {
    return Hyperparameters.toMap(config());
  }

  /**
   * Refuses hyperparameters that cannot run with {@code recipe}, such as a rewind epoch at or past
   * the epochs per round, with an {@link IllegalArgumentException} naming both. Callers check this
   * before they write anything; {@link #run} checks it again.
   */
  default void validate(TrainingRecipe recipe) {}

  /** Runs (or resumes) every round; {@code listener} hears each round's result in order. */
  List<RoundResult> run(ExperimentContext ctx, RoundListener listener) throws IOException;
}
