package cs4j.sparsity;

import java.io.IOException;
import java.util.List;

/**
 * Continuous Sparsification ticket search (PAPER.md §2–4): mask logits s on the selected layers,
 * soft mask {@code M = c·σ(β·s)} with {@code c = 1/σ(s0)}, loss {@code CE + λ·Σ M}, β annealed from
 * 1 to β_final in each of R rounds, a soft reset of s between rounds, then the ticket {@code m =
 * 1[s > 0]} retrained from the weights snapshotted at the rewind epoch of round 0.
 */
public final class ContinuousSparsification implements PruningMethod {
  /** How β grows inside a round of E epochs. */
  public enum BetaSchedule {
    /** β_e = β_final^(e/(E−1)), constant inside an epoch (the reference code). */
    PER_EPOCH,
    /** β_t = β_final^(t/(T−1)) over the T = E·(batches per epoch) iterations. */
    PER_ITERATION
  }

  /** What the logits become between rounds (PAPER.md §4, note on the soft reset). */
  public enum SoftReset {
    /** s ← min(s, s0): what the reference code applies (it resets β to 1 before the call). */
    REFERENCE_CODE,
    /** s ← min(β_final·s, s0): the rule as the paper writes it. */
    PAPER
  }

  /**
   * @param s0 initial mask logit (reference default 0; negative is sparser)
   * @param lambda penalty weight of Σ M (>= 0)
   * @param betaFinal β in the last epoch of each round (> 1)
   * @param rounds search rounds R (>= 1)
   * @param rewindEpoch epoch of round 0 whose starting weights the ticket is rewound to
   * @param scaleMask c = 1/σ(s0) when true (the reference), c = 1 when false
   * @param ticketKeepsScale the retrained ticket uses M = c·m (the reference) rather than m
   * @param maskLrFactor the logits' learning rate relative to the weights'
   * @param retrainEachRound retrain the ticket of every round, not only of the last (one curve
   *     point per round)
   */
  public record Config(
      double s0,
      double lambda,
      double betaFinal,
      BetaSchedule betaSchedule,
      int rounds,
      int rewindEpoch,
      SoftReset softReset,
      boolean scaleMask,
      boolean ticketKeepsScale,
      double maskLrFactor,
      boolean retrainEachRound) {
    public Config {
      String o = "cs";
      Require.finite(o, "s0", s0);
      Require.nonNegative(o, "lambda", lambda);
      if (!(betaFinal >= 1) || !Double.isFinite(betaFinal)) {
        throw Require.fail(o, "betaFinal", "must be finite and >= 1", betaFinal);
      }
      Require.atLeast(o, "rounds", rounds, 1);
      Require.atLeast(o, "rewindEpoch", rewindEpoch, 0);
      Require.positive(o, "maskLrFactor", maskLrFactor);
      if (betaSchedule == null || softReset == null) {
        throw new IllegalArgumentException("cs: betaSchedule and softReset are required");
      }
    }

    /** PAPER.md §4: s0 = 0, λ = 1e-8, β_final = 200, 3 rounds, rewind to epoch 2. */
    public static Config defaults() {
      return new Config(
          0.0,
          1e-8,
          200,
          BetaSchedule.PER_EPOCH,
          3,
          2,
          SoftReset.REFERENCE_CODE,
          true,
          true,
          1.0,
          false);
    }
  }

  private final Config config;

  public ContinuousSparsification(Config config) {
    this.config = config;
  }

  @Override
  public String name() {
    return "cs";
  }

  @Override
  public Config config() {
    return config;
  }

  @Override
  public List<RoundResult> run(ExperimentContext ctx, RoundListener listener) throws IOException {
    throw new UnsupportedOperationException("cs: not implemented yet");
  }
}
