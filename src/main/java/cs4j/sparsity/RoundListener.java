package cs4j.sparsity;

/** Told about each round as it finishes (or is found finished in the run directory). */
@FunctionalInterface
public interface RoundListener {
  RoundListener NONE = r -> {};

  void roundFinished(RoundResult result);
}
