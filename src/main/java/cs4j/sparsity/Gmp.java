package cs4j.sparsity;

import java.io.IOException;
import java.util.List;

/**
 * Gradual magnitude pruning (Zhu & Gupta 2017): during one dense training run the sparsity follows
 * s_t = s_f + (s_i − s_f)(1 − (t − t0)/(nΔt))³, applied every Δt steps between t0 and t0 + nΔt by
 * magnitude among the surviving weights (masks only shrink).
 */
public final class Gmp implements PruningMethod {
  /**
   * @param finalFractionRemaining density s_f is reached at, in (0, 1]
   * @param initialSparsity sparsity s_i at the first pruning step, in [0, 1)
   * @param startAt first pruning step t0, as a fraction of all training steps
   * @param endAt last pruning step t0 + nΔt, as a fraction of all training steps
   * @param pruneEverySteps Δt, in optimiser steps
   * @param scope global or per-layer ranking
   */
  public record Config(
      double finalFractionRemaining,
      double initialSparsity,
      double startAt,
      double endAt,
      int pruneEverySteps,
      PruneScope scope) {
    public Config {
      String o = "gmp";
      Require.density(o, "finalFractionRemaining", finalFractionRemaining);
      if (!(initialSparsity >= 0 && initialSparsity < 1)) {
        throw Require.fail(o, "initialSparsity", "must be in [0, 1)", initialSparsity);
      }
      if (!(startAt >= 0 && startAt < endAt && endAt <= 1)) {
        throw Require.fail(
            o, "startAt/endAt", "must satisfy 0 <= startAt < endAt <= 1", startAt + "/" + endAt);
      }
      if (initialSparsity > 1 - finalFractionRemaining) {
        throw Require.fail(
            o,
            "initialSparsity",
            "must not exceed the final sparsity " + (1 - finalFractionRemaining),
            initialSparsity);
      }
      Require.atLeast(o, "pruneEverySteps", pruneEverySteps, 1);
      if (scope == null) {
        throw new IllegalArgumentException("gmp: scope is required");
      }
    }

    public static Config defaults() {
      return new Config(0.1, 0.0, 0.1, 0.6, 100, PruneScope.GLOBAL);
    }
  }

  private final Config config;

  public Gmp(Config config) {
    this.config = config;
  }

  @Override
  public String name() {
    return "gmp";
  }

  @Override
  public Config config() {
    return config;
  }

  @Override
  public List<RoundResult> run(ExperimentContext ctx, RoundListener listener) throws IOException {
    throw new UnsupportedOperationException("gmp: not implemented yet");
  }
}
