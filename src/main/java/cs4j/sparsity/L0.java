package cs4j.sparsity;

import java.io.IOException;
import java.util.List;

/**
 * Stochastic ℓ0 regularisation (Louizos et al. 2018) with one hard-concrete gate per weight
 * (PAPER.md §7); the final mask keeps the weights whose test-time gate is > 0.
 */
public final class L0 implements PruningMethod {
  /**
   * @param lambda penalty weight of the expected number of open gates
   * @param initialDropRate p: log α starts at log((1 − p)/p)
   * @param initNoise standard deviation of the normal noise added to the initial log α
   * @param temperature T of the hard-concrete distribution
   * @param gamma lower stretch limit γ (< 0)
   * @param zeta upper stretch limit ζ (> 1)
   * @param gateLrFactor the log α learning rate relative to the weights'
   * @param fineTuneEpochs fine-tuning with the binary mask (test gate > 0) after the run
   */
  public record Config(
      double lambda,
      double initialDropRate,
      double initNoise,
      double temperature,
      double gamma,
      double zeta,
      double gateLrFactor,
      int fineTuneEpochs) {
    public Config {
      String o = "l0";
      Require.nonNegative(o, "lambda", lambda);
      Require.openUnit(o, "initialDropRate", initialDropRate);
      Require.nonNegative(o, "initNoise", initNoise);
      Require.positive(o, "temperature", temperature);
      if (!(gamma < 0) || !Double.isFinite(gamma)) {
        throw Require.fail(o, "gamma", "must be finite and < 0", gamma);
      }
      if (!(zeta > 1) || !Double.isFinite(zeta)) {
        throw Require.fail(o, "zeta", "must be finite and > 1", zeta);
      }
      Require.positive(o, "gateLrFactor", gateLrFactor);
      Require.atLeast(o, "fineTuneEpochs", fineTuneEpochs, 0);
    }

    /** Louizos et al.: (γ, ζ) = (−0.1, 1.1), T = 2/3, p = 0.5, noise 0.01. */
    public static Config defaults() {
      return new Config(1e-6, 0.5, 0.01, 2.0 / 3.0, -0.1, 1.1, 1.0, 0);
    }
  }

  private final Config config;

  public L0(Config config) {
    this.config = config;
  }

  @Override
  public String name() {
    return "l0";
  }

  @Override
  public Config config() {
    return config;
  }

  @Override
  public List<RoundResult> run(ExperimentContext ctx, RoundListener listener) throws IOException {
    throw new UnsupportedOperationException("l0: not implemented yet");
  }
}
