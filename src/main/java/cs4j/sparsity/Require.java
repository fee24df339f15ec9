package cs4j.sparsity;

/** Hyperparameter checks whose messages name the method, the field, the rule and the value. */
final class Require {
  private Require() {}

  static void finite(String owner, String field, double v) {
    if (!Double.isFinite(v)) {
      throw fail(owner, field, "must be a finite number", v);
    }
  }

  static void nonNegative(String owner, String field, double v) {
    if (!(v >= 0) || !Double.isFinite(v)) {
      throw fail(owner, field, "must be finite and >= 0", v);
    }
  }

  static void positive(String owner, String field, double v) {
    if (!(v > 0) || !Double.isFinite(v)) {
      throw fail(owner, field, "must be finite and > 0", v);
    }
  }

  static void atLeast(String owner, String field, long v, long min) {
    if (v < min) {
      throw fail(owner, field, "must be >= " + min, v);
    }
  }

  /** Strictly inside (0, 1). */
  static void openUnit(String owner, String field, double v) {
    if (!(v > 0 && v < 1)) {
      throw fail(owner, field, "must be in (0, 1)", v);
    }
  }

  /** Inside (0, 1]. */
  static void density(String owner, String field, double v) {
    if (!(v > 0 && v <= 1)) {
      throw fail(owner, field, "must be in (0, 1]", v);
    }
  }

  /** A rewind point inside the round: {@code rewindEpoch < epochs}. */
  static void rewindInsideRound(String owner, int rewindEpoch, TrainingRecipe recipe) {
    if (rewindEpoch >= recipe.epochs()) {
      throw new IllegalArgumentException(
          owner
              + ": rewindEpoch "
              + rewindEpoch
              + " must be < epochs per round "
              + recipe.epochs());
    }
  }

  static IllegalArgumentException fail(String owner, String field, String rule, Object v) {
    return new IllegalArgumentException(owner + ": " + field + " " + rule + ", got " + v);
  }
}
